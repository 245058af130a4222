"""The transcript as HTML: by speaker, coloured by sentiment, abusive words masked.

A masked word is a label over a hidden checkbox: the reader clicks the masked
form ("f***") to reveal that word (and again to hide it); CSS alone does it,
since Streamlit's HTML runs no scripts. Terms come
from the abuse lexicons (:func:`coaching.abuse.lexicon.find_terms`) and from the
evidence of the call's abuse flags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coaching.abuse.lexicon import find_terms, mask_term
from coaching.serial import Serializable
from coaching.timing import clock
from coaching.types import AbuseFlag, Sentiment, Utterance

MASKED_CATEGORIES = ("profanity", "insult")
SPEAKER_NAMES = {"operator": "Operator", "caller": "Caller"}
TRANSCRIPT_CSS = """
<style>
.tx-row{display:flex;gap:.6rem;margin:.25rem 0;padding:.35rem .6rem;border-radius:.4rem;
  border-left:4px solid var(--tx-colour);background:var(--tx-bg)}
.tx-who{min-width:6.5rem;font-weight:600;font-size:.85rem;color:#444}
.tx-time{font-family:monospace;font-weight:400;color:#777;display:block}
.tx-text{flex:1;line-height:1.45}
.tx-flag{outline:2px solid #E45756;}
.tx-mask{cursor:pointer}
.tx-mask input,.tx-mask .tx-word,.tx-mask input:checked ~ .tx-hidden{display:none}
.tx-mask input:checked ~ .tx-word{display:inline;background:#fde2e2}
.tx-hidden{background:#333;color:#fff;border-radius:.25rem;padding:0 .25rem}
.tx-mood{font-size:.75rem;color:#666;margin-left:.4rem}
</style>
"""


def sentiment_colour(sentiment: Sentiment | None) -> tuple[str, str]:
    """Border and background colours: red for negative, green for positive, grey otherwise."""
    if sentiment is None:
        return "#cccccc", "rgba(0,0,0,0.02)"
    strength = min(1.0, abs(sentiment.score))
    if sentiment.label == "negative":
        return "#d62728", f"rgba(214,39,40,{0.05 + 0.15 * strength:.2f})"
    if sentiment.label == "positive":
        return "#2ca02c", f"rgba(44,160,44,{0.05 + 0.15 * strength:.2f})"
    return "#999999", "rgba(0,0,0,0.03)"


@dataclass(frozen=True)
class MaskedSpan(Serializable):
    start_char: int
    end_char: int


def abusive_spans(text: str, *, language: str, extra_terms: Iterable[str] = ()) -> list[MaskedSpan]:
    """Character spans of offensive words in ``text``: lexicon hits and the flags' own terms.

    Only :data:`MASKED_CATEGORIES` are masked: a threat or harassment is a phrase
    whose meaning the reader needs, so its row is outlined instead.
    """
    spans = [
        MaskedSpan(m.start_char, m.end_char)
        for m in find_terms(text, language)
        if m.category in MASKED_CATEGORIES
    ]
    for term in extra_terms:
        if not term.strip():
            continue
        for found in re.finditer(re.escape(term), text, flags=re.IGNORECASE):
            spans.append(MaskedSpan(found.start(), found.end()))
    return _merge(spans)


def _merge(spans: list[MaskedSpan]) -> list[MaskedSpan]:
    merged: list[MaskedSpan] = []
    for span in sorted(spans, key=lambda s: (s.start_char, s.end_char)):
        if merged and span.start_char <= merged[-1].end_char:
            last = merged[-1]
            merged[-1] = MaskedSpan(last.start_char, max(last.end_char, span.end_char))
        else:
            merged.append(span)
    return merged


def masked_html(text: str, spans: Sequence[MaskedSpan], *, reveal: bool = False) -> str:
    """``text`` escaped for HTML, each span masked behind a click-to-reveal element."""
    parts, cursor = [], 0
    for span in spans:
        parts.append(html.escape(text[cursor : span.start_char]))
        word = text[span.start_char : span.end_char]
        if reveal:
            parts.append(f"<mark>{html.escape(word)}</mark>")
        else:
            parts.append(
                f'<label class="tx-mask" title="click to reveal"><input type="checkbox">'
                f'<span class="tx-hidden">{html.escape(mask_term(word))}</span>'
                f'<span class="tx-word">{html.escape(word)}</span></label>'
            )
        cursor = span.end_char
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def flag_terms(flags: Sequence[AbuseFlag], utterance: Utterance) -> tuple[str, ...]:
    """The matched terms of the offensive-word flags that overlap ``utterance``."""
    return tuple(
        term
        for flag in flags
        if flag.start < utterance.end
        and flag.end > utterance.start
        and flag.category in MASKED_CATEGORIES
        for term in flag.evidence.terms
    )


def utterance_html(
    utterance: Utterance,
    *,
    language: str,
    flags: Sequence[AbuseFlag] = (),
    reveal: bool = False,
    show_sentiment: bool = True,
) -> str:
    """One transcript row: speaker, time, text with abusive words masked."""
    border, background = sentiment_colour(utterance.sentiment if show_sentiment else None)
    spans = abusive_spans(
        utterance.text, language=language, extra_terms=flag_terms(flags, utterance)
    )
    flagged = any(f.start < utterance.end and f.end > utterance.start for f in flags)
    text = masked_html(utterance.text, spans, reveal=reveal)
    mood = ""
    if show_sentiment and utterance.sentiment is not None:
        mood = f'<span class="tx-mood">{utterance.sentiment.label}</span>'
    return (
        f'<div class="tx-row{" tx-flag" if flagged else ""}" '
        f'style="--tx-colour:{border};--tx-bg:{background}">'
        f'<div class="tx-who">{SPEAKER_NAMES.get(utterance.speaker, utterance.speaker)}'
        f'<span class="tx-time">{clock(utterance.start)}</span></div>'
        f'<div class="tx-text">{text}{mood}</div></div>'
    )


def transcript_html(
    utterances: Sequence[Utterance],
    *,
    language: str,
    flags: Sequence[AbuseFlag] = (),
    reveal: bool = False,
    show_sentiment: bool = True,
) -> str:
    """The whole transcript (with its stylesheet) as one HTML block."""
    rows = [
        utterance_html(
            u, language=language, flags=flags, reveal=reveal, show_sentiment=show_sentiment
        )
        for u in utterances
    ]
    return TRANSCRIPT_CSS + "".join(rows)
