"""Sentiment per utterance, the fallback lexicon, the caller's trajectory, toxicity loading."""

from __future__ import annotations

import logging

import pytest

from coaching.text.classifiers import TextClassifier
from coaching.text.lexicon_sentiment import (
    LANGUAGES,
    LexiconSentiment,
    builtin_sentiment,
    load_lexicon,
)
from coaching.text.sentiment import (
    BUILTIN,
    ToxicityScorer,
    caller_trajectory,
    classify_sentiment,
    load_sentiment,
    load_toxicity,
    trend_label,
)
from coaching.types import Sentiment, Utterance
from testkit.tiny_models import (
    SENTIMENT_DATA,
    TOXICITY_DATA,
    build_classifier,
    one_torch_thread,
    point_hub_at_nothing,
)

OBVIOUS = {
    "en": {
        "positive": [
            "Thank you so much, that was really helpful!",
            "Great, I'm very happy with it.",
        ],
        "negative": [
            "This is terrible, I want to cancel.",
            "I am not happy at all.",
            "Your service is awful and slow.",
        ],
        "neutral": ["My account number is 4 5 6.", "I'm calling about the invoice from March."],
    },
    "vi": {
        "positive": ["Cảm ơn em nhiều, anh rất hài lòng.", "Dịch vụ tốt quá!"],
        "negative": [
            "Tôi không hài lòng chút nào.",
            "Dịch vụ tệ quá, chờ lâu quá!",
            "Tôi rất bực mình và thất vọng.",
        ],
        "neutral": ["Số tài khoản của tôi là 123.", "Tôi gọi về hóa đơn tháng ba."],
    },
    "ru": {
        "positive": ["Спасибо большое, всё отлично!", "Вы мне очень помогли, я довольна."],
        "negative": [
            "Я не доволен.",
            "Это ужасно, интернет не работает уже три дня.",
            "Очень плохой сервис.",
        ],
        "neutral": ["Мой номер договора 123.", "Я звоню по поводу счёта за март."],
    },
    "zh": {
        "positive": ["非常感谢，服务很好！", "不错，我很满意。"],
        "negative": ["我不满意，太差了。", "我很不高兴", "等了半天还是没解决，气死我了"],
        "neutral": ["我的订单号是123。", "你好，请问一下账单的事情"],
    },
}


@pytest.fixture(scope="module", autouse=True)
def torch_on_one_thread():
    with one_torch_thread():
        yield


@pytest.fixture
def no_hub(monkeypatch):
    """A hub endpoint where nothing listens: every hub id is unavailable."""
    point_hub_at_nothing(monkeypatch)


def say(speaker: str, start: float, text: str, score: float | None = None) -> Utterance:
    sentiment = None if score is None else Sentiment(label="neutral", score=score)
    return Utterance(speaker=speaker, start=start, end=start + 1.0, text=text, sentiment=sentiment)


@pytest.mark.parametrize("language", LANGUAGES)
def test_lexicon_gets_obvious_sentences_right(language):
    scorer = builtin_sentiment()
    for expected, sentences in OBVIOUS[language].items():
        for sentence, result in zip(sentences, scorer.sentiment(sentences), strict=True):
            assert result.label == expected, (sentence, result)


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("I am happy", "I am not happy"),
        ("Tôi hài lòng", "Tôi không hài lòng"),
        ("Я доволен", "Я не доволен"),
        ("我满意", "我不满意"),
    ],
)
def test_negation_flips_polarity(plain, negated):
    plain_score, negated_score = (s.score for s in builtin_sentiment().sentiment([plain, negated]))
    assert plain_score > 0.1 > -0.1 > negated_score


@pytest.mark.parametrize(
    ("plain", "stronger"),
    [
        ("it is bad", "it is very bad"),
        ("dịch vụ tệ", "dịch vụ rất tệ"),
        ("это плохо", "это очень плохо"),
        ("服务差", "服务非常差"),
    ],
)
def test_intensifiers_strengthen(plain, stronger):
    plain_score, stronger_score = (
        s.score for s in builtin_sentiment().sentiment([plain, stronger])
    )
    assert stronger_score < plain_score < 0


def test_chinese_needs_no_spaces_and_longest_match_wins():
    scorer = builtin_sentiment()
    good, seems = scorer.sentiment(["不错", "好像有人打过电话"])
    assert good.label == "positive"  # "不错" is one entry, not "不" + "错"
    assert seems.label == "neutral"  # "好像" (seems) is not "好" (good)


def test_words_inside_other_words_do_not_count():
    assert (
        builtin_sentiment().sentiment(["The goodwill payment and badge arrived"])[0].label
        == "neutral"
    )


def test_every_lexicon_loads_with_all_polar_sections():
    lexicon = load_lexicon()
    kinds = set(lexicon.entries.values())
    assert {"positive", "negative", "negator", "intensifier", "contrast"} <= kinds
    for language in LANGUAGES:
        alone = load_lexicon((language,))
        kinds = [
            *alone.entries.values(),
            *(k for group in alone.prefixes.values() for _, k in group),
        ]
        polar = [kind for kind in kinds if kind.endswith(("positive", "negative"))]
        assert len(polar) >= 80, language


