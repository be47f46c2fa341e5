"""The danger pattern language: normalising text, compiling patterns, matching one word.

Text and patterns are normalised the same way: lower case, no accents, Arabic letter variants
unified, runs of one letter collapsed ("ayudaaa" → "ayuda", "llama" → "lama"). The syntax is
described in nlu/danger.py.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from nlu.entities import fold

GAP_WORDS = 3
WIDE_GAP_WORDS = 6
TYPO_MIN_LETTERS = 6
TYPO_MIN_PREFIX = 5
_REPEATS = re.compile(r"(.)\1+")
ELONGATED = re.compile(r"([^\W\d_])\1\1")
WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل")


def normalise(text: str) -> str:
    """Fold case, accents and Arabic variants, and collapse repeated letters."""
    return _REPEATS.sub(r"\1", fold(text).replace("’", "'"))


def words(text: str) -> list[str]:
    """Split text into normalised words."""
    return WORD.findall(normalise(text))


def word_forms(word: str) -> tuple[str, ...]:
    """Return the word and, for Arabic, the word without a leading conjunction, preposition or article."""
    if not word or not ("\u0600" <= word[0] <= "\u06ff"):
        return (word,)
    forms = [word]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            forms.append(word[len(prefix):])
    return tuple(dict.fromkeys(forms))


def _one_edit(a: str, b: str) -> bool:
    """Tell whether two different words are one substitution, insertion or deletion apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _near_prefix(word: str, prefix: str) -> bool:
    """Tell whether a word starts with a long prefix written with one letter wrong, missing or extra."""
    n = len(prefix)
    return n >= TYPO_MIN_PREFIX and len(word) >= n and any(_one_edit(word[:k], prefix) for k in (n - 1, n, n + 1) if k <= len(word))


def deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class _Word:
    """One element of a compiled pattern."""

    text: str
    prefix: bool = False
    gap_before: int = 0
    exact: bool = False

    def matches(self, word: "TextWord") -> bool:
        """Tell whether a text word matches this pattern word (typos only for words not known as ordinary)."""
        for form in word.forms:
            typo = word.typo_ok and not self.exact
            if self.prefix:
                if form.startswith(self.text) or (typo and _near_prefix(form, self.text)):
                    return True
            elif form == self.text or (typo and len(self.text) >= TYPO_MIN_LETTERS and _one_edit(form, self.text)):
                return True
        return False


@dataclass(frozen=True)
class TextWord:
    """One word of a message: its forms, and whether it may be a typo of a pattern word."""

    forms: tuple[str, ...]
    typo_ok: bool


@dataclass(frozen=True)
class Pattern:
    kind: str
    source: str
    elements: tuple[_Word, ...]


def compile_pattern(kind: str, source: str) -> list[Pattern]:
    """Compile one pattern into its variants without and with each optional word."""
    raw = source.split()
    options: list[list[str | None]] = []
    for token in raw:
        if token.startswith("(") != token.endswith(")"):
            raise ValueError(f"danger pattern {source!r}: alternatives in ( ) are single words, no spaces")
        if token.startswith("(") and token.endswith(")"):
            choices = token[1:-1].split("|")
            optional = len(choices) == 1 or "" in choices
            options.append([c for c in choices if c] + ([None] if optional else []))
        else:
            options.append([token])
    compiled = []
    for choice in itertools.product(*options):
        elements: list[_Word] = []
        gap = 0
        for token in choice:
            if token is None:
                continue
            if token in ("..", "..."):
                gap = (GAP_WORDS if token == ".." else WIDE_GAP_WORDS) if elements else 0
                continue
            prefix, exact = token.endswith("*"), token.startswith("=")
            for i, part in enumerate(words(token.strip("=").rstrip("*"))):
                elements.append(_Word(part, prefix=prefix, gap_before=gap if i == 0 else 0, exact=exact))
            gap = 0
        if elements:
            compiled.append(Pattern(kind, source, tuple(elements)))
    return compiled
