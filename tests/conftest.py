"""Shared fixtures: settings with a throwaway key prefix, a real Redis, engines."""
from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import AsyncIterator

import pytest

from bot.redis_conn import RedisHandle, connect_redis
from bot.services import KnowledgeHolder, Services, build_danger, build_services
from bot.settings import Settings
from nlu.danger import DangerDetector
from nlu.entities import EntityExtractor
from nlu.langid import LanguageIdentifier
from nlu.parser import Parser
from tests.fake_bot_api import FakeBotApi
from tests.standins import KeywordModel

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Return settings from the environment with a unique key prefix and a throwaway Redis folder."""
    return dataclasses.replace(
        Settings.from_env(),
        key_prefix=f"amparo-test-{uuid.uuid4().hex[:8]}",
        redis_dir=tmp_path_factory.mktemp("redis"),
    )


@pytest.fixture(scope="session")
def fixture_settings(base_settings: Settings) -> Settings:
    """Return settings that read the small fixture knowledge base."""
    return dataclasses.replace(
        base_settings,
        knowledge_dir=FIXTURES / "knowledge",
        desk_chat_id=-1003,
        desk_staff_ids=frozenset({701}),
        desk_language="es",
    )


@pytest.fixture(scope="session")
def language_identifier(base_settings: Settings) -> LanguageIdentifier:
    """Fit the language identifier once per run."""
    return LanguageIdentifier.from_training_data(base_settings.nlu_data)


@pytest.fixture
async def redis(base_settings: Settings) -> AsyncIterator[RedisHandle]:
    """Connect to a real Redis and delete this run's keys afterwards."""
    handle = await connect_redis(base_settings)
    yield handle
    keys = [k async for k in handle.client.scan_iter(match=f"{base_settings.key_prefix}:*")]
    if keys:
        await handle.client.delete(*keys)
    await handle.close()


def standin_parser(settings: Settings, languages: LanguageIdentifier, model: KeywordModel | None = None) -> Parser:
    """Build a parser with the keyword model instead of Rasa."""
    places = [n for p in KnowledgeHolder(settings.knowledge_dir).current().knowledge.places for n in (p.name, *p.aliases)]
    return Parser(model or KeywordModel(), languages, EntityExtractor.load(places))


@pytest.fixture(scope="session")
def danger(base_settings: Settings, language_identifier: LanguageIdentifier) -> DangerDetector:
    """Build the danger check (lexicon and classifier) once per run."""
    return build_danger(base_settings, language_identifier.vocabulary)


@pytest.fixture
async def services(
    fixture_settings: Settings, language_identifier: LanguageIdentifier, redis: RedisHandle, danger: DangerDetector
) -> Services:
    """Build services on the fixture knowledge with the keyword model and a real Redis."""
    return await build_services(fixture_settings, standin_parser(fixture_settings, language_identifier), redis, danger=danger)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """Serve a fake Telegram Bot API on loopback for one test."""
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def parser(fixture_settings: Settings, language_identifier: LanguageIdentifier) -> Parser:
    """Return a parser with the keyword stand-in model."""
    return standin_parser(fixture_settings, language_identifier)
