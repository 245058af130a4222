"""Coaching-note templates in English, Vietnamese, Russian and Chinese.

Keys are ``<criterion>.strength`` and ``<criterion>.<low|high>`` (what to
improve when the value is under or over its target). Fields: ``time`` (mm:ss),
``at`` (the value at that moment), ``value`` (the call's value), ``unit``,
``target``, ``missing``/``found`` (courtesy steps) and ``category`` (a flag).
The texts describe what was heard and what to try next; never feelings.
"""

from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "generic.improve": "At {time}: {label} was {value} {unit}; the target is {target}.",
        "pace.high": "At {time} you spoke at {at} {unit}, a little fast to follow. Slow down, "
        "especially for numbers and names; aim for {target}.",
        "pace.low": "At {time} the pace dropped to {at} {unit}. A slightly brisker pace "
        "({target}) keeps the call moving.",
        "pace.strength": "At {time} your pace was {at} {unit}: clear and easy to follow.",
        "volume.low": "At {time} your voice was quiet ({at} dBFS). Move closer to the "
        "microphone or speak up a little; aim for {target}.",
        "volume.high": "At {time} your level was high ({at} dBFS) and may sound harsh on the "
        "line. Move the microphone a little away or speak a little softer.",
        "volume.strength": "Your voice came through at a clear, steady level (at {time}: "
        "{at} dBFS).",
        "pitch_variation.low": "At {time} your voice stayed on one note; over the call your "
        "pitch varied by only {value} {unit}. Let your voice rise and fall on the key words "
        "so the caller hears what matters.",
        "pitch_variation.strength": "Your intonation moved naturally ({value} {unit} of "
        "variation), e.g. from {time}; it helps the caller hear what matters.",
        "talk_share.high": "You spoke for {value} % of the call; from {time} you spoke for a "
        "long stretch. Pause, ask a question and let the caller answer.",
        "talk_share.low": "You spoke for {value} % of the call. From {time} the caller spoke "
        "at length; a short summary or a guiding question helps you lead.",
        "talk_share.strength": "You shared the conversation well ({value} % of the talk); "
        "from {time} you let the caller explain fully.",
        "dead_air.high": "At {time} the line was silent for {at} s. When you need time, tell "
        "the caller what you are doing and check back every few seconds.",
        "dead_air.strength": "No long silences: the longest pause was {at} s (at {time}).",
        "overtalk.high": "At {time} you and the caller spoke at the same time for {at} s. "
        "Let the caller finish, then answer.",
        "overtalk.strength": "You rarely spoke over the caller ({value} % of the call); at "
        "{time} you let them finish before answering.",
        "response_latency.high": "At {time} the caller waited {at} s for your answer. A short "
        "“let me check that” helps while you look things up.",
        "response_latency.strength": "You answered promptly, typically {value} s after the "
        "caller finished (e.g. at {time}).",
        "courtesy.low": "At {time}: remember to {missing}.",
        "courtesy.strength": "At {time} you {found}: a friendly, professional touch.",
        "caller_sentiment_trend.low": "The caller's tone grew more negative towards the end "
        "(e.g. at {time}). Acknowledge the concern and sum up the next step before closing.",
        "caller_sentiment_trend.strength": "The caller's tone improved over the call (e.g. at "
        "{time}); your handling helped.",
        "operator_language.high": "At {time} a word you used was flagged as {category}. Keep "
        "to neutral words, even when a caller is difficult.",
        "operator_language.strength": "You kept your language professional, even when the "
        "caller was abusive at {time}.",
    },
    "vi": {
        "generic.improve": "Lúc {time}: {label} là {value} {unit}; mục tiêu là {target}.",
        "pace.high": "Lúc {time} bạn nói {at} {unit}, hơi nhanh để theo kịp. Hãy nói chậm "
        "lại, nhất là khi đọc số và tên; mục tiêu là {target}.",
        "pace.low": "Lúc {time} tốc độ nói giảm còn {at} {unit}. Nói nhanh hơn một chút "
        "({target}) giúp cuộc gọi trôi chảy hơn.",
        "pace.strength": "Lúc {time} bạn nói {at} {unit}: rõ ràng và dễ theo dõi.",
        "volume.low": "Lúc {time} giọng bạn hơi nhỏ ({at} dBFS). Hãy đặt micro gần hơn hoặc "
        "nói to hơn một chút; mục tiêu là {target}.",
        "volume.high": "Lúc {time} âm lượng khá lớn ({at} dBFS), có thể bị chói trên đường "
        "dây. Hãy để micro xa hơn một chút hoặc nói nhỏ lại.",
        "volume.strength": "Giọng bạn rõ và đều (lúc {time}: {at} dBFS).",
        "pitch_variation.low": "Lúc {time} giọng bạn giữ nguyên một cao độ; cả cuộc gọi cao "
        "độ chỉ dao động {value} {unit}. Hãy lên xuống giọng ở những từ quan trọng để khách "
        "hàng nghe rõ ý chính.",
        "pitch_variation.strength": "Ngữ điệu của bạn lên xuống tự nhiên (dao động {value} "
        "{unit}), ví dụ từ {time}; điều đó giúp khách hàng nghe rõ ý chính.",
        "talk_share.high": "Bạn nói {value}% thời lượng cuộc gọi; từ {time} bạn nói liền một "
        "đoạn dài. Hãy dừng lại, đặt câu hỏi và để khách hàng trả lời.",
        "talk_share.low": "Bạn chỉ nói {value}% thời lượng cuộc gọi. Từ {time} khách hàng nói "
        "rất lâu; một câu tóm tắt hoặc câu hỏi gợi mở giúp bạn dẫn dắt cuộc gọi.",
        "talk_share.strength": "Cuộc trò chuyện cân bằng (bạn nói {value}%); từ {time} bạn "
        "để khách hàng trình bày trọn vẹn.",
        "dead_air.high": "Lúc {time} đường dây im lặng {at} giây. Khi cần thời gian, hãy cho "
        "khách hàng biết bạn đang làm gì và quay lại sau vài giây.",
        "dead_air.strength": "Không có khoảng lặng dài: lâu nhất chỉ {at} giây (lúc {time}).",
        "overtalk.high": "Lúc {time} bạn và khách hàng nói cùng lúc trong {at} giây. Hãy để "
        "khách hàng nói hết rồi mới trả lời.",
        "overtalk.strength": "Bạn hầu như không nói chen ({value}% cuộc gọi); lúc {time} bạn "
        "đợi khách hàng nói xong rồi mới trả lời.",
        "response_latency.high": "Lúc {time} khách hàng chờ {at} giây để nghe bạn trả lời. "
        "Một câu ngắn như “để em kiểm tra” giúp ích trong lúc bạn tra cứu.",
        "response_latency.strength": "Bạn trả lời kịp thời, thường {value} giây sau khi khách "
        "hàng nói xong (ví dụ lúc {time}).",
        "courtesy.low": "Lúc {time}: hãy nhớ {missing}.",
        "courtesy.strength": "Lúc {time} bạn đã {found}: lịch sự và chuyên nghiệp.",
        "caller_sentiment_trend.low": "Giọng điệu của khách hàng tiêu cực hơn về cuối cuộc "
        "gọi (ví dụ lúc {time}). Hãy ghi nhận mối lo của khách và tóm tắt bước tiếp theo "
        "trước khi kết thúc.",
        "caller_sentiment_trend.strength": "Thái độ của khách hàng tích cực hơn trong cuộc "
        "gọi (ví dụ lúc {time}); cách bạn hỗ trợ đã có hiệu quả.",
        "operator_language.high": "Lúc {time} một từ bạn dùng bị đánh dấu là {category}. Hãy "
        "dùng từ ngữ trung tính, kể cả khi khách hàng khó tính.",
        "operator_language.strength": "Bạn giữ lời lẽ chuyên nghiệp, kể cả khi khách hàng "
        "dùng lời lẽ xúc phạm lúc {time}.",
    },
    "ru": {
        "generic.improve": "В {time}: {label}: {value} {unit}; ориентир: {target}.",
        "pace.high": "В {time} вы говорили со скоростью {at} {unit}, быстровато для "
        "собеседника. Говорите медленнее, особенно цифры и имена; ориентир: {target}.",
        "pace.low": "В {time} темп снизился до {at} {unit}. Чуть более живой темп "
        "({target}) помогает разговору двигаться.",
        "pace.strength": "В {time} ваш темп был {at} {unit}: чётко и понятно.",
        "volume.low": "В {time} ваш голос звучал тихо ({at} dBFS). Поднесите микрофон ближе "
        "или говорите чуть громче; ориентир: {target}.",
        "volume.high": "В {time} уровень был высоким ({at} dBFS), на линии это может звучать "
        "резко. Отодвиньте микрофон или говорите чуть тише.",
        "volume.strength": "Ваш голос звучал чётко и ровно (в {time}: {at} dBFS).",
        "pitch_variation.low": "В {time} голос звучал на одной ноте; за звонок высота менялась "
        "лишь на {value} {unit}. Выделяйте голосом ключевые слова, чтобы клиент слышал "
        "главное.",
        "pitch_variation.strength": "Ваша интонация была живой (разброс {value} {unit}), "
        "например с {time}; так клиенту легче услышать главное.",
        "talk_share.high": "Вы говорили {value} % времени; с {time} шёл длинный монолог. "
        "Сделайте паузу, задайте вопрос и дайте клиенту ответить.",
        "talk_share.low": "Вы говорили лишь {value} % времени. С {time} клиент говорил долго; "
        "короткое резюме или наводящий вопрос помогут вести разговор.",
        "talk_share.strength": "Разговор был сбалансирован (вы говорили {value} % времени); "
        "с {time} вы дали клиенту всё объяснить.",
        "dead_air.high": "В {time} на линии была тишина {at} с. Если нужно время, скажите "
        "клиенту, что вы делаете, и возвращайтесь к нему каждые несколько секунд.",
        "dead_air.strength": "Без долгих пауз: самая длинная длилась {at} с (в {time}).",
        "overtalk.high": "В {time} вы и клиент говорили одновременно {at} с. Дайте клиенту "
        "договорить, затем отвечайте.",
        "overtalk.strength": "Вы почти не говорили поверх клиента ({value} % звонка); в {time} "
        "вы дождались, пока он договорит.",
        "response_latency.high": "В {time} клиент ждал ответа {at} с. Короткое «сейчас "
        "проверю» помогает, пока вы ищете информацию.",
        "response_latency.strength": "Вы отвечали быстро, обычно через {value} с после "
        "реплики клиента (например, в {time}).",
        "courtesy.low": "В {time}: не забудьте {missing}.",
        "courtesy.strength": "В {time} вы {found}: вежливо и профессионально.",
        "caller_sentiment_trend.low": "К концу разговора тон клиента стал более негативным "
        "(например, в {time}). Признайте проблему клиента и перед завершением назовите "
        "следующий шаг.",
        "caller_sentiment_trend.strength": "Тон клиента улучшился за время звонка (например, "
        "в {time}); ваша работа помогла.",
        "operator_language.high": "В {time} ваше слово было отмечено как {category}. "
        "Используйте нейтральные слова, даже если клиент ведёт себя трудно.",
        "operator_language.strength": "Вы сохраняли корректную речь, даже когда клиент в "
        "{time} допускал оскорбления.",
    },
    "zh": {
        "generic.improve": "在 {time}：{label}为 {value} {unit}；目标为 {target}。",
        "pace.high": "在 {time}，你的语速为 {at} {unit}，有点快，来电者不易跟上。请放慢一些，"
        "尤其是报数字和姓名时；目标为 {target}。",
        "pace.low": "在 {time}，语速降到 {at} {unit}。稍快一点（{target}）能让通话更顺畅。",
        "pace.strength": "在 {time}，你的语速为 {at} {unit}，清楚易懂。",
        "volume.low": "在 {time}，你的声音偏小（{at} dBFS）。请把麦克风靠近一些或稍微提高"
        "音量；目标为 {target}。",
        "volume.high": "在 {time}，你的音量偏大（{at} dBFS），在线路上可能显得刺耳。请把"
        "麦克风稍微移远或放低声音。",
        "volume.strength": "你的声音清晰、音量平稳（{time}：{at} dBFS）。",
        "pitch_variation.low": "在 {time}，你的声音几乎停在同一个音高；整通电话的音高变化只有 "
        "{value} {unit}。在关键词上让声音有起伏，来电者更容易抓住重点。",
        "pitch_variation.strength": "你的语调自然有起伏（变化幅度 {value} {unit}），例如从 "
        "{time} 开始；这能帮助来电者抓住重点。",
        "talk_share.high": "你说话占通话时间的 {value}%；从 {time} 开始你连续说了很久。请"
        "停下来提个问题，让来电者回应。",
        "talk_share.low": "你说话只占通话时间的 {value}%。从 {time} 开始来电者说了很久；"
        "简短的总结或引导性问题能帮助你把握通话。",
        "talk_share.strength": "对话分配均衡（你说话占 {value}%）；从 {time} 开始你让来电者"
        "把情况说完整。",
        "dead_air.high": "在 {time}，线路静默了 {at} 秒。需要时间时，请告诉来电者你在做什么，"
        "并每隔几秒回应一次。",
        "dead_air.strength": "没有长时间静默：最长的停顿只有 {at} 秒（在 {time}）。",
        "overtalk.high": "在 {time}，你和来电者同时说话 {at} 秒。请让来电者说完再回答。",
        "overtalk.strength": "你很少与来电者抢话（占通话 {value}%）；在 {time} 你等来电者"
        "说完才回答。",
        "response_latency.high": "在 {time}，来电者等了 {at} 秒才听到你的回答。查询时先说"
        "一句“我帮您查一下”会更好。",
        "response_latency.strength": "你回应及时，通常在来电者说完后 {value} 秒（例如 {time}）。",
        "courtesy.low": "在 {time}：记得{missing}。",
        "courtesy.strength": "在 {time}，你{found}，做得很专业。",
        "caller_sentiment_trend.low": "来电者的语气在通话后段变得更负面（例如 {time}）。"
        "结束前请回应对方的顾虑，并说明下一步。",
        "caller_sentiment_trend.strength": "来电者的语气在通话中逐渐好转（例如 {time}），"
        "你的处理起了作用。",
        "operator_language.high": "在 {time}，你用的一个词被标记为{category}。即使来电者"
        "态度不好，也请使用中性的措辞。",
        "operator_language.strength": "即使来电者在 {time} 出言不逊，你仍保持了规范的用语。",
    },
}
