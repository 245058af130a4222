"""Abusive-caller detection: lexicons with normalisation, acoustic shouting, fusion."""

from coaching.abuse.detect import detect_abuse
from coaching.abuse.lexicon import TermMatch, find_terms, mask_term

__all__ = ["TermMatch", "detect_abuse", "find_terms", "mask_term"]
