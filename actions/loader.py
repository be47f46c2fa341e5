"""Load knowledge files, validate every entry, and report problems as file:line."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

import phonenumbers
import yaml
from babel import Locale
from phonenumbers import shortnumberinfo

from actions.knowledge import Contact, Knowledge, Phone, Place, Shelter, Source, StaffDesk, Topic

SERVICE_TYPES = frozenset(
    {"emergency", "consulate", "humanitarian", "family_links", "health", "legal", "government"}
)
CONTACTS_FILE, SHELTERS_FILE, GUIDANCE_FILE, PLACES_FILE = (
    "contacts.yml",
    "shelters.csv",
    "guidance.yml",
    "places.csv",
)


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


class _Checker:
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
        self.fail(line, f"phone {number!r} is neither E.164 nor a valid short number in {country}")
        return None


def _yaml_items(path: Path, checker: _Checker) -> Iterator[tuple[int, Any]]:
    """Yield (line, item) for each item of a YAML list file."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        checker.fail(line, f"cannot read: {exc}")
        return
    if not isinstance(data, list) or root is None:
        checker.fail(1, "must be a YAML list of entries")
        return
    for node, item in zip(root.value, data):
        yield node.start_mark.line + 1, item


def _hxl_rows(path: Path, checker: _Checker) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for a CSV with a header and an HXL hashtag row under it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        checker.fail(0, f"cannot read: {exc}")
        return
    if len(rows) < 2 or not all(cell.startswith("#") for cell in rows[1] if cell):
        checker.fail(2, "line 2 must be the HXL hashtag row (#loc+name, #geo+lat, ...)")
        return
    header = rows[0]
    for number, row in enumerate(rows[2:], start=3):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            checker.fail(number, f"has {len(row)} columns, the header has {len(header)}")
            continue
        yield number, dict(zip(header, (cell.strip() for cell in row)))


