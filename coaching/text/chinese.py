"""Chinese text in the script the analysis asked for (OpenCC, after transcription).

Whisper writes Chinese in either script, often traditional. Mainland hotlines,
the lexicons and the trained heads use simplified characters, so by default
every Chinese utterance (and its words) is converted with OpenCC's ``t2s``
table; ``chinese_script="traditional"`` keeps what Whisper wrote.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from coaching.errors import ModelError
from coaching.types import Transcript, Utterance

SCRIPTS = ("simplified", "traditional")


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
    except ImportError as exc:
        raise ModelError(
            "Chinese script conversion needs OpenCC: pip install opencc "
            "(or pass --chinese-script traditional)"
        ) from exc
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with traditional Chinese characters written in simplified ones."""
    return _converter().convert(text) if text else text


def simplify_utterance(utterance: Utterance) -> Utterance:
    words = tuple(replace(w, text=to_simplified(w.text)) for w in utterance.words)
    return replace(utterance, text=to_simplified(utterance.text), words=words)


def in_script(transcript: Transcript, script: str) -> Transcript:
    """A Chinese transcript in ``script`` ("simplified" converts, "traditional" keeps)."""
    if transcript.language != "zh" or script == "traditional":
        return transcript
    return replace(
        transcript, utterances=tuple(simplify_utterance(u) for u in transcript.utterances)
    )
