"""Password rules and hashing: argon2id, and no password an attacker tries first.

Refused: shorter than 8 characters, longer than 256, whitespace only, any
invisible or control character, one character repeated, the user name, and
the 30,000 most common passwords (the list zxcvbn ships, compared case-blind).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher

from coaching.errors import StoreError
from coaching.store.names import MAX_PASSWORD, invisible_characters, name_key

MIN_PASSWORD_LENGTH = 8
# argon2id with RFC 9106's low-memory profile (t=3, m=64 MiB, p=4).
DEFAULT_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list of the zxcvbn package (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, user_name: str | None = None) -> str | None:
    """Why ``password`` is refused, or None when it is acceptable."""
    hidden = invisible_characters(password)
    if hidden:
        return f"it contains invisible or control characters ({', '.join(hidden[:3])})"
    if not password.strip():
        return "it is only spaces"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"it is {len(password)} characters long; use at least {MIN_PASSWORD_LENGTH}"
    if len(password) > MAX_PASSWORD:
        return f"it is {len(password)} characters long; use at most {MAX_PASSWORD}"
    if len(set(password)) == 1:
        return "it is one character repeated"
    if user_name and name_key(password) == name_key(user_name):
        return "it is the user name"
    if password.strip().casefold() in common_passwords():
        return "it is one of the most common passwords, the first an attacker tries"
    return None


def hash_password(
    password: str, *, user_name: str | None = None, hasher: PasswordHasher = DEFAULT_HASHER
) -> str:
    """An argon2id hash of ``password``; refuses weak passwords with the reason."""
    problem = password_problem(password, user_name=user_name)
    if problem:
        raise StoreError(f"that password is refused: {problem}; choose a longer, uncommon one")
    return hasher.hash(password)
