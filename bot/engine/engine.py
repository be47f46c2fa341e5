"""Run one turn: load the session, understand, pick the flow step, answer, save."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Callable

from redis.exceptions import RedisError

from actions.compose import danger_advice, emergency_now
from actions.context import ActionContext
from actions.geo import CountryLocator
from actions.lookup import Directory
from bot.cases.escalation import Escalator
from bot.cases.model import Case
from bot.engine import language
from bot.engine.dialogue import Dialogue, Policy
from bot.engine.reply import reply
from bot.engine.result import TurnResult
from bot.engine.session import Session
from bot.engine.store import SessionStore
from bot.engine.turn import Turn
from bot.messages import FORGET_FAILED, FORGOTTEN, MEMORY_DOWN
from nlu.danger import Danger, DangerDetector
from nlu.parser import Parse, Parser

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineConfig:
    """Hold the engine's settings."""

    languages: tuple[str, ...]
    default_language: str
    default_country: str
    stale_after_days: int
    threshold: float
    retention_seconds: int


class Engine:
    """Turn a Turn into Replies; the same engine serves Telegram, the shell and tests."""

    def __init__(
        self,
        config: EngineConfig,
        store: SessionStore,
        parser: Parser,
        directory: Callable[[], Directory],
        escalator: Escalator,
        today: Callable[[], date] = date.today,
        danger: DangerDetector | None = None,
        locator: CountryLocator | None = None,
    ) -> None:
        """Wire the engine to its services (the danger lexicon is read from its file unless given)."""
        self.config = config
        self.languages = config.languages
        self.store = store
        self.parser = parser
        self.directory = directory
        self.escalator = escalator
        self.today = today
        self.danger = danger or DangerDetector.load()
        self.locator = locator or CountryLocator()
        self.policy = Policy(config.languages, config.threshold, config.retention_seconds // 86400)

    async def handle(self, turn: Turn) -> TurnResult:
        """Answer one turn; never raise for bad input or a lost Redis."""
        if turn.button == "forget:yes":
            return await self._forget(turn)
        session, remembered = await self._load(turn.user)
        parse = await self._parse(turn, session)
        session.language = self._language(session, parse.language if parse else None, turn.language_hint)
        result = TurnResult(turn.user, session.language, session, remembered=remembered)
        if parse:
            result.intent, result.confidence = parse.intent, parse.confidence
            result.entities, result.ranking, result.nlu = parse.entities, parse.ranking, parse.source
        ctx = ActionContext(session, self.directory(), self.today(), self.config.stale_after_days, self.config.default_country)
        danger = self.danger.detect(turn.text, parse.intent if parse else None) if turn.text and not turn.command else None
        result.danger, result.danger_evidence = (danger.kinds, danger.evidence) if danger else ((), ())
        case = await self.escalator.open_case_of(session) if turn.text and not turn.command else None
        dialogue = Dialogue(ctx, self.policy, self.escalator.desks(), self.parser.ready, self.locator)
        if case is not None and turn.text and turn.text.strip():
            session.remember("user", turn.text)
            result.forward, result.step = turn.text, "case:forward"
            if danger:
                if parse is not None:
                    dialogue.learn(parse)  # "estoy en Madrid": the number of where the person is
                await self._urgent_forward(case, danger, ctx, result)
            else:
                result.replies.append(self.escalator.forwarded(case))
        else:
            dialogue.step(turn, parse, result, danger)
        if result.escalate:
            case_id, answer = await self.escalator.open_case(session, result.escalate, ctx.country, session.language)
            session.open_case = case_id or session.open_case
            result.replies.append(answer)
        result.language, result.case = session.language, session.open_case
        await self._finish(session, result)
        return result

    async def _urgent_forward(self, case: Case, danger: Danger, ctx: ActionContext, result: TurnResult) -> None:
        """Answer danger inside an open case: the number first, advice, and the case marked urgent."""
        await self.escalator.mark_urgent(case)
        result.replies.append(self.escalator.urgent_forwarded(case, *emergency_now(ctx, danger.kind), *danger_advice(ctx, danger.kind)))
        result.step = f"danger:{danger.kind}:case"

    def _language(self, session: Session, detected: str | None, hint: str | None) -> str:
        return language.choose(session, detected, hint, self.config.default_language, self.languages)

    async def _finish(self, session: Session, result: TurnResult) -> None:
        """Save the session; tell the person plainly when it could not be remembered."""
        if result.remembered and await self._save(session):
            return
        result.remembered = False
        # A person in danger reads the emergency number first, even when memory is down.
        result.replies.insert(1 if result.danger else 0, reply(MEMORY_DOWN))

    async def language_for(self, user: str, hint: str | None) -> str:
        """Return the language a user would be answered in, without changing anything."""
        session, _ = await self._load(user)
        return self._language(session, None, hint)

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