def test_unavailable_model_falls_back_with_one_notice(no_hub, caplog):
    caplog.set_level(logging.WARNING, logger="coaching")
    first = load_sentiment("coaching-tests/missing-sentiment")
    second = load_sentiment("coaching-tests/missing-sentiment")
    assert isinstance(first, LexiconSentiment) and isinstance(second, LexiconSentiment)
    assert first.info.quality == "lower" and first.info.source == "built-in"
    assert first.notice.startswith(
        "sentiment: model coaching-tests/missing-sentiment unavailable ("
    )
    assert first.notice.endswith("); using the built-in lexicon (lower quality)")
    assert "\n" not in first.notice
    assert [r.getMessage() for r in caplog.records] == [first.notice]


def test_builtin_is_asked_for_without_notice(caplog):
    caplog.set_level(logging.WARNING, logger="coaching")
    scorer = load_sentiment(BUILTIN)
    assert scorer.notice is None and scorer.info.quality == "lower"
    assert not caplog.records


def test_local_model_scores_utterances(tmp_path):
    directory = build_classifier(tmp_path / "sentiment", data=SENTIMENT_DATA, kind="bert")
    scorer = load_sentiment(str(directory), device="cpu")
    assert isinstance(scorer, TextClassifier) and scorer.info.quality == "standard"
    utterances = [
        say("caller", 0.0, "horrible slow and rude people"),
        say("operator", 1.0, "   "),
        say("operator", 2.0, "please check the invoice date"),
        say("caller", 3.0, "wonderful help thanks a lot"),
    ]
    scored = classify_sentiment(utterances, classifier=scorer)
    assert [u.sentiment.label for u in scored] == ["negative", "neutral", "neutral", "positive"]
    assert scored[1].sentiment.score == 0.0
    assert [u.text for u in scored] == [u.text for u in utterances]
    assert utterances[0].sentiment is None  # inputs are left as they were


def test_classify_scores_blank_text_without_the_model():
    class Counting:
        def __init__(self):
            self.info = builtin_sentiment().info
            self.seen: list[str] = []

        def sentiment(self, texts):
            self.seen.extend(texts)
            return builtin_sentiment().sentiment(texts)

    scorer = Counting()
    scored = classify_sentiment(
        [say("caller", 0, ""), say("caller", 1, "great, thanks")], classifier=scorer
    )
    assert scorer.seen == ["great, thanks"]
    assert scored[0].sentiment == Sentiment(label="neutral", score=0.0)
    assert scored[1].sentiment.label == "positive"


def test_toxicity_scorer_on_a_local_model(tmp_path):
    directory = build_classifier(tmp_path / "toxicity", data=TOXICITY_DATA, kind="bert")
    scorer = load_toxicity(str(directory), device="cpu")
    assert isinstance(scorer, ToxicityScorer) and scorer.info.role == "toxicity"
    toxic, calm = scorer(["you stupid idiot shut up", "thank you so much this is great"])
    assert toxic > 0.5 > calm


def test_toxicity_unavailable_is_none_with_notice(no_hub, caplog):
    caplog.set_level(logging.WARNING, logger="coaching")
    assert load_toxicity("coaching-tests/missing-toxicity") is None
    assert len(caplog.records) == 1
    assert (
        caplog.records[0]
        .getMessage()
        .startswith("toxicity: model coaching-tests/missing-toxicity unavailable")
    )
    assert load_toxicity(None) is None


def test_trajectory_start_end_on_thirds():
    scores = [-0.6, -0.6, -0.6, 0.0, 0.0, 0.0, 0.4, 0.4, 0.4]
    utterances = [say("caller", float(i), "words", s) for i, s in enumerate(scores)]
    utterances.append(say("operator", 0.5, "operators do not count", 1.0))
    start, end, trend = caller_trajectory(utterances)
    assert start == pytest.approx(-60.0) and end == pytest.approx(40.0)
    assert trend == "improving"  # (40 - -60) / 2 = 50 >= 20
    assert caller_trajectory(utterances, band=55.0)[2] == "no change"


@pytest.mark.parametrize(
    ("first", "last", "trend"),
    [
        (0.0, 0.39, "no change"),
        (0.0, 0.41, "improving"),
        (0.3, -0.1, "worsening"),
        (0.3, 0.0, "no change"),
    ],
)
def test_trend_bands(first, last, trend):
    utterances = [
        say("caller", 0, "a", first),
        say("caller", 1, "b", (first + last) / 2),
        say("caller", 2, "c", last),
    ]
    assert caller_trajectory(utterances, band=20.0)[2] == trend


def test_trajectory_with_too_few_utterances():
    assert caller_trajectory([]) == (None, None, None)
    assert caller_trajectory([say("operator", 0, "hello", 0.5)]) == (None, None, None)
    start, end, trend = caller_trajectory([say("caller", 0, "x", 0.5), say("caller", 1, "y", -0.5)])
    assert (start, end, trend) == (pytest.approx(50.0), pytest.approx(-50.0), None)


def test_trend_label_edges():
    assert trend_label(20.0) == "improving"
    assert trend_label(-20.0) == "worsening"
    assert trend_label(19.9) == "no change"
