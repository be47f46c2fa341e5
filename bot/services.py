"""Build every service Amparo needs, in one place, and close them again."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from actions.geo import CountryLocator
from actions.loader import KnowledgeError, load_knowledge
from actions.lookup import Directory
from bot.cases.desks import DeskDirectory
from bot.cases.escalation import Escalator
from bot.cases.store import CaseStore
from bot.engine.engine import Engine, EngineConfig
from bot.engine.store import SessionStore
from bot.i18n import Renderer
from bot.redis_conn import RedisHandle, connect_redis
from bot.settings import Settings
from nlu.danger import DangerDetector
from nlu.danger_model import DANGER_DATA, DangerModel
from nlu.entities import EntityExtractor
from nlu.langid import LanguageIdentifier
from nlu.parser import Parser, RasaIntentModel
from nlu.quick import QuickIntentModel
from nlu.train import cached_model, train

log = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 0.3


class KnowledgeHolder:
    """Keep the current knowledge; reload it in place, keeping the old data on a bad edit."""

    def __init__(self, folder: Path, desk_settings: Settings | None = None) -> None:
        """Load the folder now (fails loudly on bad data)."""
        self.folder = folder
        self._desk_settings = desk_settings or Settings()
        self._desks: tuple[Directory, DeskDirectory] | None = None
        self._directory = Directory(load_knowledge(folder))
        self._stamp = self._files_stamp()

    def _files_stamp(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self.folder.iterdir() if p.is_file()))

    def reload_if_changed(self) -> bool:
        """Reload when a file in the folder changed since the last load; tell whether it reloaded."""
        stamp = self._files_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        return self.reload()

    async def watch(self, interval: float = 5.0) -> None:
        """Reload on file changes until cancelled (contacts can be corrected during a crisis)."""
        while True:
            await asyncio.sleep(interval)
            if self.reload_if_changed():
                log.info("knowledge reloaded")

    def current(self) -> Directory:
        """Return the directory in use."""
        return self._directory

    def desks(self) -> DeskDirectory:
        """Return the staff desks for the current knowledge (rebuilt after a reload)."""
        directory = self._directory
        if self._desks is None or self._desks[0] is not directory:
            s = self._desk_settings
            self._desks = (directory, DeskDirectory(directory, s.desk_chat_id, s.desk_staff_ids, s.desk_language))
        return self._desks[1]

    def reload(self) -> bool:
        """Re-read the files; on problems keep serving the previous data."""
        try:
            self._directory = Directory(load_knowledge(self.folder))
            return True
        except KnowledgeError as exc:
            log.error("knowledge reload refused, %d problem(s); still serving the previous data", len(exc.problems))
            return False


def nlu_threshold(config: Path) -> float:
    """Read the low-confidence threshold documented in the NLU config."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return float(data.get("low_confidence_threshold", DEFAULT_THRESHOLD))


def ensure_model(settings: Settings) -> Path:
    """Return the model for the current data and config, training it if needed."""
    path = cached_model(settings.nlu_config, settings.nlu_data, settings.model_dir)
    return path if path.exists() else train(settings.nlu_config, settings.nlu_data, settings.model_dir)


def build_parser(settings: Settings, knowledge: KnowledgeHolder, with_model: bool = True) -> Parser:
    """Build the parser: language identifier, entities, a quick model, and the Rasa model unless deferred."""
    places = [n for p in knowledge.current().knowledge.places for n in (p.name, *p.aliases)]
    model = RasaIntentModel(ensure_model(settings)) if with_model else None
    languages = LanguageIdentifier.from_training_data(settings.nlu_data)
    quick = QuickIntentModel.from_training_data(settings.nlu_data)
    return Parser(model, languages, EntityExtractor.load(places), fallback=quick)


def build_danger(settings: Settings, vocabulary: frozenset[str], with_model: bool = True) -> DangerDetector:
    """Build the danger check: the lexicon (typos only outside `vocabulary`), and the classifier (trained into the model cache if needed)."""
    detector = DangerDetector.load(known_words=vocabulary)
    if with_model:
        model = load_danger_model(settings, detector)
        if model is not None:
            detector.use_model(model)
    return detector


def load_danger_model(settings: Settings, detector: DangerDetector) -> DangerModel | None:
    """Return the danger classifier for the current data, from the cache or freshly trained."""
    return DangerModel.cached(DANGER_DATA, settings.nlu_data, settings.model_dir, detector.lexicon_only)


async def load_danger_model_in_background(settings: Settings, detector: DangerDetector) -> bool:
    """Load (or train) the danger classifier off the event loop; the lexicon answers meanwhile."""
    try:
        model = await asyncio.to_thread(load_danger_model, settings, detector)
    except Exception as exc:  # noqa: BLE001 - without the classifier the lexicon still works
        log.error("danger classifier unavailable (%s); the danger lexicon works alone", type(exc).__name__)
        return False
    if model is not None:
        detector.use_model(model)
        log.info("danger classifier loaded")
    return True


async def load_model_in_background(settings: Settings, parser: Parser) -> bool:
    """Load (or train) the Rasa model off the event loop; on failure keep the quick model and say so once."""
    try:
        model = await asyncio.to_thread(lambda: RasaIntentModel(ensure_model(settings)))
    except Exception as exc:  # noqa: BLE001 - any failure leaves the bot serving in quick mode
        log.error("NLU model unavailable (%s); answering with the quick keyword model", type(exc).__name__)
        return False
    parser.use_model(model)
    log.info("NLU model loaded: full understanding")
    return True


@dataclass
class Services:
    """Hold the running services."""

    settings: Settings
    redis: RedisHandle
    knowledge: KnowledgeHolder
    renderer: Renderer
    parser: Parser
    engine: Engine
    cases: CaseStore

    model_loader: asyncio.Task[bool] | None = None
    danger_loader: asyncio.Task[bool] | None = None

    async def close(self) -> None:
        """Release connections and embedded servers."""
        await self.redis.close()


async def build_services(
    settings: Settings,
    parser: Parser | None = None,
    redis: RedisHandle | None = None,
    background_model: bool = False,
    danger: DangerDetector | None = None,
) -> Services:
    """Connect Redis, load catalogs, knowledge and the NLU, and wire the engine.

    With `background_model`, the engine answers at once with the quick model and switches to the
    Rasa model when it has loaded.
    """
    renderer = Renderer(settings.locales_dir)
    knowledge = KnowledgeHolder(settings.knowledge_dir, settings)
    deferred = parser is None and background_model
    parser = parser or build_parser(settings, knowledge, with_model=not deferred)
    redis = redis or await connect_redis(settings)
    store = SessionStore(redis.client, settings.key_prefix, settings.session_ttl)
    config = EngineConfig(
        languages=renderer.locales,
        default_language=settings.default_language,
        default_country=settings.default_country,
        stale_after_days=settings.stale_after_days,
        threshold=nlu_threshold(settings.nlu_config),
        retention_seconds=settings.session_ttl,
    )
    cases = CaseStore(redis.client, settings.key_prefix)
    escalator = Escalator(cases, knowledge.desks)
    locator = CountryLocator()
    await asyncio.to_thread(locator.warm)
    danger = danger or build_danger(settings, parser.languages.vocabulary, with_model=not deferred)
    engine = Engine(config, store, parser, knowledge.current, escalator, danger=danger, locator=locator)
    services = Services(settings, redis, knowledge, renderer, parser, engine, cases)
    if deferred:
        services.model_loader = asyncio.create_task(load_model_in_background(settings, parser))
        if danger.model is None:
            services.danger_loader = asyncio.create_task(load_danger_model_in_background(settings, danger))
    return services
