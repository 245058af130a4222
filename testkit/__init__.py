"""Test and benchmark fixtures (synthetic reports, store samples, tiny models); not in the wheel."""
