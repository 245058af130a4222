"""``coaching text``, run for real in a subprocess, and Chinese script conversion."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from coaching.options import AnalysisOptions
from coaching.text.chinese import in_script, to_simplified
from coaching.text.language import detect_language
from coaching.types import Transcript, Utterance, Word

ROOT = Path(__file__).resolve().parent.parent


def run_text(*args: str, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "coaching", "text", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def test_text_json_lines_score_sentiment_abuse_language_and_redact():
    lines = [
        "If it is not back tonight I will come down to your office",
        "My card is 4512 3456 7890 1234, thanks so much for your help",
        "Спасибо, всё заработало",
        "這個電錶讀數不對",
    ]
    done = run_text("--json", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in rows] == lines
    assert [r["language"] for r in rows] == ["en", "en", "ru", "zh"]
    threat = rows[0]["abuse"]
    assert any(a["category"] == "threat" for a in threat)
    assert {"category", "probability", "evidence"} <= set(threat[0])
    assert "head" in threat[0]["evidence"]["sources"]
    assert "4512" not in rows[1]["redacted_text"] and rows[1]["abuse"] == []
    assert rows[2]["sentiment"]["label"] == "positive"
    assert -1 <= rows[2]["sentiment"]["score"] <= 1
    assert rows[3]["redacted_text"] == "这个电表读数不对"


def test_text_table_from_a_file_with_a_given_language(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("cam on em nhieu nhe\n\nmat dien tu sang roi\n", encoding="utf-8")
    done = run_text("--language", "vi", str(path), stdin="")
    assert done.returncode == 0, done.stderr
    table = done.stdout.splitlines()
    assert len(table) == 2 and all(line.startswith("vi ") for line in table)


def test_a_long_file_is_scored_block_by_block_with_every_line_in_order(tmp_path):
    from coaching.cli.text import LINES_PER_BLOCK

    lines = [f"line {i}: the meter reads {i * 7} units" for i in range(LINES_PER_BLOCK + 20)]
    lines[LINES_PER_BLOCK + 3] = "you useless idiot, I know where you live"
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_text("--json", "--language", "en", str(path), stdin="")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["text"] for r in rows] == lines
    flagged = [i for i, r in enumerate(rows) if r["abuse"]]
    assert flagged == [LINES_PER_BLOCK + 3]


def test_output_cut_short_by_its_reader_ends_quietly(tmp_path):
    """``coaching text --json big.txt | head -1``: no traceback once head has its line."""
    path = tmp_path / "big.txt"
    path.write_text("my meter reading is wrong again this month\n" * 600, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "coaching", "text", "--json", "--language", "en", str(path)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    ) as process:
        assert json.loads(process.stdout.readline())["language"] == "en"
        process.stdout.close()  # what head does after its line
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=300) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_the_table_never_sends_control_characters_to_the_terminal():
    hostile = "pay me \x1b[2J\x1b]0;owned\x07 now"  # clear screen, set window title, bell
    done = run_text("--language", "en", "-", stdin=hostile + "\n")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "pay me ?[2J?]0;owned? now" in done.stdout


def test_text_refuses_a_missing_file():
    done = run_text("/no/such/file.txt", stdin="")
    assert done.returncode == 1 and "no such file" in done.stderr


def test_language_by_script_and_cues():
    assert detect_language("Я вас найду") == "ru"
    assert detect_language("你们给我记住") == "zh"
    assert detect_language("mất điện rồi") == "vi"
    assert detect_language("mat dien roi em oi") == "vi"
    assert detect_language("the power is out again") == "en"


def _transcript(language: str) -> Transcript:
    words = (Word(0.0, 0.5, "這個"), Word(0.5, 1.0, "電錶"))
    utterance = Utterance("caller", 0.0, 1.0, "這個電錶讀數不對", words=words)
    return Transcript(language, 0.9, (utterance,), (), "stereo", 1.0, 1.0)


def test_chinese_is_simplified_by_default_and_kept_when_asked():
    assert AnalysisOptions().transcript.chinese_script == "simplified"
    simplified = in_script(_transcript("zh"), AnalysisOptions().transcript.chinese_script)
    assert simplified.utterances[0].text == "这个电表读数不对"
    assert [w.text for w in simplified.utterances[0].words] == ["这个", "电表"]
    kept = in_script(_transcript("zh"), "traditional")
    assert kept.utterances[0].text == "這個電錶讀數不對"
    assert in_script(_transcript("en"), "simplified") == _transcript("en")
    assert to_simplified("還有什麼問題嗎") == "还有什么问题吗"
    assert (
        AnalysisOptions.of(chinese_script="traditional").to_dict()["chinese_script"]
        == "traditional"
    )
