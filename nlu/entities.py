"""Extract entities with lexicons: countries and nationalities (ISO codes), documents, people, children.

Country names come from Babel's CLDR data in every supported language; `lexicon.yml` adds
Haitian Creole names, demonyms and the other word lists. Places come from the knowledge data.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

import yaml
from babel import Locale

LEXICON = Path(__file__).with_name("lexicon.yml")
CLDR_LANGUAGES = ("es", "en", "fr", "pt", "ar", "ht")
MAX_WORDS = 4
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي", "ـ": ""})
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip accents and unify Arabic letter variants."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_ARABIC))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Split folded text into word tokens."""
    return _TOKEN.findall(fold(text).replace("’", "'"))


def _phrase(text: str) -> str:
    return " ".join(tokens(text))


class EntityExtractor:
    """Find entities in a message by looking up word n-grams in lexicons."""

    def __init__(self, lexicon: dict[str, Any], places: Iterable[str] = ()) -> None:
        """Build lookup tables from a lexicon mapping and place names."""
        ignore = {_phrase(n) for n in lexicon.get("ignore_names", [])}
        self._index: dict[str, tuple[str, Any]] = {}
        for language in CLDR_LANGUAGES:
            for code, name in Locale.parse(language).territories.items():
                key = _phrase(name)
                if len(code) == 2 and code.isalpha() and key and key not in ignore:
                    self._index.setdefault(key, ("country", code))
        for code, names in (lexicon.get("country_aliases") or {}).items():
            self._add(names, "country", code)
        for code, names in (lexicon.get("demonyms") or {}).items():
            self._add(names, "nationality", code)
        for kind, names in (lexicon.get("documents") or {}).items():
            self._add(names, "document", kind)
        self._add(lexicon.get("children") or [], "children", True)
        self._add(places, "city", None)
        self._numbers = {_phrase(w): int(n) for n, ws in (lexicon.get("numbers") or {}).items() for w in ws}
        self._people = {_phrase(w) for w in lexicon.get("people_words") or []}
        self._we_are = {_phrase(w) for w in lexicon.get("we_are") or []}
        self._located = sorted({_phrase(w) for w in lexicon.get("located_in") or []}, key=len, reverse=True)

    @classmethod
    def load(cls, places: Iterable[str] = (), path: Path = LEXICON) -> "EntityExtractor":
        """Build an extractor from the lexicon file."""
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")), places)

    def _add(self, names: Iterable[str], entity: str, value: Any) -> None:
        for name in names:
            key = _phrase(str(name))
            if key:
                self._index[key] = (entity, name if value is None else value)

    def _lookup(self, words: list[str]) -> tuple[str, Any] | None:
        key = " ".join(words)
        found = self._index.get(key)
        if found is None and len(words) == 1:
            for prefix in _ARABIC_PREFIXES:
                if key.startswith(prefix) and len(key) > len(prefix) + 2:
                    found = self._index.get(key[len(prefix):])
                    if found:
                        break
        return found

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Return entities found in the text, in order, without repeats."""
        words = tokens(text)
        found: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        i = 0
        while i < len(words):
            for size in range(min(MAX_WORDS, len(words) - i), 0, -1):
                hit = self._lookup(words[i : i + size])
                if hit:
                    entity, value = hit
                    if (entity, str(value)) not in seen:
                        seen.add((entity, str(value)))
                        found.append({"entity": entity, "value": value})
                    if entity == "country" and self._after_locative(words[:i]) and ("location_country", value) not in seen:
                        seen.add(("location_country", value))
                        found.append({"entity": "location_country", "value": value})
                    i += size
                    break
            else:
                i += 1
        people = self.people_count(words)
        if people:
            found.append({"entity": "people", "value": people})
        return found

    def _after_locative(self, before: list[str]) -> bool:
        """Tell whether the words before a country name say the person is there ("estoy en", "I'm in")."""
        tail = " ".join(before[-5:])
        return any(tail == phrase or tail.endswith(" " + phrase) for phrase in self._located)

    def people_count(self, words: list[str]) -> int | None:
        """Read 'we are 5', 'somos cinco', '4 personas' and similar."""
        for i, word in enumerate(words):
            number = int(word) if word.isdigit() and len(word) <= 3 else self._numbers.get(word)
            if not number:
                continue
            before = " ".join(words[max(0, i - 2) : i])
            after = words[i + 1] if i + 1 < len(words) else ""
            if number == 1 and not word.isdigit():
                continue  # "una persona", "somos una familia": an article, not a count
            if after in self._people or any(before.endswith(w) for w in self._we_are):
                return number
        return None
