"""Load the knowledge files into entries, reporting every problem as file:line."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

from actions.knowledge import Contact, Knowledge, Place, Shelter, Topic
from actions.validate import KnowledgeError, Problem, Checker

SERVICE_TYPES = frozenset(
    {"emergency", "consulate", "humanitarian", "family_links", "health", "legal", "government"}
)
CONTACTS_FILE, SHELTERS_FILE, GUIDANCE_FILE, PLACES_FILE = (
    "contacts.yml",
    "shelters.csv",
    "guidance.yml",
    "places.csv",
)


def yaml_items(text: str) -> list[tuple[int, Any]]:
    """Return (line, item) for each item of a YAML list document (empty if it is not a list)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    if not isinstance(data, list) or root is None:
        return []
    return [(node.start_mark.line + 1, item) for node, item in zip(root.value, data)]


def _yaml_items(path: Path, checker: Checker) -> Iterator[tuple[int, Any]]:
    """Yield (line, item) for each item of a YAML list file, reporting unreadable files."""
    try:
        items = yaml_items(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", -1) + 1
        checker.fail(line, f"cannot read: {exc}")
        return
    if not items:
        checker.fail(1, "must be a YAML list of entries")
    yield from items


def _hxl_rows(path: Path, checker: Checker) -> Iterator[tuple[int, dict[str, str]]]:
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


def _unique(checker: Checker, entries: list[Any]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.id in seen:
            checker.fail(entry.line, f"duplicate id {entry.id!r} (first at line {seen[entry.id]})")
        seen.setdefault(entry.id, entry.line)


def load_contacts(path: Path) -> tuple[list[Contact], list[Problem]]:
    """Read and validate the contacts directory."""
    check = Checker(path.name)
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
                hours=check.text(raw, "hours", line, required=False),
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
    check = Checker(path.name)
    shelters: list[Shelter] = []
    for line, row in _hxl_rows(path, check):
        point = check.point(row, line, "a shelter")
        if point is None:
            continue
        lat, lon = point
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
    check = Checker(path.name)
    places: list[Place] = []
    for line, row in _hxl_rows(path, check):
        point = check.point(row, line, "a place")
        if point is None:
            continue
        lat, lon = point
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        places.append(Place(check.text(row, "name", line), check.country(row.get("country"), line), lat, lon, aliases))
    return places, check.problems


def load_topics(path: Path) -> tuple[dict[str, Topic], list[Problem]]:
    """Read and validate the guidance topics."""
    check = Checker(path.name)
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
