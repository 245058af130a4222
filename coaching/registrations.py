"""Sub-commands of ``coaching`` that live beside their features (each ``register(commands)``)."""

from __future__ import annotations

REGISTRATIONS: list = []
