"""The registry of sample call scripts, by name.

Each :class:`Turn` carries a syllable count written by hand (checked in the tests
against espeak-ng's own phonemes for English and Russian, against written
syllables for Vietnamese and against Han characters for Chinese). Scripts avoid
digits because speech recognition writes numbers unpredictably; only
``en_card_number`` reads a card number, as words, for redaction tests.
"""

from __future__ import annotations

from samples.script_model import (
    ABUSE_CATEGORIES,
    EXPECT_TAGS,
    LANGUAGES,
    CallScript,
    SampleError,
    Turn,
)
from samples.scripts_en import ENGLISH
from samples.scripts_intl import INTERNATIONAL

__all__ = [
    "ABUSE_CATEGORIES",
    "EXPECT_TAGS",
    "LANGUAGES",
    "SCRIPTS",
    "CallScript",
    "SampleError",
    "Turn",
]

SCRIPTS: dict[str, CallScript] = {script.name: script for script in (*ENGLISH, *INTERNATIONAL)}
