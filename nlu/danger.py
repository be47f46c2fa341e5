"""Recognise immediate danger in a whole message, in any language, before and apart from the intent model.

Patterns live in `danger.yml`, per kind and language. Text and patterns are normalised the same
way: lower case, no accents, Arabic letter variants unified, runs of one letter collapsed
("ayudaaa" → "ayuda", "llama" → "lama"). A pattern is words separated by spaces:

- `word*` matches any word that starts with "word";
- `..` between two words allows up to three other words in between, `...` up to six;
- `(word)` is an optional word, `(one|two)` either word, `(one|two|)` either or none;
- `=word` matches exactly: no typo is tolerated;
- a literal word of six letters or more (a prefix of five or more) also matches with one letter
  wrong, missing or extra, unless the word in the message is an ordinary word of the training data
  ("demain" is no typo of "desmai*");
- Arabic words are also tried without a leading و ف ب ل and the article ال.

The key `elongated` lists, per language, help words that count as a plea when a letter is
drawn out ("ayudaaaa", "HELPPPP"): people in panic write like that, people asking for papers don't.

Every language's patterns apply to every message, so code-switching is covered.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol

import yaml

from nlu.danger_patterns import (
    ELONGATED,
    TYPO_MIN_LETTERS,
    TYPO_MIN_PREFIX,
    WORD,
    Pattern,
    TextWord,
    compile_pattern,
    deletes,
    normalise,
    word_forms,
    words,
)
from nlu.entities import fold

DANGER_FILE = Path(__file__).with_name("danger.yml")
ELONGATED_KEY = "elongated"
# When a message signals several kinds, the first one here shapes the answer (number and advice):
# a hazard that needs rescue before an injury it caused, a person's own life before a weapon
# word, the specific kinds of violence before violence in general.
KINDS = (
    "trapped",
    "flood",
    "tsunami",
    "volcano",
    "suicide",
    "medical",
    "sexual_violence",
    "child_alone",
    "domestic_violence",
    "violence",
    "plea",
)
# Requests where an emergency often hides: with one of these intents, weaker classifier evidence is enough.
PLAUSIBLE_INTENTS = frozenset({"medical_help", "safety", "find_family", "evacuation"})
PLAUSIBLE_THRESHOLD = 0.35
# The classifier alone decides the kind (and its advice) only from this probability; below it, the
# general urgent answer: advice for the wrong kind (rape care to someone being followed) does harm.
SURE_KIND = 0.7


class KindModel(Protocol):
    """Score a message for kinds of danger (nlu/danger_model.py)."""

    threshold: float

    def kinds(self, message: str, threshold: float | None = None) -> list[tuple[str, float]]:
        """Return (kind, probability) pairs that reach the threshold (the model's own by default), best first."""


@dataclass(frozen=True)
class Danger:
    """Say which kinds of immediate danger a message signals, most pressing first, and why."""

    kinds: tuple[str, ...]
    evidence: tuple[str, ...]

    @property
    def kind(self) -> str:
        """Return the most pressing kind."""
        return self.kinds[0]


class DangerDetector:
    """Find the kinds of immediate danger a message signals, scanning all of it."""

    def __init__(
        self, lexicon: Mapping[str, Mapping[str, Iterable[str]]], known_words: Iterable[str] = (), model: KindModel | None = None
    ) -> None:
        """Compile the patterns of every kind and language; `known_words` are ordinary words, never typos."""
        self.model = model
        self._known = frozenset(normalise(w) for w in known_words)
        self._elongated = frozenset(w for ws in (lexicon.get(ELONGATED_KEY) or {}).values() for w in map(normalise, ws or ()))
        lexicon = {k: v for k, v in lexicon.items() if k != ELONGATED_KEY}
        unknown = set(lexicon) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown danger kinds: {', '.join(sorted(unknown))}")
        self._literal: dict[str, list[Pattern]] = {}
        self._typo: dict[str, list[Pattern]] = {}
        self._prefix: dict[str, list[Pattern]] = {}
        self._prefix_typo: dict[str, list[Pattern]] = {}
        self._longest_prefix = self._longest_literal = 0
        self.size = 0
        for kind in KINDS:
            for patterns in (lexicon.get(kind) or {}).values():
                for source in patterns or ():
                    for pattern in compile_pattern(kind, str(source)):
                        self._index(pattern)
                        self.size += 1

    @classmethod
    def load(cls, path: Path = DANGER_FILE, known_words: Iterable[str] = (), model: KindModel | None = None) -> "DangerDetector":
        """Build a detector from the danger lexicon file."""
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(data, known_words, model)

    def use_model(self, model: KindModel) -> None:
        """Add the classifier once it is ready (the lexicon works alone until then)."""
        self.model = model

    def lexicon_only(self, message: str) -> bool:
        """Tell whether the patterns alone see danger (used to pick the classifier's negatives)."""
        return self._match(message) is not None

    def _index(self, pattern: Pattern) -> None:
        first = pattern.elements[0]
        if first.prefix:
            self._longest_prefix = max(self._longest_prefix, len(first.text))
            self._prefix.setdefault(first.text, []).append(pattern)
            if len(first.text) >= TYPO_MIN_PREFIX and not first.exact:
                for variant in deletes(first.text):
                    self._prefix_typo.setdefault(variant, []).append(pattern)
            return
        self._literal.setdefault(first.text, []).append(pattern)
        self._longest_literal = max(self._longest_literal, len(first.text))
        if len(first.text) >= TYPO_MIN_LETTERS and not first.exact:
            for variant in deletes(first.text):
                self._typo.setdefault(variant, []).append(pattern)

    def _starting_with(self, word: TextWord) -> list[Pattern]:
        """Return the patterns whose first word may match this text word."""
        found: dict[int, Pattern] = {}
        for form in word.forms:
            candidates = list(self._literal.get(form, ()))
            for size in range(1, min(len(form), self._longest_prefix + 1) + 1):
                head = form[:size]
                candidates += self._prefix.get(head, ())
                if word.typo_ok and size >= TYPO_MIN_PREFIX - 1 and self._prefix_typo:
                    candidates += self._prefix_typo.get(head, ())
                    for variant in deletes(head):
                        candidates += self._prefix_typo.get(variant, ())
                        candidates += self._prefix.get(variant, ()) if size > TYPO_MIN_PREFIX else ()
            if word.typo_ok and TYPO_MIN_LETTERS - 1 <= len(form) <= self._longest_literal + 1:
                for variant in {form} | deletes(form):
                    candidates += self._typo.get(variant, ())
                    if variant != form and len(variant) >= TYPO_MIN_LETTERS:
                        candidates += self._literal.get(variant, ())
            found.update((id(p), p) for p in candidates)
        return list(found.values())

    @staticmethod
    def _match_rest(pattern: Pattern, text: list[TextWord], start: int) -> bool:
        """Tell whether the pattern's remaining words follow the word at `start`."""

        def step(element_index: int, position: int) -> bool:
            if element_index == len(pattern.elements):
                return True
            element = pattern.elements[element_index]
            reach = element.gap_before + 1
            for offset in range(reach):
                at = position + offset
                if at >= len(text):
                    return False
                if element.matches(text[at]) and step(element_index + 1, at + 1):
                    return True
            return False

        return pattern.elements[0].matches(text[start]) and step(1, start + 1)

    def detect(self, message: str, intent: str | None = None) -> Danger | None:
        """Return the danger a message signals, or None; the whole text is read, however long.

        `intent` is what the intent model understood, if anything: for a request where emergencies
        often hide (medical help, safety, family, evacuation) weaker classifier evidence counts.
        """
        found = self._match(message)
        kinds, evidence = (list(found.kinds), list(found.evidence)) if found else ([], [])
        if self.model is not None:
            threshold = PLAUSIBLE_THRESHOLD if intent in PLAUSIBLE_INTENTS else None
            added: dict[str, str] = {}
            for kind, p in self.model.kinds(message, threshold):
                # Weak evidence says "danger", not reliably which: it gets the general urgent answer.
                sure = p >= SURE_KIND
                added.setdefault(kind if sure else "plea", f"classifier {p:.2f}" if sure else f"classifier {p:.2f} ({kind}, weak)")
            for kind in (k for k in KINDS if k in added and k not in kinds):  # after the patterns' kinds: stronger evidence
                kinds.append(kind)
                evidence.append(added[kind])
        return Danger(tuple(kinds), tuple(evidence)) if kinds else None

    def _match(self, message: str) -> Danger | None:
        """Return what the patterns alone find."""
        text = [TextWord(word_forms(w), w not in self._known) for w in words(message)]
        kinds: dict[str, str] = {}
        for start, word in enumerate(text):
            for pattern in self._starting_with(word):
                if pattern.kind not in kinds and self._match_rest(pattern, text, start):
                    kinds[pattern.kind] = pattern.source
        if "plea" not in kinds and self._elongated:
            for raw in WORD.findall(fold(message)):
                if ELONGATED.search(raw) and normalise(raw) in self._elongated:
                    kinds["plea"] = f"{normalise(raw)} (drawn out)"
                    break
        if not kinds:
            return None
        ordered = tuple(k for k in KINDS if k in kinds)
        return Danger(ordered, tuple(kinds[k] for k in ordered))
