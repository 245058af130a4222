"""Words the scorecard shows, in English, Vietnamese, Russian and Chinese.

Operators are addressed plainly and kindly (Vietnamese "bạn", Russian "вы",
Chinese "你"). Nothing here describes an operator's emotions.
"""

from __future__ import annotations

from coaching.errors import ConfigError
from coaching.timing import clock as clock  # one mm:ss clock for the whole toolkit

LANGUAGES = ("en", "vi", "ru", "zh")
FALLBACK_LANGUAGE = "en"

UNITS: dict[str, dict[str, str]] = {
    "en": {"wpm": "wpm", "syll/s": "syll/s", "st": "st", "s": "s", "count": "", "pts": "pts"},
    "vi": {
        "wpm": "từ/phút",
        "syll/s": "âm tiết/giây",
        "st": "nửa cung",
        "s": "giây",
        "count": "",
        "pts": "điểm",
    },
    "ru": {"wpm": "сл/мин", "syll/s": "слог/с", "st": "пт", "s": "с", "count": "", "pts": "п."},
    "zh": {
        "wpm": "词/分钟",
        "syll/s": "音节/秒",
        "st": "半音",
        "s": "秒",
        "count": "",
        "pts": "分",
    },
}

VERDICTS: dict[str, dict[str, str]] = {
    "en": {"good": "good", "watch": "watch", "improve": "improve", "n/a": "n/a"},
    "vi": {"good": "tốt", "watch": "cần chú ý", "improve": "cần cải thiện", "n/a": "không áp dụng"},
    "ru": {"good": "хорошо", "watch": "внимание", "improve": "улучшить", "n/a": "н/д"},
    "zh": {"good": "良好", "watch": "注意", "improve": "需改进", "n/a": "不适用"},
}

HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "pace": "Pace",
        "pitch": "Pitch",
        "loudness": "Loudness",
        "title": "Call scorecard",
        "overall": "Overall",
        "criterion": "Criterion",
        "value": "Value",
        "target": "Target",
        "score": "Score",
        "verdict": "Verdict",
        "strengths": "What went well",
        "improvements": "What to work on",
        "no_notes": "Nothing to add for this call.",
        "delivery_chart": "Your delivery over the call (one mark per utterance)",
        "timeline_chart": "Timeline: who spoke, silences and overtalk",
        "duration": "Duration",
        "language": "Language",
        "separation": "Speakers",
        "rubric": "Rubric",
        "operator": "Operator",
        "caller": "Caller",
        "dead_air": "Dead air",
        "overtalk": "Overtalk",
        "not_scored": "not scored",
        "footer": "Scores describe delivery and wording only; they never judge how the "
        "operator felt.",
    },
    "vi": {
        "pace": "Tốc độ",
        "pitch": "Cao độ",
        "loudness": "Âm lượng",
        "title": "Bảng đánh giá cuộc gọi",
        "overall": "Tổng điểm",
        "criterion": "Tiêu chí",
        "value": "Giá trị",
        "target": "Mục tiêu",
        "score": "Điểm",
        "verdict": "Đánh giá",
        "strengths": "Điểm làm tốt",
        "improvements": "Điểm cần luyện thêm",
        "no_notes": "Không có ghi chú cho cuộc gọi này.",
        "delivery_chart": "Cách nói của bạn trong cuộc gọi (mỗi vạch là một lượt nói)",
        "timeline_chart": "Dòng thời gian: ai nói, khoảng lặng và nói chồng lời",
        "duration": "Thời lượng",
        "language": "Ngôn ngữ",
        "separation": "Tách người nói",
        "rubric": "Bộ tiêu chí",
        "operator": "Nhân viên",
        "caller": "Khách hàng",
        "dead_air": "Khoảng lặng",
        "overtalk": "Nói chồng lời",
        "not_scored": "không chấm",
        "footer": "Điểm chỉ đánh giá cách nói và từ ngữ; không bao giờ đánh giá cảm xúc "
        "của nhân viên.",
    },
    "ru": {
        "pace": "Темп",
        "pitch": "Высота",
        "loudness": "Громкость",
        "title": "Оценка звонка",
        "overall": "Итог",
        "criterion": "Критерий",
        "value": "Значение",
        "target": "Цель",
        "score": "Балл",
        "verdict": "Вывод",
        "strengths": "Что получилось",
        "improvements": "Над чем поработать",
        "no_notes": "Замечаний по этому звонку нет.",
        "delivery_chart": "Ваша речь по ходу звонка (отметка на каждую реплику)",
        "timeline_chart": "Хронология: кто говорил, паузы и одновременная речь",
        "duration": "Длительность",
        "language": "Язык",
        "separation": "Разделение голосов",
        "rubric": "Критерии",
        "operator": "Оператор",
        "caller": "Клиент",
        "dead_air": "Тишина",
        "overtalk": "Одновременная речь",
        "not_scored": "не оценивается",
        "footer": "Оценка касается только подачи и слов; эмоции оператора не оцениваются.",
    },
    "zh": {
        "pace": "语速",
        "pitch": "音高",
        "loudness": "音量",
        "title": "通话评分卡",
        "overall": "总分",
        "criterion": "评分项",
        "value": "数值",
        "target": "目标",
        "score": "得分",
        "verdict": "结论",
        "strengths": "做得好的地方",
        "improvements": "可以改进的地方",
        "no_notes": "本次通话没有需要补充的内容。",
        "delivery_chart": "你在通话中的表达（每条标记为一段话）",
        "timeline_chart": "时间线：谁在说话、静默和同时说话",
        "duration": "时长",
        "language": "语言",
        "separation": "说话人分离",
        "rubric": "评分标准",
        "operator": "客服",
        "caller": "来电者",
        "dead_air": "静默",
        "overtalk": "同时说话",
        "not_scored": "不评分",
        "footer": "评分只针对表达方式和用语，从不评判客服的情绪。",
    },
}

