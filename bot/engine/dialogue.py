"""Pick the flow step for one turn: answer, ask for one missing detail, or show the menu."""
from __future__ import annotations

from dataclasses import dataclass

from actions.compose import danger_advice, emergency_line, emergency_now, emergency_parts, menu_buttons, topic_more
from actions.context import ActionContext
from actions.geo import CountryLocator
from actions.handlers import HANDLERS
from actions.lookup import distance_km
from bot import messages as m
from bot.cases.desks import DeskDirectory
from bot.engine.flow import CONSENT, COMMON_NATIONALITIES, LOCATION, NATIONALITY, NEEDS
from bot.engine.reply import Button, Country, LanguageName, Reply, Text, reply
from bot.engine.result import EscalationRequest, TurnResult
from bot.engine.turn import Location, Turn
from nlu.danger import Danger
from nlu.parser import MAX_PARSE_CHARS, Parse

COUNTRY_RADIUS_KM = 300.0
ANSWERS_PENDING = ("affirm", "deny", "out_of_scope", "nlu_fallback", "greet", "thanks")
MISUNDERSTOOD_BEFORE_HUMAN = 3
# While a question is open, a new request must be this clear to set the question aside.
PENDING_SWITCH = 0.4
# Several needs in one message are answered in this order.
URGENCY = (
    "medical_help",
    "safety",
    "evacuation",
    "shelter",
    "basic_needs",
    "find_family",
    "lost_documents",
    "legal_status",
    "contact_consulate",
)
# The topic a case opened from a danger message carries (staff see it on the case card).
DANGER_TOPICS = {
    "medical": "medical_help",
    "suicide": "medical_help",
    "trapped": "evacuation",
    "flood": "evacuation",
    "tsunami": "evacuation",
    "volcano": "evacuation",
    "child_alone": "find_family",
}


@dataclass(frozen=True)
class Policy:
    """Hold the engine-wide settings the flow uses."""

    languages: tuple[str, ...]
    threshold: float
    retention_days: int


