"""Find every need in a message: score the whole text and each of its sentences, then combine.

A need stated in the last sentence of a long story counts as much as one in the first, and a
request wrapped in greetings, blessings or thanks is still the request. The weights below were
chosen on the several-need tuning files (nlu/multi/) and the old evaluation set; see README, "NLU".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

Ranking = Sequence[tuple[str, float]]

# The requests the bot answers, in menu order (bot/engine/flow.py shows them in this order).
REQUEST_INTENTS = (
    "lost_documents",
    "evacuation",
    "shelter",
    "medical_help",
    "find_family",
    "basic_needs",
    "legal_status",
    "safety",
    "contact_consulate",
)
NEED_INTENTS = frozenset((*REQUEST_INTENTS, "human_agent"))
# Short answers and small talk: a longer message whose top intent is one of these may still carry a need.
WRAPPERS = frozenset({"greet", "thanks", "goodbye", "affirm", "deny", "help"})
_SEGMENT_BREAK = re.compile(r"(?<=[.!?؟;:\n])\s+|\s*[\n;]+\s*|,\s+")
MIN_SEGMENT_WORDS = 2
SEGMENT_TOP = 2  # "comida y medicina" in one clause: both of its top intents count


@dataclass(frozen=True)
class NeedPolicy:
    """Hold the weights that combine sentence scores with the whole-text score."""

    segment_weight: float = 0.9  # a sentence's confidence counts this much against the whole text's
    need_min: float = 0.3  # a need is reported from this combined confidence up
    second_min: float = 0.45  # a need other than the main one must reach this in its own sentence
    second_whole: float = 0.35  # ... or this in the whole message
    wrapper_words: int = 5  # a small-talk top intent on a longer message gives way to a need


def segments(text: str) -> list[str]:
    """Split a message into sentences and comma-separated clauses of at least two words."""
    parts = [p.strip() for p in _SEGMENT_BREAK.split(text) if p and p.strip()]
    merged: list[str] = []
    carry = ""
    for part in parts:
        if len(part.split()) < MIN_SEGMENT_WORDS:
            if merged:
                merged[-1] = f"{merged[-1]} {part}"
            else:
                carry = f"{carry} {part}".strip()  # a short opening ("Hola.") joins what follows
            continue
        merged.append(f"{carry} {part}".strip())
        carry = ""
    return merged or ([carry] if carry else [])


def combine(text: str, rank: Callable[[str], Ranking], policy: NeedPolicy = NeedPolicy()) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Return the ranking (main intent first) and every need found with its confidence, best first."""
    whole = list(rank(text))
    if not whole:
        return [], []
    parts = segments(text)
    whole_best: dict[str, float] = {}
    for intent, confidence in whole:
        whole_best[intent] = max(whole_best.get(intent, 0.0), confidence)
    scores = dict(whole_best)
    own: dict[str, float] = {}  # best confidence of each intent among the top two of one sentence
    if len(parts) > 1:
        for part in parts:
            for intent, confidence in list(rank(part))[:SEGMENT_TOP]:
                own[intent] = max(own.get(intent, 0.0), confidence)
                scores[intent] = max(scores.get(intent, 0.0), confidence * policy.segment_weight)
    top = whole[0][0]
    needs = sorted(
        ((intent, score) for intent, score in scores.items() if intent in NEED_INTENTS and score >= policy.need_min),
        key=lambda pair: -pair[1],
    )
    main = top
    if needs and top in WRAPPERS and len(text.split()) > policy.wrapper_words:
        main = needs[0][0]
    if main in NEED_INTENTS:
        needs = [
            (i, s)
            for i, s in needs
            if i in (main, top) or own.get(i, 0.0) >= policy.second_min or whole_best.get(i, 0.0) >= policy.second_whole
        ]
        needs.sort(key=lambda pair: (pair[0] != main, -pair[1]))
    else:
        needs = []
    ranking = sorted(((i, scores[i]) for i in scores), key=lambda pair: (pair[0] != main, -pair[1]))
    return ranking, needs
