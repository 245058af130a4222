"""Speaking one scripted turn with espeak-ng and shaping it (level, pitch, silence).

Every function here works on numpy arrays; only :func:`synthesize` talks to the
``espeak-ng`` program.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np
import soundfile as sf

from samples.script_model import CallScript, SampleError, Turn

ESPEAK_RATE = 22_050
# Mandarin: the plain "cmn" voice of espeak-ng 1.51 reads its own pinyin through
# English rules ("ni three hao three"); "cmn-latn-pinyin" speaks Han text properly.
ESPEAK_VOICES = {"en": "en-us", "vi": "vi", "ru": "ru", "zh": "cmn-latn-pinyin"}


@dataclass(frozen=True)
class Voice:
    """How espeak-ng speaks one party: a variant, a base pitch (-p, 0..99) and a factor on
    the F0 excursions (1 = as espeak-ng says it; see :func:`reshape_pitch`)."""

    variant: str
    pitch: int
    pitch_range: float = 1.0


# Two clearly different voices per language, chosen for what Whisper base understands best
# (see README). Male variants need a base pitch of about 50: lower, espeak-ng's Vietnamese
# and Mandarin tones fall out of voicing. steph speaks English clearly but flatly (F0 SD
# about 1 semitone), so its excursions are widened to a lively 2.5-3 semitones.
VOICES = {
    "en": {"operator": Voice("steph", 55, 2.7), "caller": Voice("m3", 50)},
    "vi": {"operator": Voice("f3", 60), "caller": Voice("", 35)},
    "ru": {"operator": Voice("f3", 60), "caller": Voice("m3", 50)},
    "zh": {"operator": Voice("Annie", 55), "caller": Voice("m3", 50)},
}
SPEAKER_RATE = {"operator": 118, "caller": 135}  # espeak-ng -s; about 135 and 160 wpm in English
# espeak-ng's Vietnamese and Mandarin voices run slow at the same -s.
LANGUAGE_RATE_FACTOR = {"en": 1.0, "ru": 1.0, "vi": 1.2, "zh": 1.3}
# Quiet enough that a shouted caller turn (+12 dB, speech peaks ~18 dB over its level) fits.
SPEAKER_LEVEL_DBFS = {"operator": -22.0, "caller": -30.0}
SHOUT_GAIN_DB = 12.0
SHOUT_PITCH_RISE = 40  # espeak-ng -p 50 -> 90: F0 about +6 semitones
# Telephone band: nothing above 3.4 kHz, as on a narrowband call (and FLAC files half the size).
# No high-pass, so the speakers' F0 stays in the signal for pitch measurement.
LOWPASS_HZ = 3_400
TRIM_BELOW_PEAK_DB = 45.0
LEVEL_FRAME_S = 0.02
ACTIVE_BELOW_PEAK_DB = 40.0
PRAAT_TIME_STEP_S = 0.01
TRUTH_PITCH_STEP_S = 0.02  # coarser than analysis on purpose: truth only needs SD and median
PRAAT_FLOOR_HZ = 75.0
PRAAT_CEILING_HZ = 500.0


@functools.cache
def espeak_version() -> str:
    """The installed espeak-ng's version line (part of the sample cache key)."""
    return _run_espeak(["--version"]).decode("utf-8", "replace").strip()