class Dialogue:
    """Apply the flow table to one turn, updating the session and the result."""

    def __init__(
        self, ctx: ActionContext, policy: Policy, desks: DeskDirectory, nlu_ready: bool, locator: CountryLocator | None = None
    ) -> None:
        """Work on this context."""
        self.locator = locator
        self.ctx = ctx
        self.session = ctx.session
        self.policy = policy
        self.desks = desks
        self.nlu_ready = nlu_ready

    def step(self, turn: Turn, parse: Parse | None, result: TurnResult, danger: Danger | None = None) -> None:
        """Fill `result` with the replies for this turn; danger comes before everything else."""
        if danger is not None and turn.text and not turn.command:
            if parse is not None:
                self.learn(parse)
            self.session.remember("user", turn.text)
            self.danger(danger, result)
            if danger.kind == "plea" and parse is not None:
                self._also_answer(parse.intent, result)
        elif turn.command:
            self._command(turn.command, result)
        elif turn.button is not None:
            self._button(turn.button, result)
        elif turn.location is not None:
            self._location(turn.location, result)
        else:
            self._text(turn.text or "", parse, result)

    # --- replies ---------------------------------------------------------------------------
    def _say(self, result: TurnResult, step: str, replies: list[Reply]) -> None:
        result.step = step
        result.replies.extend(replies)

    def _menu(self, *lead: Text) -> Reply:
        return reply(*(lead or (m.MENU,)), emergency_line(self.ctx), buttons=menu_buttons())

    def danger(self, danger: Danger, result: TurnResult) -> None:
        """Answer danger: the number to call now, advice for this kind, and a person at once."""
        self.session.misunderstood = 0
        lead = [*emergency_now(self.ctx, danger.kind), *danger_advice(self.ctx, danger.kind)]
        self._offer(DANGER_TOPICS.get(danger.kind, "safety"), result, urgent=True, lead=lead)
        result.step = f"danger:{danger.kind}"

    def _also_answer(self, intent: str, result: TurnResult) -> None:
        """After a general urgent answer, also answer the request itself when nothing is missing for it."""
        if intent in HANDLERS and not self._missing(intent):
            self.session.last_topic = intent
            result.replies.extend(HANDLERS[intent](self.ctx))

    def _ask(self, need: str, intent: str | None, result: TurnResult, lead: Text | None = None) -> None:
        self.session.ask(need, intent)
        if need == NATIONALITY:
            buttons = tuple(Button(Country(c), f"nat:{c}") for c in COMMON_NATIONALITIES)
            other = Button(m.BTN_OTHER_COUNTRY, "nat:other")
            question = reply(lead or m.ASK_NATIONALITY, emergency_line(self.ctx), buttons=(*buttons, other))
        else:
            question = reply(lead or m.ASK_LOCATION, emergency_line(self.ctx), ask_location=True)
        self._say(result, f"ask:{need}", [question])

    def _missing(self, intent: str) -> str | None:
        """Return the first detail a request needs that the session does not know."""
        for need in NEEDS.get(intent, ()):
            known = bool(self.session.nationality) if need == NATIONALITY else self.session.has_location
            if not known:
                return need
        return None

    def _answer_all(self, parse: Parse, result: TurnResult) -> None:
        """Answer every need of a message, most urgent first (the main one in full, the others by their
        guidance only); ask at most one missing detail, last."""
        needs = [intent for intent, _ in parse.needs if intent in HANDLERS]
        if parse.intent not in HANDLERS or len(set(needs)) < 2:
            self._answer(parse.intent, result)
            return
        ordered = sorted(dict.fromkeys(needs), key=URGENCY.index)
        waiting = [intent for intent in ordered if self._missing(intent)]
        ready = [intent for intent in ordered if intent not in waiting]
        for intent in ready:
            replies = HANDLERS[intent](self.ctx)
            result.replies.extend(replies if intent == parse.intent else replies[:1])
        if ready:
            self.session.clear_pending()
            self.session.last_topic = parse.intent if parse.intent in ready else ready[0]
            self.session.misunderstood = 0
        result.step = "answer:" + "+".join(ready)
        if waiting:
            self._answer(waiting[0], result)  # the question comes last, and its step says so

    def _answer(self, intent: str, result: TurnResult) -> None:
        """Answer a request, or ask for the first missing detail it needs."""
        if intent == "human_agent":
            self._offer(self.session.last_topic or intent, result)
            return
        missing = self._missing(intent)
        if missing:
            self._ask(missing, intent, result)
            return
        self.session.clear_pending()
        self.session.last_topic = intent
        self.session.misunderstood = 0
        self._say(result, f"answer:{intent}", HANDLERS[intent](self.ctx))

    # --- escalation ------------------------------------------------------------------------
    def _offer(self, topic: str, result: TurnResult, urgent: bool = False, lead: Text | list[Text] | None = None) -> None:
        """Ask for consent before any detail is shared with staff, naming who would receive them."""
        self.session.ask(CONSENT, topic)
        self.session.urgent = urgent
        desk = self.desks.route(self.session.nationality, self.ctx.country, humanitarian=False)
        buttons = [Button(m.BTN_ESC_URGENT if urgent else m.BTN_ESC_YES, "esc:yes")]
        if desk.kind == "consulate":
            buttons.append(Button(m.BTN_ESC_HUMANITARIAN, "esc:humanitarian"))
        buttons.append(Button(m.BTN_NO, "esc:no"))
        parts = lead if isinstance(lead, list) else [lead] if lead else []
        question = (m.ESC_URGENT_CONSENT if urgent else m.ESC_CONSENT).with_params(desk=desk.name)
        self._say(result, "ask:consent", [reply(*parts, question, buttons=tuple(buttons))])

    def _consent(self, value: str, result: TurnResult) -> None:
        if self.session.pending != CONSENT:
            self._say(result, "button:unknown", [self._menu(m.BUTTON_EXPIRED)])
            return
        topic, urgent = self.session.pending_intent or "human_agent", self.session.urgent
        self.session.clear_pending()
        self.session.urgent = False
        if value == "no":
            self._say(result, "escalation:declined", [self._menu(m.ESC_DECLINED)])
        else:
            result.escalate = EscalationRequest(topic, urgent, humanitarian=value == "humanitarian")
            result.step = "escalation:consented"

    # --- commands --------------------------------------------------------------------------
    def _command(self, command: str, result: TurnResult) -> None:
        if command == "start":
            privacy = m.PRIVACY.with_params(days=max(1, self.policy.retention_days))
            self._say(result, "start", [reply(m.WELCOME, privacy), self._languages(), self._menu()])
        elif command == "help":
            self._say(result, "help", [self._menu()])
        elif command == "language":
            self._say(result, "change_language", [self._languages()])
        elif command == "cancel":
            self.session.clear_pending()
            self._say(result, "cancel", [self._menu(m.CANCELLED)])
        elif command == "forget":
            buttons = (Button(m.BTN_YES, "forget:yes"), Button(m.BTN_NO, "menu"))
            self._say(result, "ask:forget", [reply(m.ASK_FORGET, buttons=buttons)])
        else:
            self._say(result, "command:unknown", [self._menu(m.UNKNOWN_COMMAND)])

    def _languages(self) -> Reply:
        buttons = tuple(Button(LanguageName(code), f"lang:{code}") for code in self.policy.languages)
        return reply(m.ASK_LANGUAGE, buttons=buttons)

    # --- buttons ---------------------------------------------------------------------------
    def _button(self, data: str, result: TurnResult) -> None:
        kind, _, value = data.partition(":")
        if kind == "intent" and (value in HANDLERS or value == "human_agent"):
            self._answer(value, result)
        elif kind == "esc" and value == "offer":
            self._offer(self.session.last_topic or "human_agent", result)
        elif kind == "esc" and value in ("yes", "humanitarian", "no"):
            self._consent(value, result)
        elif kind == "nat" and value == "other":
            self._ask(NATIONALITY, self.session.pending_intent, result, m.NATIONALITY_OTHER)
        elif kind == "nat" and value in COMMON_NATIONALITIES:
            self._set_nationality(value, result)
        elif kind == "lang" and value in self.policy.languages:
            self.session.language, self.session.language_chosen = value, True
            self._say(result, "language", [reply(m.LANGUAGE_SET)])
            self._resume(result)
        elif kind == "more" and value in self.ctx.directory.knowledge.topics:
            self._say(result, f"more:{value}", [topic_more(self.ctx.directory.knowledge.topics[value])])
        elif kind == "menu" and not value:
            self._say(result, "menu", [self._menu()])
        else:
            self._say(result, "button:unknown", [self._menu(m.BUTTON_EXPIRED)])

    def _set_nationality(self, code: str, result: TurnResult) -> None:
        self.session.nationality = code
        result.replies.append(reply(m.NATIONALITY_SAVED.with_params(country=Country(code))))
        self._resume(result)

    def _resume(self, result: TurnResult) -> None:
        """Continue the request that was waiting for a detail, or re-ask the open question."""
        intent = self.session.pending_intent
        if self.session.pending == CONSENT:
            self._offer(intent or "human_agent", result, urgent=self.session.urgent)
        elif intent in HANDLERS:
            self._answer(intent, result)
        elif self.session.pending in (NATIONALITY, LOCATION):
            self._ask(self.session.pending, None, result)
        else:
            result.replies.append(self._menu())

    # --- locations -------------------------------------------------------------------------
    def _location(self, location: Location, result: TurnResult) -> None:
        if not location.is_valid():
            self._say(result, "location:invalid", [reply(m.BAD_LOCATION, ask_location=True)])
            return
        self._set_point(location.lat, location.lon, None)
        intent = self.session.pending_intent if self.session.pending == LOCATION else None
        self._answer(intent if intent in HANDLERS else "shelter", result)

    def _set_point(self, lat: float, lon: float, city: str | None) -> None:
        """Remember a point; its country comes from the reverse geocoder, its town from the gazetteer if near."""
        self.session.lat, self.session.lon = lat, lon
        places = self.ctx.directory.knowledge.places
        nearest = min(places, key=lambda p: distance_km(lat, lon, p.latitude, p.longitude), default=None)
        near = nearest is not None and distance_km(lat, lon, nearest.latitude, nearest.longitude) <= COUNTRY_RADIUS_KM
        located = None if city or self.locator is None else self.locator.locate(lat, lon)
        if located and not (near and nearest is not None and nearest.country == located.country):
            self.session.country, self.session.city = located.country, located.city or None
        elif nearest is not None and near:
            self.session.country = nearest.country
            self.session.city = city or nearest.name

    # --- text ------------------------------------------------------------------------------
    def _text(self, text: str, parse: Parse | None, result: TurnResult) -> None:
        if parse is None:
            self._say(result, "empty", [self._menu(m.EMPTY)])
            return
        if len(" ".join(text.split())) > MAX_PARSE_CHARS:
            result.replies.append(reply(m.TOO_LONG, emergency_line(self.ctx)))
        if not self.nlu_ready:
            self._say(result, "nlu_down", [reply(m.NLU_DOWN, *emergency_parts(self.ctx), buttons=menu_buttons())])
            return
        self.session.remember("user", text)
        self.learn(parse)
        confident = parse.confidence >= self.policy.threshold and parse.intent != "nlu_fallback" and not parse.gibberish
        if self.session.pending and self._pending_answered(parse, confident, result):
            return
        if not confident:
            self._not_understood(result)
        elif parse.intent in HANDLERS or parse.intent == "human_agent":
            self._answer_all(parse, result)
        else:
            self._small_talk(parse.intent, result)

    def learn(self, parse: Parse) -> None:
        """Remember details the person volunteered: nationality (demonym) and city."""
        nationality = parse.entity("nationality")
        if nationality:
            self.session.nationality = nationality
        city = parse.entity("city")
        place = self.ctx.directory.place(city) if city else None
        if place:
            self._set_point(place.latitude, place.longitude, place.name)
        country = parse.entity("location_country")
        if country and not place and country != self.session.country:
            self.session.country = country  # "estoy en España": the country, without a point in it
            self.session.lat = self.session.lon = self.session.city = None

    def _pending_answered(self, parse: Parse, confident: bool, result: TurnResult) -> bool:
        """Handle an answer to the open question; return False to treat the text afresh."""
        pending = self.session.pending
        if pending == NATIONALITY:
            country = parse.entity("country")
            code = parse.entity("nationality") or (country if country != parse.entity("location_country") else None)
            if code:
                self._set_nationality(code, result)
                return True
        if pending == LOCATION and parse.entity("city") and self.session.has_location:
            self._resume(result)
            return True
        if confident and parse.intent not in ANSWERS_PENDING and parse.confidence >= PENDING_SWITCH:
            return False
        if confident and parse.intent == "deny":
            self.session.clear_pending()
            self._say(result, "deny", [self._menu(m.DENY)])
            return True
        if pending == CONSENT:
            if confident and parse.intent == "affirm":
                self._consent("yes", result)
            else:
                self._offer(self.session.pending_intent or "human_agent", result)
            return True
        lead = m.NATIONALITY_UNKNOWN if pending == NATIONALITY else m.LOCATION_UNKNOWN
        self._ask(pending, self.session.pending_intent, result, lead)
        return True

    def _not_understood(self, result: TurnResult) -> None:
        self.session.misunderstood += 1
        if self.session.misunderstood >= MISUNDERSTOOD_BEFORE_HUMAN:
            self.session.misunderstood = 0
            self._offer(self.session.last_topic or "human_agent", result, lead=m.NOT_UNDERSTOOD)
        else:
            self._say(result, "low_confidence", [self._menu(m.NOT_UNDERSTOOD)])

    def _small_talk(self, intent: str, result: TurnResult) -> None:
        self.session.misunderstood = 0
        if intent == "greet":
            self._say(result, "greet", [reply(m.WELCOME), self._menu()])
        elif intent == "goodbye":
            self._say(result, "goodbye", [reply(m.GOODBYE)])
        elif intent == "thanks":
            self._say(result, "thanks", [reply(m.THANKS)])
        elif intent == "deny":
            self._say(result, "deny", [self._menu(m.DENY)])
        elif intent == "change_language":
            self._say(result, "change_language", [self._languages()])
        elif intent == "out_of_scope":
            self._say(result, "out_of_scope", [self._menu(m.OUT_OF_SCOPE)])
        else:
            self._say(result, intent, [self._menu()])
