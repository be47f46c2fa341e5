"""Render Replies in a user's locale with Babel gettext catalogs and CLDR data."""
from __future__ import annotations

import logging
import string
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import Translations

from bot.engine.reply import Button, Country, Day, Distance, Language, LanguageName, Moment, Reply, Text, Verbatim
from bot.messages import BTN_SEND_LOCATION

log = logging.getLogger(__name__)

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
FSI, PDI = "\u2068", "\u2069"
# Locales CLDR lacks borrow formatting data (dates, country names) from a close relative.
FORMAT_FALLBACK = {"ht": "fr_HT"}


class CatalogMissing(RuntimeError):
    """Raise when a locale has no compiled catalog."""


@dataclass(frozen=True)
class RenderedReply:
    """Hold one reply as plain text with button labels, ready for any front end."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    ask_location: bool = False
    location_label: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the shape DESIGN.md fixes for the shell's JSON output."""
        return {"text": self.text, "buttons": [{"label": label, "data": data} for label, data in self.buttons]}


def available_locales(locales_dir: Path) -> tuple[str, ...]:
    """Return the locales that have a compiled catalog, in a stable order."""
    found = sorted(p.parent.parent.name for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return tuple(found)


def cldr_locale(code: str) -> Locale:
    """Return the CLDR locale used to format numbers, dates and names for a language."""
    try:
        return Locale.parse(FORMAT_FALLBACK.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def language_name(code: str) -> str:
    """Return a language's name written in that language (CLDR)."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        name = code
    return name[:1].upper() + name[1:]


class Renderer:
    """Turn Replies into text in any supported locale."""

    def __init__(self, locales_dir: Path) -> None:
        """Load every compiled catalog; fail if there is none."""
        self.locales = available_locales(locales_dir)
        if not self.locales:
            raise CatalogMissing(f"no compiled catalogs in {locales_dir.name}/: run `make i18n`")
        self._catalogs: dict[str, Translations] = {}
        for code in self.locales:
            catalog = Translations.load(str(locales_dir), [code], DOMAIN)
            if not isinstance(catalog, Translations):
                raise CatalogMissing(f"catalog for {code} could not be loaded")
            self._catalogs[code] = catalog

    def supports(self, code: str | None) -> bool:
        """Tell whether a locale has a catalog."""
        return code in self._catalogs

    def gettext(self, text: Text, locale: str) -> str:
        """Translate one message (no parameters filled), choosing the plural form if it has one."""
        catalog = self._catalogs.get(locale) or self._catalogs[SOURCE_LANGUAGE]
        if text.plural and text.count:
            return catalog.npgettext(text.context, text.msgid, text.plural, int(text.params[text.count]))
        return catalog.pgettext(text.context, text.msgid)

    def text(self, text: Text, locale: str) -> str:
        """Translate one message and fill its parameters, formatted for the locale."""
        template = self.gettext(text, locale)
        values = {name: self.value(value, locale) for name, value in text.params.items()}
        try:
            return string.Formatter().vformat(template, (), values)
        except (KeyError, IndexError, ValueError):
            log.error("broken placeholders in %s translation of %r", locale, text.context)
            return string.Formatter().vformat(text.msgid, (), values)

    def value(self, value: Any, locale: str) -> str:
        """Format one parameter value for the locale."""
        cldr = cldr_locale(locale)
        if isinstance(value, Text):
            return self.text(value, locale)
        if isinstance(value, Country):
            return cldr.territories.get(value.code, value.code)
        if isinstance(value, LanguageName):
            return language_name(value.code)
        if isinstance(value, Language):
            return f"{cldr.languages.get(value.code, value.code)} ({value.code})"
        if isinstance(value, Moment):
            moment = datetime.fromtimestamp(value.timestamp, tz=timezone.utc)
            return format_datetime(moment, format="short", tzinfo=timezone.utc, locale=cldr) + " UTC"
        if isinstance(value, Distance):
            return format_decimal(round(value.km, 1), format="#,##0.#", locale=cldr)
        if isinstance(value, Day):
            return format_date(value.value, format="long", locale=cldr)
        if isinstance(value, Verbatim):
            return self.isolate(value.value, locale)
        if isinstance(value, int) and not isinstance(value, bool):
            return format_decimal(value, locale=cldr)
        return str(value)

    def isolate(self, value: str, locale: str) -> str:
        """Wrap left-to-right snippets in directional isolates inside right-to-left text."""
        return f"{FSI}{value}{PDI}" if cldr_locale(locale).text_direction == "rtl" else value

    def label(self, button: Button, locale: str) -> str:
        """Render a button label."""
        return self.value(button.label, locale)

    def render(self, reply: Reply, locale: str) -> RenderedReply:
        """Render a whole reply."""
        text = "\n".join(self.text(part, locale) for part in reply.parts)
        buttons = tuple((self.label(b, locale), b.data) for b in reply.buttons)
        location_label = self.text(BTN_SEND_LOCATION, locale) if reply.ask_location else ""
        return RenderedReply(text, buttons, reply.ask_location, location_label)

