"""Describe knowledge entries: contacts, shelters and guidance topics."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Source:
    """Say where a fact comes from."""

    name: str
    url: str


@dataclass(frozen=True)
class Phone:
    """Hold one phone number: E.164, or a national short code such as 911."""

    number: str
    kind: str = "voice"


@dataclass(frozen=True)
class StaffDesk:
    """Say where a service's staff receive escalated cases: a Telegram supergroup and its members."""

    chat_id: int
    staff: tuple[int, ...]
    language: str = "es"


@dataclass(frozen=True)
class Contact:
    """Hold one service of one organisation at one place (Open Referral HSDS fields)."""

    id: str
    name: str
    service_type: str
    country: str
    source: Source
    last_verified: date
    organization: str = ""
    region: str = ""
    city: str = ""
    serves_nationality: str = ""
    phones: tuple[Phone, ...] = ()
    url: str = ""
    address: str = ""
    hours: str = ""
    languages: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    description: str = ""
    staff_desk: StaffDesk | None = None
    line: int = 0


@dataclass(frozen=True)
class Shelter:
    """Hold one shelter with coordinates; `example` marks entries not from a real source."""

    id: str
    name: str
    country: str
    city: str
    latitude: float
    longitude: float
    source: Source
    last_verified: date
    example: bool = False
    capacity: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Topic:
    """Hold one guidance topic: short steps, optional details, and its sources."""

    id: str
    title: str
    steps: tuple[str, ...]
    more: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    last_verified: date | None = None
    line: int = 0


@dataclass(frozen=True)
class Place:
    """Hold a named place (city) with its coordinates, for lookups by name."""

    name: str
    country: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    """Bundle every knowledge entry the actions read."""

    contacts: tuple[Contact, ...] = ()
    shelters: tuple[Shelter, ...] = ()
    topics: dict[str, Topic] = field(default_factory=dict)
    places: tuple[Place, ...] = ()
