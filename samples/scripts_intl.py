"""Vietnamese, Russian and Chinese sample calls: a good call and an abusive caller each
(and a Vietnamese de-escalation: abusive start, calm end).

Abusive calls mix profanity, an insult and a threat, one category per turn.
"""

from __future__ import annotations

from samples.script_model import CallScript, caller, operator

VI_GREETING = operator(
    "Xin chào, Viễn thông Bình Minh xin nghe, em tên là Lan. Em giúp gì được cho anh ạ?", 19
)
VI_CLOSING = operator("Dạ, cảm ơn anh đã gọi. Chúc anh một ngày tốt lành ạ.", 13)

VI_CALM = CallScript(
    name="vi_calm",
    language="vi",
    description="Cuộc gọi tốt, lịch sự: chào hỏi, xưng tên, cảm ơn, chào kết thúc.",
    expect=("calm",),
    turns=(
        VI_GREETING,
        caller(
            "Chào em. Mạng nhà anh bị chậm từ tối hôm qua, mà anh làm việc ở nhà nên rất cần mạng.",
            21,
        ),
        operator("Dạ, em xin lỗi anh. Em kiểm tra đường truyền ngay ạ.", 12),
        caller("Ừ, cứ vài phút là mạng lại mất, nhất là vào buổi tối.", 13),
        operator("Dạ, khu vực của anh đang có sự cố, chiều nay sẽ sửa xong ạ.", 15),
        caller("Được rồi, vậy thì tốt quá. Cảm ơn em nhiều nhé.", 11),
        VI_CLOSING,
    ),
)

VI_ABUSIVE = CallScript(
    name="vi_abusive",
    language="vi",
    description="Người gọi chửi thề, xúc phạm và đe dọa; nhân viên vẫn bình tĩnh, lịch sự.",
    expect=("abusive:profanity", "abusive:insult", "abusive:threat"),
    turns=(
        VI_GREETING,
        caller("Mẹ kiếp, mạng gì mà chậm như rùa vậy!", 9, abuse="profanity"),
        operator("Dạ, em xin lỗi anh. Em kiểm tra ngay ạ.", 10),
        caller("Mày đúng là đồ ngu, cả công ty toàn lũ vô dụng.", 12, abuse="insult"),
        operator("Dạ, em hiểu anh đang bực mình. Em sẽ giúp anh ạ.", 12),
        caller("Không sửa xong thì tao sẽ đến tận văn phòng xử mày.", 12, abuse="threat"),
        operator("Dạ, sáng mai kỹ thuật viên sẽ đến nhà anh. Em chào anh ạ.", 14),
    ),
)

VI_DEESCALATION = CallScript(
    name="vi_deescalation",
    language="vi",
    description=(
        "Người gọi mở đầu bằng lời chửi thề vì mất mạng; nhân viên xin lỗi, thấu hiểu, "
        "hẹn giờ sửa, và người gọi kết thúc vui vẻ."
    ),
    expect=("abusive:profanity", "deescalation"),
    turns=(
        VI_GREETING,
        caller("Mẹ kiếp, mạng nhà tôi mất cả ba ngày rồi!", 10, abuse="profanity"),
        operator("Dạ, em thành thật xin lỗi anh. Em hiểu anh rất bực mình ạ.", 14),
        caller("Ngày nào cũng hỏng, tôi chán lắm rồi.", 8),
        operator("Dạ, chiều nay kỹ thuật viên sẽ đến sửa xong trước năm giờ ạ.", 14),
        caller("Vậy à, tốt quá. Cảm ơn em nhé.", 8),
        operator("Dạ, em sẽ nhắn tin cho anh khi sửa xong ạ.", 11),
        caller("Ừ, cảm ơn em nhiều, em nhiệt tình quá.", 9),
        VI_CLOSING,
    ),
)

RU_GREETING = operator("Здравствуйте, Рассвет Телеком, меня зовут Анна. Чем могу помочь?", 19)
RU_CLOSING = operator("Спасибо за звонок. Хорошего вам дня. До свидания.", 17)

RU_CALM = CallScript(
    name="ru_calm",
    language="ru",
    description="Хороший вежливый звонок: приветствие, имя, благодарность, прощание.",
    expect=("calm",),
    turns=(
        RU_GREETING,
        caller(
            "Здравствуйте. У меня очень медленный интернет со вчерашнего вечера, "
            "а я работаю из дома.",
            31,
        ),
        operator("Мне очень жаль. Сейчас я проверю вашу линию.", 15),
        caller("Спасибо. Связь пропадает каждые несколько минут, особенно вечером.", 23),
        operator("В вашем районе идёт ремонт. Интернет заработает сегодня вечером.", 23),
        caller("Понятно, это хорошая новость. Большое спасибо за помощь.", 20),
        RU_CLOSING,
    ),
)

RU_ABUSIVE = CallScript(
    name="ru_abusive",
    language="ru",
    description="Звонящий ругается матом, оскорбляет и угрожает; оператор спокоен и вежлив.",
    expect=("abusive:profanity", "abusive:insult", "abusive:threat"),
    turns=(
        RU_GREETING,
        caller("Блядь, опять ничего не работает!", 11, abuse="profanity"),
        operator("Извините, пожалуйста. Я сейчас всё проверю.", 15),
        caller("Вы там все идиоты, бесполезные дебилы.", 15, abuse="insult"),
        operator("Я понимаю, что вы расстроены. Я постараюсь помочь.", 18),
        caller("Если не почините, я приеду к вам в офис и набью тебе морду.", 22, abuse="threat"),
        operator("Мастер приедет к вам завтра утром. До свидания.", 16),
    ),
)

ZH_GREETING = operator("您好，阳光电信，我是小李，请问有什么可以帮您？", 19)
ZH_CLOSING = operator("感谢您的来电，祝您生活愉快，再见。", 14)

ZH_CALM = CallScript(
    name="zh_calm",
    language="zh",
    description="礼貌的好通话：问候、自报姓名、致谢、道别。",
    expect=("calm",),
    turns=(
        ZH_GREETING,
        caller("你好，我家的网络从昨天晚上开始就很慢。", 17),
        operator("非常抱歉，我马上帮您检查线路。", 13),
        caller("好的，谢谢。网络每隔几分钟就断一次。", 15),
        operator("您那里正在维修，下午就会恢复。", 13),
        caller("明白了，这是好消息，谢谢你的帮助。", 14),
        ZH_CLOSING,
    ),
)

ZH_ABUSIVE = CallScript(
    name="zh_abusive",
    language="zh",
    description="来电者骂人、侮辱并威胁；客服保持冷静和礼貌。",
    expect=("abusive:profanity", "abusive:insult", "abusive:threat"),
    turns=(
        ZH_GREETING,
        caller("他妈的，网络又不能用了！", 10, abuse="profanity"),
        operator("非常抱歉，我马上帮您检查。", 11),
        caller("你们全是白痴，一群废物！", 10, abuse="insult"),
        operator("我理解您很生气，我一定帮您解决。", 14),
        caller("再不修好，我就去你们公司找你算账，让你好看。", 19, abuse="threat"),
        operator("维修师傅明天上午会去您家，再见。", 14),
    ),
)

INTERNATIONAL: tuple[CallScript, ...] = (
    VI_CALM,
    VI_ABUSIVE,
    VI_DEESCALATION,
    RU_CALM,
    RU_ABUSIVE,
    ZH_CALM,
    ZH_ABUSIVE,
)
