"""End to end through the `amparo` command: the real NLU model, a real Redis, real catalogs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.services import ensure_model
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.nlu


@pytest.fixture(scope="module")
def model(base_settings: Settings) -> Path:
    """Train the model once if the cache lacks it."""
    return ensure_model(base_settings)


def amparo(args: list[str], stdin: str, settings: Settings) -> subprocess.CompletedProcess[str]:
    """Run the amparo command with this run's key prefix."""
    env = {**os.environ, "AMPARO_KEY_PREFIX": settings.key_prefix, "LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )


def turns(*items: dict) -> str:
    return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)


def test_nlu_parse_writes_one_json_object_per_line(model: Path, base_settings: Settings) -> None:
    out = amparo(["nlu", "parse"], "perdí mi pasaporte\nkote ki gen yon abri\nفقدت جواز سفري\n", base_settings)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["perdí mi pasaporte", "kote ki gen yon abri", "فقدت جواز سفري"]
    assert set(rows[0]) == {"text", "language", "intent", "confidence", "entities", "intents"}
    assert rows[0]["intents"][0]["intent"] == "lost_documents" and 0 < rows[0]["intents"][0]["confidence"] <= 1
    assert [r["intent"] for r in rows] == ["lost_documents", "shelter", "lost_documents"]
    assert [r["language"] for r in rows] == ["es", "ht", "ar"]
    assert {"entity": "document", "value": "passport"} in rows[0]["entities"]


def test_shell_jsonl_dialogue_end_to_end(model: Path, base_settings: Settings) -> None:
    script = turns(
        {"user": "e2e", "text": "perdí mi pasaporte", "lang": "es"},
        {"user": "e2e", "button": "nat:CO"},
        {"user": "e2e", "text": "necesito un albergue"},
        {"user": "e2e", "location": {"lat": -1.055, "lon": -80.455}},
        {"user": "e2e", "text": "perdi mi cedula tambien"},
    )
    out = amparo(["shell", "--jsonl"], script, base_settings)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 5
    assert set(rows[0]) == {"user", "language", "intent", "confidence", "replies", "case"}
    assert rows[0]["intent"] == "lost_documents" and rows[0]["language"] == "es"
    assert any(b["data"] == "nat:CO" for b in rows[0]["replies"][0]["buttons"])
    consulate = "\n".join(r["text"] for r in rows[1]["replies"])
    assert "Colombia" in consulate and "Quito" in consulate
    assert rows[2]["replies"][0]["buttons"] == []  # the location request is a reply keyboard
    shelters = "\n".join(r["text"] for r in rows[3]["replies"])
    assert "Portoviejo" in shelters and "openstreetmap.org" in shelters
    again = "\n".join(r["text"] for r in rows[4]["replies"])
    assert "Colombia" in again, "the nationality given earlier is reused"
    assert all(r["case"] is None for r in rows)


def test_shell_jsonl_survives_bad_input(model: Path, base_settings: Settings) -> None:
    script = "{not json\n" + turns(
        {"user": "bad", "text": ""},
        {"user": "bad", "text": "🙏😭🙏"},
        {"user": "bad", "text": "ayuda " * 2000},
        {"user": "bad", "location": {"lat": "north"}},
        {"user": "bad", "location": {"lat": 123.0, "lon": 500.0}},
        {"user": "bad"},
    ) + "[1, 2]\n"
    out = amparo(["shell", "--jsonl"], script, base_settings)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 8, "one output line per input line"
    assert rows[0]["error"].startswith("not valid JSON") and rows[0]["line"] == 1
    assert rows[1]["replies"] and rows[1]["replies"][0]["text"]
    assert rows[2]["replies"], "emoji-only text still gets an answer"
    assert rows[3]["replies"], "a 12,000-character message gets an answer"
    assert "lat" in rows[4]["error"]
    assert rows[5]["replies"] and rows[5]["replies"][0]["text"]
    assert rows[6]["error"] and rows[7]["error"]
    assert out.returncode == 1, "errors are reported in the exit status"


def test_shell_jsonl_carries_the_case_id(model: Path, base_settings: Settings) -> None:
    script = turns(
        {"user": "esc", "text": "soy colombiano", "lang": "es"},
        {"user": "esc", "text": "quiero hablar con una persona"},
        {"user": "esc", "button": "esc:yes"},
        {"user": "esc", "text": "sigo aquí esperando"},
    )
    out = amparo(["shell", "--jsonl"], script, base_settings)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[1]["intent"] == "human_agent" and rows[1]["case"] is None
    assert any(b["data"] == "esc:yes" for b in rows[1]["replies"][0]["buttons"])
    case = rows[2]["case"]
    assert case and case.startswith("C-") and case in rows[2]["replies"][0]["text"]
    assert "Colombia" in rows[1]["replies"][0]["text"] or "Amparo" in rows[1]["replies"][0]["text"]
    assert rows[3]["case"] == case and case in rows[3]["replies"][0]["text"]
