"""Abusive-caller detection: lexicons with normalisation, acoustic shouting, fusion."""

from coaching.abuse.detect import detect_abuse
from coaching.abuse.lexicon import TermMatch, find_terms, mask_term
from coaching.abuse.lexicon_files import lexicon_sha256

__all__ = ["TermMatch", "detect_abuse", "find_terms", "lexicon_sha256", "mask_term"]
