"""Words that say what a number is (a card, its expiry or security code, a one-time
code, a phone) or that it is harmless (money, a meter reading, a count), in English,
Vietnamese, Russian and Chinese. Patterns match at a word start (inflections follow);
Chinese ones anywhere."""

from __future__ import annotations

import re

CARD = (r"cards?\b", r"visa\b", r"master ?card", r"amex\b", r"debit\b", r"credit\b",
        r"thẻ", r"карт", "卡")  # fmt: skip
CARD_ENDING = (r"ending", r"ends? (in|with)", r"last (four|4|few|digits)", r"final (four|4)",
               r"số cuối", r"cuối", r"đuôi", r"заканчива", r"оканчива", r"последн",
               "尾号", "尾数", "后四位", "后4位", "末四位", "最后四位", "最后几位")  # fmt: skip
LAST_DIGITS = (r"last (four|4|few) digits", r"final (four|4) digits", r"(4|bốn) số cuối",
               r"последние (четыре|4) цифры", "尾号", "后四位", "后4位", "末四位",
               "最后四位")  # fmt: skip
EXPIRY = (r"expir", r"exp\b", r"valid (thru|through|until|till)", r"good (thru|through)",
          r"hết hạn", r"hạn sử dụng", r"hiệu lực", r"срок", r"действ\w* до", r"годн\w* до",
          "有效期", "到期", "过期")  # fmt: skip
CVV = (r"cvv", r"cvc", r"cv2", r"csc\b", r"security (code|number)", r"card verification",
       r"mã bảo mật", r"mã cvv", r"код безопасности", r"код проверки", "安全码")  # fmt: skip
CVV_IN_CARD_TALK = (r"(three|3)[ -]digits?", r"on the back", r"back of the card", r"mặt sau",
                    r"(ba|3) số", r"на оборот", r"на обратной", r"три цифры", r"(3|три) цифр",
                    "背面", "后三位", "末三位", "后3位")  # fmt: skip
CODE = (r"codes?\b", r"otp", r"pin\b", r"passcode", r"mã\b", r"код", r"пароль", r"пин\b",
        "码", "密码")  # fmt: skip
CODE_STRONG = (r"otp", r"one[ -]time", r"verification", r"verify", r"authenticat", r"passcode",
               r"pin\b", r"sms", r"text message", r"mã otp", r"mã xác", r"mã pin",
               r"одноразов", r"подтвержд", r"смс", r"пин\b", "验证码", "动态码", "短信",
               "校验码", "密码")  # fmt: skip
HARMLESS_CODE = (r"zip", r"postal", r"post ?code", r"area code", r"error", r"promo",
                 r"discount", r"coupon", r"mã bưu", r"mã lỗi", r"mã giảm", r"почтов",
                 r"индекс", r"ошибк", r"промо", "邮编", "邮政", "错误", "区号", "优惠")  # fmt: skip
PHONE = (r"phone", r"mobile", r"cell\b", r"điện thoại", r"sđt", r"số máy", r"телефон",
         r"мобильн", "电话", "手机")  # fmt: skip
SENSITIVE = (*CARD, *PHONE, r"account", r"number", r"iban", r"sort code", r"tài khoản",
             r"số\b", r"сч[её]т(а|у|ом|е)?\b", r"номер", "账号", "账户", "号码",
             "卡号")  # fmt: skip
METER_OR_MONEY_BEFORE = (r"meter", r"reading", r"chỉ số", r"công tơ", r"đồng hồ",
                         r"показани", r"сч[её]тчик", "电表", "水表", "燃气表", "读数",
                         r"[$€£¥₫₽]", r"usd", r"vnd", r"balance", r"số dư", r"баланс",
                         r"сумм", "余额", "金额")  # fmt: skip
MONEY_OR_COUNT_AFTER = (r"dollars?", r"bucks?", r"cents?", r"euros?", r"pounds?", r"usd",
                        r"times\b", r"minutes?", r"hours?", r"days?", r"weeks?", r"months?",
                        r"years?", r"o'?clock", r"kwh", r"kilowatt", r"percent", r"%",
                        r"đồng", r"nghìn", r"ngàn", r"triệu", r"tỷ", r"vnđ", r"lần", r"phút",
                        r"giờ", r"ngày", r"tháng", r"руб", r"коп", r"тысяч", r"миллион",
                        r"раз\b", r"раза\b", r"минут", r"час", r"дн", r"недел", r"месяц",
                        r"лет\b", r"год", r"кВт", r"процент", "元", "块", "万", "千", "美元",
                        "毛", "角", "次", "分钟", "小时", "天", "度", "年", "月")  # fmt: skip


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    chinese = [p for p in patterns if "\u3000" <= p[0] <= "\u9fff"]
    words = [p for p in patterns if p not in chinese]
    alternatives = [rf"(?<![^\W\d_])(?:{'|'.join(words)})"] if words else []
    return re.compile("|".join([*alternatives, *chinese]), re.IGNORECASE)


_CUES = {
    name: _compile(patterns)
    for name, patterns in {
        "card": CARD,
        "card_ending": CARD_ENDING,
        "last_digits": LAST_DIGITS,
        "expiry": EXPIRY,
        "cvv": CVV,
        "cvv_in_card_talk": CVV_IN_CARD_TALK,
        "code": CODE,
        "code_strong": CODE_STRONG,
        "harmless_code": HARMLESS_CODE,
        "phone": PHONE,
        "sensitive": SENSITIVE,
        "harmless_before": METER_OR_MONEY_BEFORE,
    }.items()
}
_AFTER = re.compile(
    r"^[\s,.]*(" + "|".join(MONEY_OR_COUNT_AFTER) + ")", re.IGNORECASE
)  # right after the number


def said(cue: str, text: str) -> bool:
    """Whether ``text`` holds a word of the cue family ``cue`` ("card", "expiry", ...)."""
    return bool(_CUES[cue].search(text))


def said_last(cue: str, text: str) -> int:
    """Where the last word of the cue family ``cue`` starts in ``text`` (-1: nowhere)."""
    return max((match.start() for match in _CUES[cue].finditer(text)), default=-1)


def harmless_after(text: str) -> bool:
    """Whether the words right after a number make it money, a count or a time."""
    return bool(_AFTER.match(text))
