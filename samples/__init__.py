"""Synthetic two-voice sample calls with known truth (see samples/README.md)."""
