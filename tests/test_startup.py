"""Answer from the first second: the quick model serves while Rasa loads, or if the model is broken."""
from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from bot.engine.turn import Turn
from bot.services import build_services
from bot.settings import Settings
from nlu.train import cached_model

pytestmark = pytest.mark.nlu


async def test_quick_model_answers_until_rasa_has_loaded(base_settings: Settings, redis) -> None:
    services = await build_services(base_settings, redis=redis, background_model=True)
    assert services.model_loader is not None
    first = await services.engine.handle(Turn("boot", text="perdí mi pasaporte", language_hint="es"))
    assert first.nlu == "quick" and first.intent == "lost_documents"
    assert first.step == "ask:nationality"
    assert await services.model_loader is True
    later = await services.engine.handle(Turn("boot2", text="perdí mi pasaporte", language_hint="es"))
    assert later.nlu == "rasa" and later.intent == "lost_documents"


async def test_corrupt_model_gives_one_error_line_and_keeps_serving(
    base_settings: Settings, redis, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = dataclasses.replace(base_settings, model_dir=tmp_path)
    cached_model(settings.nlu_config, settings.nlu_data, tmp_path).write_bytes(b"not a model")
    with caplog.at_level(logging.ERROR, logger="bot.services"):
        services = await build_services(settings, redis=redis, background_model=True)
        assert await services.model_loader is False
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "bot.services"]
    assert len(errors) == 1 and "quick" in errors[0].getMessage()
    result = await services.engine.handle(Turn("broken", text="necesito un albergue", language_hint="es"))
    assert result.nlu == "quick" and result.intent == "shelter"
