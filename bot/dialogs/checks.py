"""Compare what a turn expected with what the bot did."""
from __future__ import annotations

from dataclasses import dataclass

from bot.dialogs.observe import Observed, first_line_of, loose
from bot.dialogs.spec import Expect


@dataclass(frozen=True)
class Check:
    """Hold one expectation, whether it held, and what the bot did instead."""

    word: str
    expected: str
    passed: bool
    got: str

    @property
    def wanted(self) -> str:
        """Return the expectation as the trainer wrote it."""
        return f"{self.word}: {self.expected}"

    def to_json(self) -> dict[str, object]:
        """Return a JSON-able dict for machines."""
        return {"check": self.word, "expected": self.expected, "passed": self.passed, "got": self.got}


def _intent(seen: Observed) -> str:
    if seen.intent is None:
        return "none (no text was understood in this turn)"
    return seen.intent if seen.confidence is None else f"{seen.intent} ({seen.confidence:.2f})"


def _offers(seen: Observed, wanted: str) -> bool:
    folded = loose(wanted)
    return any(wanted == data or folded == loose(label) for label, data in seen.buttons)


def check(expect: Expect, seen: Observed) -> list[Check]:
    """Return one Check per expectation of the turn, in the order of the file format."""
    checks: list[Check] = []
    text = loose(seen.text)
    if expect.language is not None:
        checks.append(Check("language", expect.language, seen.language == expect.language, seen.language))
    if expect.intent is not None:
        checks.append(Check("intent", expect.intent, seen.intent == expect.intent, _intent(seen)))
    if expect.danger is not None:
        got = ", ".join(seen.danger) or "none"
        wanted = expect.danger in seen.danger if expect.danger != "none" else not seen.danger
        checks.append(Check("danger", expect.danger, wanted, got))
    first_line = first_line_of(seen.first)
    for phrase in expect.first_says:
        found = loose(phrase) in loose(first_line)
        checks.append(Check("first_says", phrase, found, "on the first line" if found else f"first line: {first_line[:80]}"))
    for phrase in expect.says:
        found = loose(phrase) in text
        checks.append(Check("says", phrase, found, "said" if found else "not in the reply"))
    for phrase in expect.does_not_say:
        found = loose(phrase) in text
        checks.append(Check("does_not_say", phrase, not found, "said it" if found else "not said"))
    for key in expect.sends:
        sent = key in seen.keys
        checks.append(Check("sends", key, sent, "sent" if sent else "not sent"))
    for wanted in expect.buttons:
        offered = _offers(seen, wanted)
        checks.append(Check("buttons", wanted, offered, "offered" if offered else "not offered"))
    if expect.asks is not None:
        checks.append(Check("asks", expect.asks, seen.step == f"ask:{expect.asks}", f"step {seen.step or '-'}"))
    if expect.case is not None:
        opened = seen.case is not None
        got = f"opened ({seen.case})" if opened else "none"
        checks.append(Check("case", expect.case, opened == (expect.case == "opened"), got))
    return checks
