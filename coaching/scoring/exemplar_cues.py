"""Keyword cues for exemplars: the call's topic and what the operator did, in en, vi, ru, zh.

Matching is on case-folded text, by substring (Chinese has no spaces, and the
cues are phrases, so substring matching is what works across the four
languages). These are cues, not a classifier: the operator-action hook in
:mod:`coaching.scoring.exemplars` lets an encoder-based detector replace them.
"""

from __future__ import annotations

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "outage": {
        "en": (
            "internet",
            "is down",
            "been down",
            "outage",
            "no signal",
            "not working",
            "dropping",
            "fault",
            "slow",
            "my line",
            "your line",
        ),
        "vi": ("mạng", "mất sóng", "sự cố", "chậm", "đường truyền", "không vào được"),
        "ru": ("интернет", "не работает", "связь", "авария", "пропадает", "медленн", "линию"),
        "zh": ("网络", "断网", "没有信号", "故障", "很慢", "不能用", "线路"),
    },
    "billing": {
        "en": ("bill", "charge", "charged", "payment", "refund", "invoice", "price"),
        "vi": ("hóa đơn", "cước", "thanh toán", "hoàn tiền", "trừ tiền"),
        "ru": ("счёт", "счет", "оплат", "списали", "возврат", "тариф"),
        "zh": ("账单", "扣费", "费用", "付款", "退款", "缴费"),
    },
    "disconnection": {
        "en": ("cut off", "disconnect", "suspended", "cancel", "terminate"),
        "vi": ("cắt mạng", "ngắt", "khóa", "hủy", "tạm ngưng"),
        "ru": ("отключ", "заблокир", "расторг", "отмен"),
        "zh": ("停机", "断开", "注销", "取消", "停用"),
    },
    "meter": {
        "en": ("meter", "reading", "usage"),
        "vi": ("đồng hồ", "chỉ số", "công tơ"),
        "ru": ("счётчик", "счетчик", "показани"),
        "zh": ("电表", "水表", "读数", "抄表"),
    },
}

ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "acknowledged": {
        "en": (
            "i understand",
            "i hear you",
            "i can see why",
            "must be frustrating",
            "you are upset",
            "i know this",
            "that is not ok",
        ),
        "vi": ("em hiểu", "em rất hiểu", "bực mình", "em biết"),
        "ru": ("я понимаю", "понимаю вас", "вы расстроены", "понимаю, что"),
        "zh": ("我理解", "我明白", "理解您", "您很生气"),
    },
    "apologised": {
        "en": ("sorry", "apologise", "apologize", "apologies"),
        "vi": ("xin lỗi",),
        "ru": ("извините", "простите", "мне очень жаль", "приношу извинения"),
        "zh": ("抱歉", "对不起", "不好意思"),
    },
    "next step": {
        "en": (
            "i will",
            "i'll",
            "will visit",
            "engineer",
            "technician",
            "today",
            "tomorrow",
            "this afternoon",
            "this evening",
            "within",
            "by five",
            "call you back",
            "o'clock",
            "minutes",
            "hours",
        ),
        "vi": (
            "em sẽ",
            "sẽ đến",
            "kỹ thuật viên",
            "hôm nay",
            "ngày mai",
            "sáng mai",
            "chiều nay",
            "trong vòng",
            "giờ",
            "phút",
            "gọi lại",
        ),
        "ru": (
            "я сейчас",
            "мастер",
            "сегодня",
            "завтра",
            "в течение",
            "час",
            "минут",
            "перезвоню",
            "приедет",
        ),
        "zh": ("我会", "维修师傅", "今天", "明天", "下午", "上午", "小时", "分钟", "回电", "马上"),
    },
}


def cues_in(text: str, table: dict[str, dict[str, tuple[str, ...]]], language: str) -> list[str]:
    """The keys of ``table`` whose cues (in ``language``, else every language) occur in text."""
    folded = text.casefold()
    found = []
    for key, by_language in table.items():
        cues = by_language.get(language) or tuple(c for v in by_language.values() for c in v)
        if any(cue in folded for cue in cues):
            found.append(key)
    return found


def topic_of(texts: list[str], language: str) -> str:
    """The topic with the most cue hits over the call's texts, else "other"."""
    folded = " ".join(texts).casefold()
    best, best_hits = "other", 0
    for topic, by_language in TOPICS.items():
        cues = by_language.get(language) or tuple(c for v in by_language.values() for c in v)
        hits = sum(folded.count(cue) for cue in cues)
        if hits > best_hits:
            best, best_hits = topic, hits
    return best
