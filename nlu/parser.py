"""Parse messages with the trained Rasa model, off the event loop, with a small cache of whole parses."""
from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nlu.entities import EntityExtractor
from nlu.langid import LanguageIdentifier
from nlu.needs import NeedPolicy, combine
from nlu.rasa_env import no_telemetry

log = logging.getLogger(__name__)

# Telegram allows 4,096 characters in one message: all of it is read.
MAX_PARSE_CHARS = 4096
# Below this share of known words, a message of several words is treated as not understood.
FAMILIAR = 0.34


@dataclass(frozen=True)
class Parse:
    """Hold what was understood from one message."""

    text: str
    language: str
    intent: str
    confidence: float
    entities: tuple[dict[str, Any], ...] = ()
    ranking: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    source: str = "rasa"
    familiar: float = 1.0
    needs: tuple[tuple[str, float], ...] = ()

    @property
    def gibberish(self) -> bool:
        """Tell whether most words of a longer message were never seen in training (keyboard mash)."""
        return self.familiar < FAMILIAR and len(self.text.split()) > 1

    def entity(self, name: str) -> Any:
        """Return the first value of an entity, or None."""
        return next((e["value"] for e in self.entities if e["entity"] == name), None)

    def to_json(self) -> dict[str, Any]:
        """Return the shape DESIGN.md fixes for `amparo nlu parse`."""
        return {
            "text": self.text,
            "language": self.language,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "entities": [{"entity": e["entity"], "value": e["value"]} for e in self.entities],
            "intents": [{"intent": i, "confidence": round(c, 4)} for i, c in self.needs],
        }


@dataclass(frozen=True)
class _Understood:
    """Hold what the parser worked out for one cleaned text and hint (the cached part of a Parse)."""

    language: str
    entities: tuple[dict[str, Any], ...]
    ranking: tuple[tuple[str, float], ...]
    source: str
    familiar: float = 1.0
    needs: tuple[tuple[str, float], ...] = ()

    def parse(self, text: str) -> Parse:
        """Return the Parse of the original text."""
        if not self.ranking:
            return Parse(text, self.language, "nlu_fallback", 0.0, self.entities, source=self.source, familiar=self.familiar)
        intent, confidence = self.ranking[0]
        return Parse(text, self.language, intent, confidence, self.entities, self.ranking[:5], self.source, self.familiar, self.needs)


class IntentModel(Protocol):
    """Classify a message into intents with confidences."""

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Return (intent, confidence) pairs, best first."""


class RasaIntentModel:
    """Run a trained Rasa NLU model in-process."""

    def __init__(self, model_path: Path) -> None:
        """Load the model archive (slow: tens of seconds)."""
        no_telemetry()
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
        for name in ("rasa", "tensorflow", "absl"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self._agent = Agent.load(str(model_path))

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Classify text synchronously (call it from a worker thread)."""
        from rasa.core.channels import UserMessage
        from rasa.shared.core.trackers import DialogueStateTracker

        processor = self._agent.processor
        data = processor._parse_message_with_graph(  # noqa: SLF001 (sync path, no logging of text)
            UserMessage(text), DialogueStateTracker.from_events("nlu", [])
        )
        ranking = data.get("intent_ranking") or [data.get("intent") or {}]
        return [(r["name"], float(r["confidence"])) for r in ranking if r.get("name")]


class Parser:
    """Identify the language, classify the intent and extract entities of a message."""

    def __init__(
        self,
        model: IntentModel | None,
        languages: LanguageIdentifier,
        entities: EntityExtractor,
        cache_size: int = 2048,
        fallback: IntentModel | None = None,
        needs: NeedPolicy = NeedPolicy(),
    ) -> None:
        """Use this intent model (None while it loads), a quick fallback model and helpers."""
        self.needs = needs
        self.model = model
        self.fallback = fallback
        self.languages = languages
        self.entities = entities
        self._cache: OrderedDict[tuple[str, str | None], _Understood] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """Tell whether free text can be classified (by the full model or the quick one)."""
        return self.model is not None or self.fallback is not None

    def use_model(self, model: IntentModel) -> None:
        """Switch to the full model once it has loaded; forget what the quick one said."""
        with self._lock:
            self._cache.clear()
            self.model = model

    def _cached(self, key: tuple[str, str | None]) -> _Understood | None:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _remember(self, key: tuple[str, str | None], understood: _Understood) -> None:
        with self._lock:
            if understood.source != ("rasa" if self.model is not None else "quick"):
                return  # the model changed while this text was parsed
            self._cache[key] = understood
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    @staticmethod
    def _clean(text: str, hint: str | None) -> tuple[str, str | None]:
        return " ".join(text.split())[:MAX_PARSE_CHARS].lstrip("/"), hint

    def _understand(self, clean: str, hint: str | None) -> _Understood:
        language = self.languages.identify(clean, hint)
        entities = tuple(self.entities.extract(clean))
        model, source = (self.model, "rasa") if self.model is not None else (self.fallback, "quick")
        familiar = self.languages.known_share(clean)
        if not clean or model is None:
            return _Understood(language, entities, (), "none", familiar)
        ranking, needs = combine(clean, model.rank, self.needs)
        return _Understood(language, entities, tuple(ranking), source, familiar, tuple(needs))

    def parse_sync(self, text: str, hint: str | None = None) -> Parse:
        """Parse a message on the calling thread (repeated messages come from the cache)."""
        key = self._clean(text, hint)
        understood = self._cached(key)
        if understood is None:
            understood = self._understand(*key)
            self._remember(key, understood)
        return understood.parse(text)

    async def parse(self, text: str, hint: str | None = None) -> Parse:
        """Parse a message in a worker thread so the event loop stays free; a cached one at once."""
        understood = self._cached(self._clean(text, hint))
        if understood is not None:
            return understood.parse(text)
        return await asyncio.to_thread(self.parse_sync, text, hint)
