"""What operators say and what callers say: script phrases that tell the roles apart.

Each kind of phrase carries a weight in log-odds (how much one occurrence says
"this voice is the operator", negative for the caller's side) and counts at most
``MAX_HITS_PER_KIND`` times, so one phrase said over and over cannot outweigh the rest.
Phrases are regular expressions over case-folded words without punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HITS_PER_KIND = 2


@dataclass(frozen=True)
class CueKind:
    name: str
    weight: float  # log-odds per hit; > 0 operator, < 0 caller
    patterns: dict[str, tuple[str, ...]]  # language -> regular expressions


GREETS_WITH_COMPANY = CueKind(
    "greets with the company's name",
    2.0,
    {
        "en": (
            r"thanks? (you )?for calling",
            r"you('ve| have) reached",
            r"thank you for contacting",
            r"this call (may|will|might) be (recorded|monitored)",
            r"welcome to \w+",
        ),
        "vi": (r"cảm ơn quý khách đã gọi", r"xin chào quý khách", r"tổng đài"),
        "ru": (
            r"спасибо за (ваш )?звонок",
            r"(компания|магазин|салон|сервис|служба) [\w-]+( [\w-]+)? здравствуйте",
            r"вы позвонили в",
        ),
        "zh": (r"感谢您的来电", r"您好.{0,12}客服", r"很高兴为您服务"),
    },
)
OFFERS_HELP = CueKind(
    "offers help",
    1.5,
    {
        "en": (
            r"how (can|may|could) (i|we)( \w+){0,4} (help|assist)",
            r"what can i do for you",
            r"anything else (i|we) can",
            r"is there anything else",
        ),
        "vi": (r"(em|tôi|mình) có thể giúp gì", r"hỗ trợ gì cho"),
        "ru": (r"чем (я )?(могу|можем) (вам )?помочь", r"что-нибудь ещё", r"чем могу быть полезен"),
        "zh": (r"有什么可以帮", r"请问有什么", r"还有其他"),
    },
)
ASKS_FOR_DETAILS = CueKind(
    "asks for account or identity details",
    0.8,
    {
        "en": (
            r"(can|could|may) i (have|get|take) (your|the)",
            r"what('s| is) your (name|phone|number|account|address|email|date|zip|last)",
            r"(can|could) you (confirm|verify|spell|give me)",
            r"your (account|phone|reference|policy|order|confirmation) number",
            r"your date of birth",
            r"(let me|i'll|i will) (check|look|pull|see)",
            r"bear with me",
        ),
        "vi": (
            r"cho (em|tôi) xin",
            r"số điện thoại của (anh|chị|quý khách)",
            r"quý khách vui lòng",
        ),
        "ru": (r"(назовите|продиктуйте|подскажите) (пожалуйста )?(ваш|вашу|ваше)", r"ваш номер"),
        "zh": (r"请问您的", r"您的(手机|电话|账号|姓名)", r"请提供"),
    },
)
CLOSES_THE_CALL = CueKind(
    "closes as an operator",
    0.8,
    {
        "en": (
            r"have a (nice|great|good|wonderful) (day|evening|one)",
            r"thank you for (your patience|holding)",
        ),
        "vi": (r"chúc quý khách", r"cảm ơn quý khách"),
        "ru": (r"хорошего (вам )?дня", r"всего доброго"),
        "zh": (r"祝您", r"感谢您的耐心"),
    },
)
GIVES_DETAILS = CueKind(
    "gives their own account or identity details",
    -0.8,
    {
        "en": (
            r"my (phone|account|policy|order|reference|cell) number",
            r"my (date of birth|birthday|email|address|zip|last name|first name)",
            r"(it's|it is|that's) spelled",
        ),
        "vi": (r"số điện thoại của (em|tôi) là", r"tên (em|tôi) là"),
        "ru": (r"мой номер", r"моя фамилия", r"мой адрес"),
        "zh": (r"我的(手机|电话|账号)", r"我叫"),
    },
)
STATES_A_NEED = CueKind(
    "says why they are calling",
    -1.0,
    {
        "en": (
            r"i('m| am| was) calling (about|because|to|for|regarding)",
            r"i('d| would) like to",
            r"i (have|had|got) a (question|problem|issue)",
            r"i was wondering",
            r"i need (to|a|some|help)",
        ),
        "vi": (r"(em|tôi) muốn", r"(em|tôi) gọi (để|vì)", r"(em|tôi) cần"),
        "ru": (r"я (вам )?звоню", r"я хотел(а)? бы", r"у меня (проблема|вопрос)"),
        "zh": (r"我想", r"我要", r"我有(个|一个)?问题"),
    },
)
KINDS = (
    GREETS_WITH_COMPANY,
    OFFERS_HELP,
    ASKS_FOR_DETAILS,
    CLOSES_THE_CALL,
    GIVES_DETAILS,
    STATES_A_NEED,
)
OPERATOR_KINDS = tuple(kind for kind in KINDS if kind.weight > 0)
CALLER_KINDS = tuple(kind for kind in KINDS if kind.weight < 0)


def fold(text: str) -> str:
    folded = re.sub(r"[^\w\s'-]", " ", text.casefold().replace("’", "'"))
    return re.sub(r"\s+", " ", folded).strip()


def hits(text: str, kind: CueKind, language: str) -> int:
    """How many times ``text`` says a phrase of ``kind`` (English phrases count in any call)."""
    folded = fold(text)
    patterns = kind.patterns.get(language, ()) + (kind.patterns["en"] if language != "en" else ())
    return sum(len(re.findall(pattern, folded)) for pattern in patterns)


def role_score(text: str, language: str) -> tuple[float, dict[str, int]]:
    """Log-odds that whoever said ``text`` is the operator, and the hits per kind."""
    counted = {kind.name: hits(text, kind, language) for kind in KINDS}
    score = sum(kind.weight * min(MAX_HITS_PER_KIND, counted[kind.name]) for kind in KINDS)
    return score, {name: count for name, count in counted.items() if count}


def operator_cue_count(text: str, language: str) -> int:
    return sum(hits(text, kind, language) for kind in OPERATOR_KINDS)


def caller_cue_count(text: str, language: str) -> int:
    return sum(hits(text, kind, language) for kind in CALLER_KINDS)
