"""The stereo path: one party per channel, bleed dropped, quiet channels levelled, map checked.

Each channel's speech is found with the other channel as reference; recognition
hears the channel only there (the other party's faint bleed in between is
silenced), brought to a working level (a channel at -44 dBFS loses words
otherwise). Words that still sit under much louder speech on the other channel
are that party's bleed or echo and are dropped. Which side is the operator comes from
the channel map; with ``auto`` the words of both sides decide when they clearly
say the channels are swapped (operator phrases on the right, caller phrases on
the left), and the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coaching.audio.activity import frame_levels_db, mask_intervals, speech_intervals
from coaching.audio.loudness import active_speech_level
from coaching.options import AnalysisOptions
from coaching.speakers.cues import role_score
from coaching.transcript.whisper import group_utterances, merge_by_time, transcribe_words
from coaching.types import Interval, SpeakerTurns, Transcript, Word

WORKING_LEVEL_DBFS = -26.0
QUIET_DBFS = -32.0  # the bottom of the telephony range (-22 ± 6 dBFS, RFC 7874), less a margin
MAX_GAIN_DB = 30.0
GATE_LEAD_S = 0.3  # kept before each turn: onsets are quiet
GATE_PAD_S = 0.5  # kept after each turn: trailing consonants and decays are quieter still
BLEED_DB = 15.0  # the other channel this much louder over a word: the word is its bleed
SWAP_LOGODDS = 2.5  # the right side must sound this much more like the operator to swap
WARN_LOGODDS = 1.5  # one clear operator phrase on the other side is worth a warning
SIDES = ("left", "right")


def channel_activity(audio) -> tuple[tuple[Interval, ...], tuple[Interval, ...]]:
    """Each channel's own speech, the other channel as the reference for its bleed."""
    rate, channels = audio.sample_rate, tuple(audio.channels[:2])
    return tuple(speech_intervals(channels[i], rate, other=channels[1 - i]) for i in (0, 1))


def levelled_channels(audio, turns) -> tuple[LevelledChannel, LevelledChannel]:
    """What recognition hears of each channel: its own speech only, at a working level,
    made a window at a time (never a channel-sized copy)."""
    return tuple(LevelledChannel(audio.channels[i], audio.sample_rate, turns[i]) for i in (0, 1))


def channel_words(asr, audio, heard, *, language: str, options: AnalysisOptions):
    """Each channel's words, recognised on what it hears, the other party's bleed dropped."""
    channels, rate = audio.channels, audio.sample_rate
    words = [transcribe_words(asr, h, language=language, options=options.transcript) for h in heard]
    return [drop_bleed(words[i], channels[i], channels[1 - i], rate) for i in (0, 1)]


def stereo_roles(words, turns, guess, options: AnalysisOptions) -> Transcript:
    """The transcript with roles: the operator's channel from the map, checked by the words."""
    texts = [" ".join(w.text for w in side) for side in words]
    operator, evidence = choose_operator_channel(
        texts, guess.language, options.speakers.operator_channel
    )
    return Transcript(
        language=guess.language,
        language_probability=guess.probability,
        utterances=_utterances(words, operator, options),
        turns=(
            SpeakerTurns("operator", turns[operator]),
            SpeakerTurns("caller", turns[1 - operator]),
        ),
        separation="stereo",
        separation_confidence=1.0,
        role_confidence=1.0,
        role_evidence=tuple(line for line in evidence if not line.startswith(WARNING)),
        role_warnings=tuple(line[len(WARNING) :] for line in evidence if line.startswith(WARNING)),
        operator_channel=operator,
    )


def _utterances(words, operator: int, options: AnalysisOptions):
    order = zip((operator, 1 - operator), ("operator", "caller"), strict=True)
    return merge_by_time(
        *(
            group_utterances(
                words[i],
                [role] * len(words[i]),
                max_pause_s=options.transcript.utterance_max_pause_s,
            )
            for i, role in order
        )
    )


def own_speech_only(samples: np.ndarray, rate: int, turns: Sequence[Interval]) -> np.ndarray:
    """``samples`` silenced outside the channel's own speech (widened by ``GATE_LEAD_S``
    before and ``GATE_PAD_S`` after each turn).

    Whisper normalises each window to its loudest frame and hears some 80 dB below it,
    so the other party's faint bleed between this party's turns is otherwise heard,
    and mixed into this party's words (the agent's "I'm Michelle" turning the caller's
    "Hi, Michelle" into "I'm Michelle").
    """
    padded = [(max(0.0, start - GATE_LEAD_S), end + GATE_PAD_S) for start, end in turns]
    gated = np.empty_like(samples)
    return np.multiply(samples, mask_intervals(padded, len(samples), rate=rate), out=gated)


