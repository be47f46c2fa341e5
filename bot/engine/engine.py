"""Run one turn: load the session, understand, pick the flow step, answer, save."""
from __future__ import annotations

import logging
from datetime import date
from typing import Callable

from redis.exceptions import RedisError

from actions.context import ActionContext
from actions.lookup import Directory
from bot.engine import language
from bot.engine.dialogue import Dialogue
from bot.engine.result import TurnResult
from bot.engine.session import Session
from bot.engine.store import SessionStore
from bot.engine.turn import Turn
from bot.engine.reply import reply
from bot.messages import FORGET_FAILED, FORGOTTEN, MEMORY_DOWN
from nlu.parser import Parse, Parser

log = logging.getLogger(__name__)


class Engine:
    """Turn a Turn into Replies; the same engine serves Telegram, the shell and tests."""

    def __init__(
        self,
        store: SessionStore,
        parser: Parser,
        directory: Callable[[], Directory],
        languages: tuple[str, ...],
        default_language: str,
        default_country: str,
        stale_after_days: int,
        threshold: float,
        retention_seconds: int,
        today: Callable[[], date] = date.today,
    ) -> None:
        """Wire the engine to its services."""
        self.store = store
        self.parser = parser
        self.directory = directory
        self.languages = languages
        self.default_language = default_language
        self.default_country = default_country
        self.stale_after_days = stale_after_days
        self.threshold = threshold
        self.retention_days = retention_seconds // 86400
        self.today = today

    async def handle(self, turn: Turn) -> TurnResult:
        """Answer one turn; never raise for bad input or a lost Redis."""
        if turn.button == "forget:yes":
            return await self._forget(turn)
        session, remembered = await self._load(turn.user)
        parse = await self._parse(turn, session)
        detected = parse.language if parse else None
        session.language = language.choose(
            session, detected, turn.language_hint, self.default_language, self.languages
        )
        result = TurnResult(turn.user, session.language, session, remembered=remembered)
        if parse:
            result.intent, result.confidence = parse.intent, parse.confidence
            result.entities, result.ranking, result.nlu = parse.entities, parse.ranking, parse.source
        ctx = ActionContext(session, self.directory(), self.today(), self.stale_after_days, self.default_country)
        Dialogue(ctx, self.languages, self.parser.ready, self.threshold, self.retention_days).step(turn, parse, result)
        result.language = session.language
        if not remembered:
            result.replies.insert(0, reply(MEMORY_DOWN))
        elif not await self._save(session):
            result.replies.insert(0, reply(MEMORY_DOWN))
            result.remembered = False
        return result

    async def language_for(self, user: str, hint: str | None) -> str:
        """Return the language a user would be answered in, without changing anything."""
        session, _ = await self._load(user)
        return language.choose(session, None, hint, self.default_language, self.languages)

    async def forget(self, user: str) -> bool:
        """Erase everything stored about a user; tell whether it worked."""
        try:
            await self.store.erase(user)
            return True
        except RedisError:
            log.warning("could not erase a session: Redis unavailable")
            return False

    async def _forget(self, turn: Turn) -> TurnResult:
        """Erase the user's data after they confirmed, and answer in their language."""
        lang = await self.language_for(turn.user, turn.language_hint)
        erased = await self.forget(turn.user)
        result = TurnResult(turn.user, lang, Session(user=turn.user), step="forget", remembered=False)
        result.replies.append(reply(FORGOTTEN if erased else FORGET_FAILED))
        return result

    async def _parse(self, turn: Turn, session: Session) -> Parse | None:
        if turn.text is None or not turn.text.strip() or turn.command:
            return None
        hint = session.language or language.from_hint(turn.language_hint, self.languages)
        return await self.parser.parse(turn.text, hint)

    async def _load(self, user: str) -> tuple[Session, bool]:
        try:
            return await self.store.load(user), True
        except (RedisError, OSError, ValueError):
            log.warning("session store unavailable; answering without memory")
            return Session(user=user), False

    async def _save(self, session: Session) -> bool:
        try:
            await self.store.save(session)
            return True
        except (RedisError, OSError):
            log.warning("session store unavailable; the session was not saved")
            return False
