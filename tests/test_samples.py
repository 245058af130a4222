"""The sample-call generator: scripts, rendered audio and the truth written beside it.

Every check measures the rendered audio itself (levels, silence, pitch) and holds
it against the truth, so a generator that wrote wrong truth would fail here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coaching.audio.decode import load_audio
from samples.generate import (
    SAMPLE_RATE,
    ensure_calls,
    load_rendered,
    load_truth,
    main,
    render_call,
    script_sha256,
    write_call,
    write_rendered,
)
from samples.render import active_level_dbfs, espeak_syllables, pitch_track_hz, turn_level_dbfs
from samples.scripts import SCRIPTS, CallScript, SampleError, Turn
from samples.truth import count_words

COMMITTED = Path(__file__).resolve().parent.parent / "coaching" / "app" / "demo_calls"
CACHE = COMMITTED.parents[2] / "samples" / ".cache"  # shared cache, git-ignored
SILENCE_DBFS = -80.0
EDGE_S = 0.03  # margin around a turn's edges when checking that a channel is silent


@pytest.fixture(scope="session")
def rendered():
    """Every sample call, from the shared sample cache (rendered there when missing)."""
    paths = ensure_calls(list(SCRIPTS), CACHE)
    return {name: load_rendered(path) for name, path in paths.items()}


def test_cached_calls_are_what_the_generator_renders_now(rendered):
    fresh = render_call(SCRIPTS["en_overtalk"])
    cached = rendered["en_overtalk"]
    assert fresh.truth.to_dict() == cached.truth.to_dict()
    assert np.max(np.abs(fresh.stereo - cached.stereo)) < 2 / 32768  # 16-bit WAV rounding


def _level(samples: np.ndarray) -> float:
    power = float(np.mean(samples.astype(np.float64) ** 2)) if samples.size else 0.0
    return 10 * np.log10(power) if power > 0 else -np.inf


def _span(call, row: int, start: float, end: float) -> np.ndarray:
    rate = call.sample_rate
    return call.stereo[row, max(0, round(start * rate)) : round(end * rate)]


def _outside(intervals, duration: float, *, margin: float):
    """The stretches of [0, duration] farther than ``margin`` from every interval."""
    cursor, gaps = 0.0, []
    for start, end in sorted(intervals):
        if start - margin > cursor:
            gaps.append((cursor, start - margin))
        cursor = max(cursor, end + margin)
    if cursor < duration:
        gaps.append((cursor, duration))
    return gaps


def test_every_script_is_a_short_call_opened_by_the_operator(rendered):
    assert {"en_calm", "vi_calm", "ru_calm", "zh_calm", "en_card_number"} <= set(SCRIPTS)
    for name, call in rendered.items():
        assert 20.0 <= call.truth.duration_s <= 40.0, name
        assert call.truth.turns[0].speaker == "operator", name
        assert call.stereo.shape == (2, round(call.truth.duration_s * SAMPLE_RATE)), name
        assert call.stereo.dtype == np.float32


def test_hand_written_syllable_counts_match_the_language():
    turns = {
        (script.language, turn.text, turn.syllables)
        for script in SCRIPTS.values()
        for turn in script.turns
    }
    for language, text, syllables in sorted(turns):
        if language in ("en", "ru"):
            assert abs(syllables - espeak_syllables(text, language)) <= 1, text
        else:  # Vietnamese: one written token per syllable; Chinese: one Han character
            assert syllables == count_words(text, language), text


def test_scripts_keep_digits_out_and_abuse_only_in_abusive_calls():
    from glin_profanity import Filter

    lexicon = Filter({"languages": ["english", "russian", "chinese"]})
    for script in SCRIPTS.values():
        abusive = any(tag.startswith("abusive:") for tag in script.expect)
        for turn in script.turns:
            assert not re.search(r"\d", turn.text), turn.text
            if turn.speaker == "operator" or not abusive:
                assert turn.abuse is None
                assert not lexicon.is_profane(turn.text), turn.text
        flagged = {turn.abuse for turn in script.turns if turn.abuse}
        assert flagged == {tag.split(":")[1] for tag in script.expect if ":" in tag}


def test_each_channel_speaks_inside_its_turns_and_is_silent_outside(rendered):
    for name, call in rendered.items():
        for row, side in enumerate((call.truth.operator, call.truth.caller)):
            for start, end in side.turns:
                assert _level(_span(call, row, start, end)) > -50.0, (name, side.speaker)
            for start, end in _outside(side.turns, call.truth.duration_s, margin=EDGE_S):
                assert _level(_span(call, row, start, end)) < SILENCE_DBFS, (name, start)


def test_turns_are_at_their_scripted_levels_in_the_audio(rendered):
    for name, call in rendered.items():
        for turn, scripted in zip(call.truth.turns, SCRIPTS[name].turns, strict=True):
            row = 0 if turn.speaker == "operator" else 1
            measured = active_level_dbfs(_span(call, row, turn.start, turn.end), SAMPLE_RATE)
            assert measured == pytest.approx(turn_level_dbfs(scripted), abs=0.1)
            assert turn.level_dbfs == pytest.approx(measured, abs=0.1)


def test_dead_air_found_in_the_audio_is_the_truth(rendered):
    frame = SAMPLE_RATE // 100
    for name, call in rendered.items():
        usable = call.stereo.shape[1] // frame * frame
        power = (call.stereo[:, :usable].astype(np.float64) ** 2).reshape(2, -1, frame).mean(axis=2)
        speaking = np.flatnonzero((power > 10 ** (SILENCE_DBFS / 10)).any(axis=0))
        gaps = np.diff(speaking)
        found = [(speaking[i] / 100, speaking[i + 1] / 100) for i in np.flatnonzero(gaps > 300)]
        assert len(found) == len(call.truth.dead_air), name
        for (start, end), (true_start, true_end) in zip(found, call.truth.dead_air, strict=True):
            assert start == pytest.approx(true_start, abs=0.05)
            assert end == pytest.approx(true_end, abs=0.05)


def test_call_level_truth_adds_up(rendered):
    for name, call in rendered.items():
        truth = call.truth
        op, ca = truth.operator, truth.caller
        # the truth JSON keeps four decimals
        assert truth.talk_share == pytest.approx(
            op.speech_s / (op.speech_s + ca.speech_s), abs=1e-3
        )
        assert op.words_per_minute == pytest.approx(op.words / op.speech_s * 60, rel=1e-3)
        assert op.speech_s == pytest.approx(sum(e - s for s, e in op.turns), abs=1e-3)
        scripted = [t for t in SCRIPTS[name].turns if t.abuse]
        assert [span.category for span in truth.abuse] == [t.abuse for t in scripted]
        if "hold_silence" not in truth.expect:
            assert truth.dead_air == (), name
        if "overtalk" not in truth.expect:
            assert truth.overtalk == (), name


def test_good_calls_have_a_comfortable_pace_and_a_balanced_share(rendered):
    english = rendered["en_calm"].truth.operator
    assert 120 <= english.words_per_minute <= 150
    for name in ("en_calm", "vi_calm", "ru_calm", "zh_calm"):
        truth = rendered[name].truth
        assert truth.expect == ("calm",)
        assert 0.4 <= truth.talk_share <= 0.66, name
        assert truth.operator.level_dbfs == pytest.approx(-22.0, abs=0.5)


def test_hold_silence_is_silent_on_both_channels(rendered):
    call = rendered["en_hold_silence"]
    (start, end), *others = call.truth.dead_air
    assert not others
    assert end - start == pytest.approx(8.0, abs=0.01)
    for row in (0, 1):
        assert _level(_span(call, row, start, end)) < SILENCE_DBFS


def test_overtalk_is_there_and_the_short_backchannel_is_not_counted(rendered):
    call = rendered["en_overtalk"]
    (start, end), *others = call.truth.overtalk
    assert not others
    assert end - start == pytest.approx(2.0, abs=0.01)
    for row in (0, 1):
        assert _level(_span(call, row, start, end)) > -45.0
    backchannels = [t for t in call.truth.turns if t.speaker == "caller" and t.end - t.start < 0.8]
    assert len(backchannels) == 1
    operator_turns = call.truth.operator.turns
    (bc,) = backchannels
    assert any(s < bc.start and bc.end < e for s, e in operator_turns)  # inside a turn


def test_monotone_operator_has_a_flat_measured_pitch(rendered):
    def pitch_sd(name: str) -> float:
        call = rendered[name]
        voice = np.concatenate([_span(call, 0, s, e) for s, e in call.truth.operator.turns])
        f0 = pitch_track_hz(voice, SAMPLE_RATE)
        return float(np.std(12 * np.log2(f0 / np.median(f0))))

    calm, flat = pitch_sd("en_calm"), pitch_sd("en_fast_monotone")
    assert calm > 2.0
    assert flat < 0.25 * calm
    assert rendered["en_fast_monotone"].truth.operator.pitch_sd_semitones == pytest.approx(
        flat, abs=0.05
    )
    assert rendered["en_fast_monotone"].truth.operator.words_per_minute > 185


def test_quiet_operator_is_quiet_in_the_audio(rendered):
    call = rendered["en_quiet"]
    voice = np.concatenate([_span(call, 0, s, e) for s, e in call.truth.operator.turns])
    assert active_level_dbfs(voice, SAMPLE_RATE) == pytest.approx(-40.0, abs=0.5)
    assert call.truth.operator.level_dbfs == pytest.approx(-40.0, abs=0.5)


def test_shouted_turns_are_louder_and_higher(rendered):
    call = rendered["en_abusive_shouting"]
    turns = [t for t in call.truth.turns if t.speaker == "caller"]
    shouted = [t for t in turns if t.shout]
    calm = [t for t in turns if not t.shout]
    assert len(shouted) == 2 and calm
    for loud in shouted:
        assert loud.level_dbfs - max(t.level_dbfs for t in calm) >= 11.0
    calm_f0 = np.median(
        np.concatenate([pitch_track_hz(_span(call, 1, t.start, t.end), 16000) for t in calm])
    )
    for loud in shouted:
        assert (
            np.median(pitch_track_hz(_span(call, 1, loud.start, loud.end), 16000)) > 1.3 * calm_f0
        )
    assert {span.category for span in call.truth.abuse} == {"shouting"}


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_written_calls_decode_through_the_toolkit_with_their_truth(rendered, tmp_path, fmt):
    stereo_path = write_rendered(rendered["en_card_number"], tmp_path, fmt=fmt)
    mono_path = write_rendered(rendered["en_card_number"], tmp_path, fmt=fmt, mono=True)
    assert (stereo_path.name, mono_path.name) == (
        f"en_card_number.{fmt}",
        f"en_card_number_mono.{fmt}",
    )
    stereo, mono = load_audio(stereo_path), load_audio(mono_path)
    truth, mono_truth = load_truth(stereo_path), load_truth(mono_path)
    assert (stereo.is_stereo, mono.is_stereo) == (True, False)
    assert (truth.layout, mono_truth.layout) == ("stereo", "mono")
    assert stereo.duration_s == pytest.approx(truth.duration_s, abs=0.03)
    (card,) = truth.redactions
    assert card.category == "card" and "four five one two" in truth.turns[card.turn].text
    # the caller's card turn is on the right channel, and in the mono mix
    for channel in (stereo.channels[1], mono.channels[0]):
        span = channel[round(card.start * SAMPLE_RATE) : round(card.end * SAMPLE_RATE)]
        assert _level(span) > -40.0


def test_opus_in_ogg_is_written_and_decodes(tmp_path):
    short = CallScript(
        "short", "en", "", (Turn("operator", "Hello.", 2), Turn("caller", "Hi there.", 3)), ()
    )
    path = write_rendered(render_call(short), tmp_path, fmt="ogg", mono=True)
    call = load_audio(path)
    assert call.codec == "opus"
    assert call.duration_s == pytest.approx(load_truth(path).duration_s, abs=0.05)


def test_ensure_calls_renders_only_what_is_missing(tmp_path):
    paths = ensure_calls(["en_calm", "en_calm_mono"], tmp_path)
    assert sf.info(str(paths["en_calm"])).channels == 2
    assert sf.info(str(paths["en_calm_mono"])).channels == 1
    assert script_sha256(SCRIPTS["en_calm"])[:12] in str(paths["en_calm"].parent)
    stamps = {name: path.stat().st_mtime_ns for name, path in paths.items()}
    again = ensure_calls(["en_calm", "en_calm_mono"], tmp_path)
    assert again == paths
    assert {name: path.stat().st_mtime_ns for name, path in again.items()} == stamps
    with pytest.raises(SampleError, match="no sample call named 'nope'"):
        ensure_calls(["nope"], tmp_path)


def test_cli_writes_the_chosen_calls(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--only", "zh_calm", "--mono", "--format", "flac"]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [
        "zh_calm.flac",
        "zh_calm.truth.json",
        "zh_calm_mono.flac",
        "zh_calm_mono.truth.json",
    ]
    assert "zh_calm.flac" in capsys.readouterr().out
    assert main(["--out", str(tmp_path), "--only", "missing_call"]) == 1


def test_bad_scripts_are_refused_with_a_reason():
    with pytest.raises(SampleError, match="operator must speak first"):
        CallScript("x", "en", "", (Turn("caller", "Hello.", 2),), ())
    with pytest.raises(SampleError, match="unknown expect tag"):
        CallScript("x", "en", "", (Turn("operator", "Hello.", 2),), ("loud",))
    overlapping = CallScript(
        "x",
        "en",
        "",
        (Turn("operator", "Hello there.", 3), Turn("operator", "Hi.", 1, gap_before_s=-0.5)),
        (),
    )
    with pytest.raises(SampleError, match="same speaker"):
        render_call(overlapping)
    clipping = CallScript("x", "en", "", (Turn("operator", "Hello there.", 3, level_dbfs=-3),), ())
    with pytest.raises(SampleError, match="clips"):
        render_call(clipping)
    with pytest.raises(SampleError, match="unknown sample format 'mp3'"):
        write_call(SCRIPTS["en_calm"], Path("unused"), fmt="mp3")


COMMITTED_CALLS = ["en_calm", "en_calm_mono", "vi_calm", "en_abusive_insult"]


@pytest.mark.parametrize("stem", COMMITTED_CALLS)
def test_committed_sample_calls_match_their_scripts(stem):
    path = COMMITTED / f"{stem}.flac"
    truth = load_truth(path)
    script = SCRIPTS[truth.name]
    assert [turn.text for turn in truth.turns] == [turn.text for turn in script.turns]
    assert truth.layout == ("mono" if stem.endswith("_mono") else "stereo")
    info = sf.info(str(path))
    assert info.channels == (1 if truth.layout == "mono" else 2)
    assert info.duration == pytest.approx(truth.duration_s, abs=0.01)
    assert (
        json.loads(path.with_name(f"{stem}.truth.json").read_text())["schema"] == "sample-truth/1"
    )


def test_committed_audio_stays_small():
    # Four FLAC calls for the truth tests, the other demo calls as Ogg Opus (in the wheel).
    total = sum(path.stat().st_size for path in COMMITTED.iterdir())
    assert total < 2.6 * 1024 * 1024
    assert {p.stem for p in COMMITTED.glob("*.flac")} == set(COMMITTED_CALLS)