def _run_espeak(args: list[str]) -> bytes:
    program = shutil.which("espeak-ng")
    if program is None:
        raise SampleError(
            "espeak-ng is not installed; the sample generator needs it "
            "(Debian/Ubuntu: apt-get install espeak-ng)"
        )
    done = subprocess.run([program, *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise SampleError(f"espeak-ng {' '.join(args[:4])} failed: {message}")
    return done.stdout


def synthesize(text: str, *, voice: str, rate_wpm: int, pitch: int) -> np.ndarray:
    """``text`` spoken by espeak-ng, as float32 samples at :data:`ESPEAK_RATE`."""
    wav = _run_espeak(["-v", voice, "-s", str(rate_wpm), "-p", str(pitch), "--stdout", text])
    samples, rate = sf.read(io.BytesIO(wav), dtype="float32")
    if rate != ESPEAK_RATE:
        raise SampleError(f"espeak-ng wrote {rate} Hz audio; {ESPEAK_RATE} Hz was expected")
    return samples


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """``samples`` at ``target`` Hz (soxr, high quality)."""
    if rate == target:
        return samples.astype(np.float32)
    import soxr

    return soxr.resample(samples, rate, target).astype(np.float32)


def telephone_band(samples: np.ndarray, rate: int, *, cutoff_hz: float = LOWPASS_HZ):
    """``samples`` low-passed at ``cutoff_hz`` (zero-phase 10th-order Butterworth)."""
    from scipy.signal import butter, sosfiltfilt

    sections = butter(10, cutoff_hz, btype="low", fs=rate, output="sos")
    return sosfiltfilt(sections, samples).astype(np.float32)


def _frame_power(samples: np.ndarray, frame: int) -> np.ndarray:
    count = len(samples) // frame
    frames = samples[: count * frame].astype(np.float64).reshape(count, frame)
    return np.mean(frames**2, axis=1)


def trim_silence(samples: np.ndarray, rate: int, *, below_peak_db: float = TRIM_BELOW_PEAK_DB):
    """``samples`` without leading and trailing stretches quieter than the peak frame less
    ``below_peak_db`` (5 ms frames)."""
    frame = max(1, int(rate * 0.005))
    power = _frame_power(samples, frame)
    if not power.size or power.max() <= 0:
        raise SampleError("espeak-ng produced silence for a turn; check the turn's text")
    loud = np.flatnonzero(power >= power.max() * 10 ** (-below_peak_db / 10))
    return samples[loud[0] * frame : (loud[-1] + 1) * frame]


def active_level_dbfs(samples: np.ndarray, rate: int) -> float:
    """Speech level in dBFS (20*log10 of the RMS) over the 20 ms frames within 40 dB of the
    loudest one, so pauses do not pull it down."""
    power = _frame_power(samples, max(1, int(rate * LEVEL_FRAME_S)))
    if not power.size or power.max() <= 0:
        return float("-inf")
    active = power[power >= power.max() * 10 ** (-ACTIVE_BELOW_PEAK_DB / 10)]
    return float(10 * np.log10(np.mean(active)))


def set_active_level(samples: np.ndarray, rate: int, level_dbfs: float) -> np.ndarray:
    """``samples`` scaled so that :func:`active_level_dbfs` gives ``level_dbfs``."""
    gain_db = level_dbfs - active_level_dbfs(samples, rate)
    return (samples * 10 ** (gain_db / 20)).astype(np.float32)


def reshape_pitch(samples: np.ndarray, rate: int, *, range_factor: float) -> np.ndarray:
    """The same speech with its F0 excursions (in semitones, re the mean) scaled by
    ``range_factor``: 0 gives one constant F0, 2 doubles the spread. Praat overlap-add."""
    import parselmouth
    from parselmouth.praat import call

    sound = parselmouth.Sound(samples.astype(np.float64), rate)
    manipulation = call(sound, "To Manipulation", PRAAT_TIME_STEP_S, PRAAT_FLOOR_HZ, 600)
    tier = call(manipulation, "Extract pitch tier")
    mean_hz = call(tier, "Get mean (points)", 0, 0)
    call(tier, "Formula", f"{mean_hz} * (self / {mean_hz}) ^ {range_factor}")
    call([manipulation, tier], "Replace pitch tier")
    resynthesized = call(manipulation, "Get resynthesis (overlap-add)")
    return resynthesized.values[0].astype(np.float32)


def pitch_track_hz(
    samples: np.ndarray, rate: int, *, time_step_s: float = TRUTH_PITCH_STEP_S
) -> np.ndarray:
    """Voiced F0 values (Hz) by Praat's autocorrelation method, 75-500 Hz."""
    import parselmouth

    sound = parselmouth.Sound(samples.astype(np.float64), rate)
    pitch = sound.to_pitch_ac(
        time_step=time_step_s, pitch_floor=PRAAT_FLOOR_HZ, pitch_ceiling=PRAAT_CEILING_HZ
    )
    frequencies = pitch.selected_array["frequency"]
    return frequencies[frequencies > 0]


def turn_voice(script: CallScript, turn: Turn) -> tuple[str, int]:
    """The espeak-ng voice name and base pitch that speak ``turn``."""
    voice = VOICES[script.language][turn.speaker]
    name = ESPEAK_VOICES[script.language] + (f"+{voice.variant}" if voice.variant else "")
    pitch = turn.pitch if turn.pitch is not None else voice.pitch
    if turn.shout:
        pitch = min(99, pitch + SHOUT_PITCH_RISE)
    return name, pitch


def turn_level_dbfs(turn: Turn) -> float:
    """The active speech level a turn is rendered at."""
    level = turn.level_dbfs if turn.level_dbfs is not None else SPEAKER_LEVEL_DBFS[turn.speaker]
    return level + (SHOUT_GAIN_DB if turn.shout else 0.0)


def render_turn(script: CallScript, turn: Turn, *, sample_rate: int) -> np.ndarray:
    """One turn spoken, pitch-flattened if asked, trimmed and set to its level."""
    voice, pitch = turn_voice(script, turn)
    rate_wpm = turn.rate_wpm if turn.rate_wpm is not None else SPEAKER_RATE[turn.speaker]
    rate_wpm = round(rate_wpm * LANGUAGE_RATE_FACTOR[script.language])
    samples = synthesize(turn.text, voice=voice, rate_wpm=rate_wpm, pitch=pitch)
    range_factor = 0.0 if turn.flatten_pitch else VOICES[script.language][turn.speaker].pitch_range
    if range_factor != 1.0:
        samples = reshape_pitch(samples, ESPEAK_RATE, range_factor=range_factor)
    samples = telephone_band(resample(samples, ESPEAK_RATE, sample_rate), sample_rate)
    samples = trim_silence(samples, sample_rate)
    return set_active_level(samples, sample_rate, turn_level_dbfs(turn))


_IPA_VOWELS = set("aeiouyæɑɒɐɔəɘɚɛɜɝɞɤɨɪʉʊʌʏøœɶɯɵᵻ")
_SYLLABIC_MARK = "\u0329"
_TIE = "\u0361"


def espeak_syllables(text: str, language: str) -> int:
    """Syllables in ``text`` as espeak-ng itself phonemises it (vowel and syllabic phonemes).

    Used to check the hand-entered syllable counts of English and Russian turns.
    """
    voice = ESPEAK_VOICES[language]
    ipa = _run_espeak(["-q", "-v", voice, "--ipa", "--tie", text]).decode("utf-8")
    ipa = re.sub(r"\([^)]*\)", "", ipa)  # language-switch marks such as (en)
    count = 0
    for word in ipa.split():
        phonemes = re.split(f"(?<!{_TIE})(?=[^{_TIE}ːˑˈˌ{_SYLLABIC_MARK}ʲ.0-9-])", word)
        count += sum(
            1 for ph in phonemes if _SYLLABIC_MARK in ph or any(ch in _IPA_VOWELS for ch in ph)
        )
    return count
