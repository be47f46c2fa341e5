"""Every catalog is complete: translations present, not fuzzy, placeholders intact, plurals valid."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.engine.reply import Country, Text, Verbatim
from bot.i18n import Renderer, available_locales

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
LANGUAGES = ("es", "en", "fr", "pt", "ht", "ar")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def catalog(language: str, locales: Path = LOCALES):
    with (locales / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def template_ids() -> set[tuple[str | None, str]]:
    with (LOCALES / "messages.pot").open("rb") as handle:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


def problems(language: str, locales: Path = LOCALES) -> list[str]:
    """List every incomplete or broken translation in a catalog."""
    found = []
    cat = catalog(language, locales)
    for message in cat:
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        where = f"{language} {message.context}"
        if message.fuzzy:
            found.append(f"{where}: fuzzy")
        if not all(s.strip() for s in strings):
            found.append(f"{where}: missing translation")
        if isinstance(message.id, tuple) and len(strings) != cat.num_plurals:
            found.append(f"{where}: {len(strings)} plural forms, expected {cat.num_plurals}")
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for s in strings:
            if s and sorted(PLACEHOLDER.findall(s)) != expected:
                found.append(f"{where}: placeholders {sorted(PLACEHOLDER.findall(s))} != {expected}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language: str) -> None:
    assert problems(language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_covers_the_template(language: str) -> None:
    ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog(language) if m.id}
    assert template_ids() - ids == set(), "run `make i18n` to update the catalogs"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_match_cldr(language: str) -> None:
    expected = get_plural(language)
    assert catalog(language).num_plurals == expected.num_plurals


def test_problem_finder_catches_a_missing_translation(tmp_path: Path) -> None:
    broken = tmp_path / "es" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    text = (LOCALES / "es" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    text = re.sub(r'(msgctxt "menu"\nmsgid "[^"]*"\nmsgstr )"[^"]*"', r'\1""', text)
    text = text.replace("{country}", "{pais}", 1)
    (broken / "messages.po").write_text(text, encoding="utf-8")
    found = problems("es", tmp_path)
    assert any("menu: missing translation" in p for p in found)
    assert any("placeholders" in p for p in found)


def test_all_six_catalogs_compile_and_load() -> None:
    renderer = Renderer(LOCALES)
    assert set(LANGUAGES) <= set(available_locales(LOCALES))
    for language in LANGUAGES:
        assert renderer.supports(language)


def test_country_names_and_dates_follow_the_locale() -> None:
    renderer = Renderer(LOCALES)
    assert renderer.value(Country("VE"), "ar") == Locale("ar").territories["VE"]
    assert renderer.value(Country("HT"), "fr") == "Haïti"
    assert renderer.value(Country("US"), "es") == "Estados Unidos"


def test_arabic_isolates_latin_snippets() -> None:
    renderer = Renderer(LOCALES)
    phone = Text("contact.phone", "Phone: {phone}", {"phone": Verbatim("+59322993200")})
    arabic = renderer.text(phone, "ar")
    assert "\u2068+59322993200\u2069" in arabic
    assert "\u2068" not in renderer.text(phone, "es")
