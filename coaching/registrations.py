"""Sub-commands of ``coaching`` that live beside their features (each ``register(commands)``)."""

from __future__ import annotations

from coaching.batch.cli import register as register_batch
from coaching.scoring.cli import register as register_scorecard
from coaching.store_cli import register as register_store
from coaching.text.cli import register as register_text
from coaching.ui.cli import register as register_app

REGISTRATIONS = [register_scorecard, register_batch, register_store, register_app, register_text]