def _unique(checker: _Checker, entries: list[Any]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            checker.fail(entry.line, f"duplicate id {entry.id!r} (first at line {seen[entry.id]})")
        seen.setdefault(entry.id, entry.line)


def load_contacts(path: Path) -> tuple[list[Contact], list[Problem]]:
    """Read and validate the contacts directory."""
    check = _Checker(path.name)
    contacts: list[Contact] = []
    for line, raw in _yaml_items(path, check):
        if not isinstance(raw, dict):
            check.fail(line, "entry must be a mapping")
            continue
        service_type = check.text(raw, "service_type", line)
        if service_type and service_type not in SERVICE_TYPES:
            check.fail(line, f"service_type {service_type!r} must be one of {sorted(SERVICE_TYPES)}")
        country = check.country(raw.get("country"), line)
        phones = tuple(p for p in (check.phone(r, country, line) for r in raw.get("phones") or ()) if p)
        location = raw.get("location") or {}
        contacts.append(
            Contact(
                id=check.text(raw, "id", line),
                name=check.text(raw, "name", line),
                service_type=service_type,
                country=country,
                source=check.source(raw.get("source"), line),
                last_verified=check.day(raw.get("last_verified"), line),
                organization=check.text(raw, "organization", line, required=False),
                region=check.text(raw, "region", line, required=False),
                city=check.text(raw, "city", line, required=False),
                serves_nationality=check.country(
                    raw.get("serves_nationality"), line, "serves_nationality",
                    required=service_type == "consulate",
                ),
                phones=phones,
                url=check.text(raw, "url", line, required=False),
                address=check.text(raw, "address", line, required=False),
                languages=tuple(raw.get("languages") or ()),
                latitude=check.coordinate(location.get("latitude"), line, "latitude", 90),
                longitude=check.coordinate(location.get("longitude"), line, "longitude", 180),
                description=check.text(raw, "description", line, required=False),
                staff_desk=check.staff_desk(raw.get("staff_desk"), line),
                line=line,
            )
        )
    _unique(check, contacts)
    return contacts, check.problems


def load_shelters(path: Path) -> tuple[list[Shelter], list[Problem]]:
    """Read and validate the shelters table (CSV with an HXL row)."""
    check = _Checker(path.name)
    shelters: list[Shelter] = []
    for line, row in _hxl_rows(path, check):
        lat = check.coordinate(row.get("latitude"), line, "latitude", 90)
        lon = check.coordinate(row.get("longitude"), line, "longitude", 180)
        if lat is None or lon is None:
            check.fail(line, "a shelter needs latitude and longitude")
            continue
        example = row.get("example", "").lower() in {"yes", "true", "1"}
        capacity = row.get("capacity") or ""
        shelters.append(
            Shelter(
                id=check.text(row, "id", line),
                name=check.text(row, "name", line),
                country=check.country(row.get("country"), line),
                city=check.text(row, "city", line),
                latitude=lat,
                longitude=lon,
                source=check.source({"name": row.get("source_name"), "url": row.get("source_url")}, line),
                last_verified=check.day(row.get("last_verified"), line),
                example=example,
                capacity=int(capacity) if capacity.isdigit() else None,
                line=line,
            )
        )
    _unique(check, shelters)
    return shelters, check.problems


def load_places(path: Path) -> tuple[list[Place], list[Problem]]:
    """Read and validate the gazetteer of places (CSV with an HXL row)."""
    check = _Checker(path.name)
    places: list[Place] = []
    for line, row in _hxl_rows(path, check):
        lat = check.coordinate(row.get("latitude"), line, "latitude", 90)
        lon = check.coordinate(row.get("longitude"), line, "longitude", 180)
        if lat is None or lon is None:
            check.fail(line, "a place needs latitude and longitude")
            continue
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        places.append(Place(check.text(row, "name", line), check.country(row.get("country"), line), lat, lon, aliases))
    return places, check.problems


def load_topics(path: Path) -> tuple[dict[str, Topic], list[Problem]]:
    """Read and validate the guidance topics."""
    check = _Checker(path.name)
    topics: dict[str, Topic] = {}
    for line, raw in _yaml_items(path, check):
        if not isinstance(raw, dict):
            check.fail(line, "entry must be a mapping")
            continue
        steps = raw.get("steps") or []
        if not steps or not all(isinstance(s, str) and s.strip() for s in steps):
            check.fail(line, "'steps' must be a non-empty list of texts")
        sources = tuple(check.source(s, line) for s in raw.get("sources") or ())
        if not sources:
            check.fail(line, "'sources' is missing: guidance must say where it comes from")
        topic = Topic(
            id=check.text(raw, "id", line),
            title=check.text(raw, "title", line),
            steps=tuple(s.strip() for s in steps if isinstance(s, str)),
            more=tuple(s.strip() for s in raw.get("more") or () if isinstance(s, str)),
            sources=sources,
            last_verified=check.day(raw.get("last_verified"), line),
            line=line,
        )
        if topic.id in topics:
            check.fail(line, f"duplicate id {topic.id!r} (first at line {topics[topic.id].line})")
        topics[topic.id] = topic
    return topics, check.problems


def check_knowledge(folder: Path) -> tuple[Knowledge, list[Problem]]:
    """Load every knowledge file in the folder and return it with all problems found."""
    loaders: list[tuple[str, Callable[[Path], tuple[Any, list[Problem]]]]] = [
        (CONTACTS_FILE, load_contacts),
        (SHELTERS_FILE, load_shelters),
        (GUIDANCE_FILE, load_topics),
        (PLACES_FILE, load_places),
    ]
    results: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, loader in loaders:
        value, found = loader(folder / name)
        results[name] = value
        problems.extend(found)
    knowledge = Knowledge(
        contacts=tuple(results[CONTACTS_FILE]),
        shelters=tuple(results[SHELTERS_FILE]),
        topics=results[GUIDANCE_FILE],
        places=tuple(results[PLACES_FILE]),
    )
    return knowledge, problems


def load_knowledge(folder: Path) -> Knowledge:
    """Load the knowledge folder, failing loudly on any problem."""
    knowledge, problems = check_knowledge(folder)
    if problems:
        raise KnowledgeError(problems)
    return knowledge