class LevelledChannel:
    """``working_level(own_speech_only(samples, rate, turns), rate, turns)``, a window at a
    time: the same samples without a channel-sized copy (for Whisper's windows)."""

    def __init__(self, samples: np.ndarray, rate: int, turns: Sequence[Interval]) -> None:
        self.samples, self.rate = samples, rate
        self.gate = [(max(0.0, start - GATE_LEAD_S), end + GATE_PAD_S) for start, end in turns]
        self.factor: np.float32 | None = None  # the window() the peak is read through: ungained
        self.factor = self._boost(turns)

    def __len__(self) -> int:
        return len(self.samples)

    def window(self, start: int, end: int) -> np.ndarray:
        part = self.samples[start:end]
        mask = mask_intervals(self.gate, len(part), rate=self.rate, offset=start / self.rate)
        part = np.multiply(part, mask)
        if self.factor is not None:
            np.multiply(part, self.factor, out=part)
        return part

    def _boost(self, turns: Sequence[Interval]) -> np.float32 | None:
        """The factor :func:`working_level` would apply to the gated channel, or None."""
        if not turns:
            return None
        # Frames centred in a turn lie inside its gate (50 ms frames, 0.3/0.5 s margins),
        # so the level of the gated channel is the level of the channel there.
        level = active_speech_level(self.samples, self.rate, intervals=turns).level_dbfs
        if level >= QUIET_DBFS:
            return None
        step = 1 << 20
        peak = max(
            float(np.abs(self.window(start, start + step)).max(initial=0.0))
            for start in range(0, len(self.samples), step)
        )
        headroom = -20 * np.log10(peak or 1.0) - 0.5
        gain_db = min(WORKING_LEVEL_DBFS - level, MAX_GAIN_DB, headroom)
        return np.float32(10 ** (gain_db / 20)) if gain_db > 0 else None


def working_level(
    samples: np.ndarray, rate: int, turns: Sequence[Interval], *, copy: bool = True
) -> np.ndarray:
    """``samples`` boosted to ``WORKING_LEVEL_DBFS`` when quieter than ``QUIET_DBFS``.

    Only recognition hears the boosted copy; levels are measured on the original.
    ``copy=False`` boosts ``samples`` itself (a copy the caller owns), sparing a
    channel-sized array.
    """
    if not turns:
        return samples
    level = active_speech_level(samples, rate, intervals=turns).level_dbfs
    if level >= QUIET_DBFS:
        return samples
    peak = max(float(samples.max()), -float(samples.min())) or 1.0
    headroom = -20 * np.log10(peak) - 0.5
    gain_db = min(WORKING_LEVEL_DBFS - level, MAX_GAIN_DB, headroom)
    if gain_db <= 0:
        return samples
    if copy:
        return (samples * 10 ** (gain_db / 20)).astype(np.float32)
    return np.multiply(samples, np.float32(10 ** (gain_db / 20)), out=samples)


def drop_bleed(words: Sequence[Word], own: np.ndarray, other: np.ndarray, rate: int) -> list[Word]:
    """``words`` without those spoken under much louder speech on the other channel."""
    own_db = frame_levels_db(own, rate)
    other_db = frame_levels_db(other, rate)
    kept = []
    for word in words:
        first, last = int(word.start * 100), max(int(word.start * 100) + 1, int(word.end * 100))
        mine, theirs = own_db[first:last], other_db[first:last]
        if mine.size and np.median(theirs - mine[: theirs.size]) >= BLEED_DB:
            continue
        kept.append(word)
    return kept


WARNING = "warning: "  # evidence lines that are warnings start so (and say so when shown)


def choose_operator_channel(
    texts: Sequence[str], language: str, forced: int | None
) -> tuple[int, tuple[str, ...]]:
    """The operator's channel (0 left, 1 right) and the evidence lines for the report."""
    scores = [role_score(text, language) for text in texts]
    lead = scores[1][0] - scores[0][0]  # log-odds that the right side is the operator
    said = (
        f"script phrases: left {scores[0][0]:+.1f} ({_kinds(scores[0][1])}), "
        f"right {scores[1][0]:+.1f} ({_kinds(scores[1][1])})"
    )
    if forced is None and lead >= SWAP_LOGODDS:
        return 1, (
            "stereo channel map: auto, operator on the right channel",
            said,
            "warning: channels swapped: the operator's phrases are on the right channel and "
            "the caller's on the left, so the right channel was analysed as the operator "
            "(--channel-map left to keep the left)",
        )
    side = forced or 0
    how = "as set" if forced is not None else "auto"
    evidence = [f"stereo channel map: {how}, operator on the {SIDES[side]} channel", said]
    against = lead if side == 0 else -lead
    if against >= WARN_LOGODDS:
        other = SIDES[1 - side]
        evidence.append(
            f"warning: the words suggest the operator is on the {other} channel; the channels "
            f"may be swapped (--channel-map {other})"
        )
    return side, tuple(evidence)


def _kinds(counted: dict[str, int]) -> str:
    return ", ".join(f"{name} ×{count}" for name, count in counted.items()) or "none"
