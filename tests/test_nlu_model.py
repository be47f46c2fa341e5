"""The real NLU model: caching by data + config hash, quality floor, no user text in logs."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.services import KnowledgeHolder, build_parser, ensure_model
from bot.settings import Settings
from nlu import train as training
from nlu.evaluate import evaluate, read_eval_files

pytestmark = pytest.mark.nlu
ROOT = Path(__file__).resolve().parent.parent


def test_fingerprint_follows_data_and_config(tmp_path: Path, base_settings: Settings) -> None:
    data = tmp_path / "data"
    shutil.copytree(base_settings.nlu_data, data)
    config = tmp_path / "config.yml"
    shutil.copy(base_settings.nlu_config, config)
    before = training.fingerprint(config, data)
    assert training.fingerprint(config, data) == before
    (data / "es" / "requests.yml").write_text((data / "es" / "requests.yml").read_text() + "    - otro ejemplo\n")
    changed_data = training.fingerprint(config, data)
    config.write_text(config.read_text() + "\n# comment\n")
    assert len({before, changed_data, training.fingerprint(config, data)}) == 3


def test_cached_model_is_reused_without_training(base_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    path = ensure_model(base_settings)
    assert path.exists()

    def fail(*args, **kwargs):
        raise AssertionError("train_nlu must not run when the cache has the model")

    import rasa.model_training

    monkeypatch.setattr(rasa.model_training, "train_nlu", fail)
    assert training.train(base_settings.nlu_config, base_settings.nlu_data, base_settings.model_dir) == path


@pytest.fixture(scope="module")
def parser(base_settings: Settings):
    return build_parser(base_settings, KnowledgeHolder(base_settings.knowledge_dir))


def test_quality_floor_on_held_out_files(parser, base_settings: Settings) -> None:
    examples = read_eval_files(sorted((ROOT / "nlu" / "eval").glob("*.yml")))
    subset = examples[::4]
    report = evaluate(parser, subset, threshold=0.2)
    assert report["overall"]["macro_f1"] >= 0.85, report["overall"]
    assert report["language_id_accuracy"] >= 0.93
    for language, scores in report["per_language"].items():
        assert scores["accuracy"] >= 0.8, (language, scores)


def test_parsing_logs_no_user_text(parser, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    secret = "me llamo Zoraida Pérez y perdí mi pasaporte número AB123456"
    with caplog.at_level(logging.DEBUG):
        result = parser.parse_sync(secret)
    captured = capfd.readouterr()
    assert result.intent == "lost_documents"
    logged = caplog.text + captured.out + captured.err
    assert "Zoraida" not in logged and "AB123456" not in logged


def test_rasa_telemetry_is_off_wherever_rasa_runs(base_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa import telemetry

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "true")
    training.fingerprint(base_settings.nlu_config, base_settings.nlu_data)  # what `amparo train` runs first
    assert not telemetry.is_telemetry_enabled()