# Courtesy steps: (what to remember, what was done).
COURTESY_ACTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "greeting": ("greet the caller at the start", "greeted the caller"),
        "name": ("say your name at the start", "gave your name"),
        "thanks": ("thank the caller", "thanked the caller"),
        "closing": (
            "close politely: offer more help and say goodbye",
            "closed the call politely",
        ),
    },
    "vi": {
        "greeting": ("chào khách hàng khi bắt đầu", "chào khách hàng"),
        "name": ("giới thiệu tên của bạn khi bắt đầu", "giới thiệu tên"),
        "thanks": ("cảm ơn khách hàng", "cảm ơn khách hàng"),
        "closing": (
            "kết thúc lịch sự: hỏi khách còn cần hỗ trợ gì và chào tạm biệt",
            "kết thúc cuộc gọi lịch sự",
        ),
    },
    "ru": {
        "greeting": ("поздороваться в начале", "поздоровались"),
        "name": ("представиться в начале", "представились"),
        "thanks": ("поблагодарить клиента", "поблагодарили клиента"),
        "closing": (
            "вежливо завершить разговор: предложить помощь и попрощаться",
            "вежливо завершили разговор",
        ),
    },
    "zh": {
        "greeting": ("在开头问候来电者", "问候了来电者"),
        "name": ("在开头报出自己的姓名或工号", "报出了姓名"),
        "thanks": ("感谢来电者", "感谢了来电者"),
        "closing": ("礼貌地结束通话：询问是否还需要帮助并道别", "礼貌地结束了通话"),
    },
}

ABUSE_CATEGORIES: dict[str, dict[str, str]] = {
    "en": {
        "profanity": "profanity",
        "insult": "an insult",
        "threat": "a threat",
        "harassment": "harassment",
        "shouting": "shouting",
    },
    "vi": {
        "profanity": "lời tục tĩu",
        "insult": "lời xúc phạm",
        "threat": "lời đe dọa",
        "harassment": "quấy rối",
        "shouting": "la hét",
    },
    "ru": {
        "profanity": "ненормативная лексика",
        "insult": "оскорбление",
        "threat": "угроза",
        "harassment": "домогательство",
        "shouting": "крик",
    },
    "zh": {
        "profanity": "脏话",
        "insult": "侮辱",
        "threat": "威胁",
        "harassment": "骚扰",
        "shouting": "喊叫",
    },
}

LIST_JOINERS = {
    "en": (", ", " and "),
    "vi": (", ", " và "),
    "ru": (", ", " и "),
    "zh": ("，", "，"),
}


def resolve_language(language: str | None, *, fallback: str | None = None) -> str:
    """The display language: an explicit one (must be supported) or the call's, else English."""
    if language is not None:
        if language not in LANGUAGES:
            raise ConfigError(
                f"language {language!r} has no coaching texts; allowed: {', '.join(LANGUAGES)}"
            )
        return language
    return fallback if fallback in LANGUAGES else FALLBACK_LANGUAGE


def join_list(items: list[str], language: str) -> str:
    """``a, b and c`` in the given language."""
    separator, last = LIST_JOINERS[language]
    if len(items) <= 1:
        return "".join(items)
    return separator.join(items[:-1]) + last + items[-1]


def unit_text(unit: str, language: str) -> str:
    """``unit`` (e.g. "wpm") as written in ``language``; the unit itself when untranslated."""
    return UNITS[language].get(unit, unit)


def heading(key: str, language: str) -> str:
    """The scorecard heading ``key`` in ``language``."""
    return HEADINGS[language][key]


def verdict_text(verdict: str, language: str) -> str:
    """A verdict ("good", "watch", ...) in ``language``."""
    return VERDICTS[language][verdict]
