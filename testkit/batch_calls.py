"""Short generated calls and fast analysis options shared by the batch tests."""

from __future__ import annotations

from pathlib import Path

from coaching.options import AnalysisOptions
from samples.generate import write_call
from samples.script_model import CallScript, caller, operator

# Greedy decoding on the CPU and the built-in text models keep the end-to-end runs
# short and offline; the batch logic does not depend on these settings.
OPTIONS = AnalysisOptions.of(
    device="cpu",
    beam_size=1,
    temperatures=(0.0,),
    language="en",
    sentiment_model="builtin",
    toxicity_model="none",
)
CALLER_WORD = "internet"
SHORT_CALLS = (
    CallScript(
        name="batch_internet",
        language="en",
        description="A short call about slow internet.",
        expect=("calm",),
        turns=(
            operator("Good morning, Sunrise Telecom, this is Anna. How can I help?", 16),
            caller("Hello. My internet is very slow today.", 10),
        ),
    ),
    CallScript(
        name="batch_bill",
        language="en",
        description="A short call about a bill.",
        expect=("calm",),
        turns=(
            operator("Thank you for calling City Power, my name is Tom.", 12),
            caller("Hi Tom, my bill is too high this month.", 10),
        ),
    ),
)


def render_calls(folder: Path) -> list[Path]:
    return [write_call(script, folder) for script in SHORT_CALLS]
