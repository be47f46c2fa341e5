"""Validate raw knowledge values one by one, collecting problems as file:line."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import phonenumbers
from babel import Locale
from phonenumbers import shortnumberinfo

from actions.knowledge import Phone, Source, StaffDesk


@dataclass(frozen=True)
class Problem:
    """Describe one thing wrong in a knowledge file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """Format as file:line: message."""
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """Raise when knowledge files have problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems and summarise them."""
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def country_codes() -> frozenset[str]:
    """Return ISO 3166 alpha-2 codes known to CLDR."""
    return frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha())


class Checker:
    """Collect problems while converting raw values."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.countries = country_codes()

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def text(self, raw: dict[str, Any], key: str, line: int, required: bool = True) -> str:
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(line, f"'{key}' must be text")
            return ""
        if required and not value.strip():
            self.fail(line, f"'{key}' is missing")
        return value.strip()

    def country(self, value: Any, line: int, key: str = "country", required: bool = True) -> str:
        code = str(value or "").strip().upper()
        if not code:
            if required:
                self.fail(line, f"'{key}' is missing (ISO 3166 alpha-2 code, e.g. EC)")
            return ""
        if code not in self.countries:
            self.fail(line, f"'{key}' {code!r} is not an ISO 3166 alpha-2 country code")
        return code

    def day(self, value: Any, line: int, key: str = "last_verified") -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(line, f"'{key}' {value!r} is not a date (YYYY-MM-DD)")
            return date.min

    def source(self, raw: Any, line: int) -> Source:
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("url"):
            self.fail(line, "'source' needs a name and a url: data without a source is not shown")
            return Source("", "")
        url = str(raw["url"])
        if not url.startswith("https://") and not url.startswith("http://"):
            self.fail(line, f"source url {url!r} must start with https://")
        return Source(str(raw["name"]), url)

    def coordinate(self, value: Any, line: int, key: str, limit: float) -> float | None:
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(line, f"'{key}' {value!r} is not a number")
            return None
        if not -limit <= number <= limit:
            self.fail(line, f"'{key}' {number} is out of range (±{limit})")
            return None
        return number

    def staff_desk(self, raw: Any, line: int) -> StaffDesk | None:
        if raw is None:
            return None
        chat_id = raw.get("chat_id") if isinstance(raw, dict) else None
        staff = raw.get("staff") if isinstance(raw, dict) else None
        if not isinstance(chat_id, int) or chat_id >= 0:
            self.fail(line, "staff_desk.chat_id must be the (negative) id of a Telegram supergroup")
            return None
        if not isinstance(staff, list) or not staff or not all(isinstance(u, int) and u > 0 for u in staff):
            self.fail(line, "staff_desk.staff must list the Telegram user ids of the desk's staff")
            return None
        return StaffDesk(chat_id, tuple(staff), str(raw.get("language") or "es"))

    def point(self, row: dict[str, Any], line: int, what: str) -> tuple[float, float] | None:
        """Return (latitude, longitude) of a row, or None after reporting what is missing."""
        lat = self.coordinate(row.get("latitude"), line, "latitude", 90)
        lon = self.coordinate(row.get("longitude"), line, "longitude", 180)
        if lat is None or lon is None:
            self.fail(line, f"{what} needs latitude and longitude")
            return None
        return lat, lon

    def phone(self, raw: Any, country: str, line: int) -> Phone | None:
        number = str(raw.get("number") if isinstance(raw, dict) else raw or "").strip()
        kind = str(raw.get("type", "voice")) if isinstance(raw, dict) else "voice"
        if number.startswith("+"):
            try:
                parsed = phonenumbers.parse(number, None)
            except phonenumbers.NumberParseException:
                parsed = None
            e164 = parsed and phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            if not parsed or not phonenumbers.is_valid_number(parsed) or e164 != number:
                self.fail(line, f"phone {number!r} is not a valid E.164 number (e.g. +593...)")
                return None
            return Phone(number, kind)
        if number.isdigit() and country in self.countries:
            try:
                short = phonenumbers.parse(number, country)
            except phonenumbers.NumberParseException:
                short = None
            if short and shortnumberinfo.is_valid_short_number_for_region(short, country):
                return Phone(number, kind)
            # A short code the phonenumbers metadata lacks (Peru's SAMU 106): accepted only when marked
            # as checked against the entry's own source.
            if isinstance(raw, dict) and raw.get("short_code") is True and 2 <= len(number) <= 4:
                return Phone(number, kind)
        self.fail(line, f"phone {number!r} is neither E.164 nor a valid short number in {country}")
        return None
