"""Find the right contacts and shelters for a person's nationality and location."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from actions.knowledge import Contact, Knowledge, Phone, Place, Shelter

EARTH_RADIUS_KM = 6371.0
HUMANITARIAN_TYPES = ("humanitarian",)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def fold(text: str) -> str:
    """Lower-case and strip accents, for matching names as people type them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class NearbyShelter:
    """Pair a shelter with its distance from the person."""

    shelter: Shelter
    km: float


class Directory:
    """Answer lookups over the loaded knowledge."""

    def __init__(self, knowledge: Knowledge) -> None:
        """Index the knowledge for lookups."""
        self.knowledge = knowledge
        self._places = {fold(n): p for p in knowledge.places for n in (p.name, *p.aliases)}

    def emergency(self, country: str) -> list[Contact]:
        """Return the emergency-number entries of a country."""
        return [c for c in self.knowledge.contacts if c.service_type == "emergency" and c.country == country]

    def emergency_phones(self, country: str) -> list[Phone]:
        """Return every emergency number of a country, in the order the data lists them."""
        return [phone for contact in self.emergency(country) for phone in contact.phones]

    def consulates(self, nationality: str, country: str) -> list[Contact]:
        """Return the consulates of `nationality` located in `country`."""
        return [
            c
            for c in self.knowledge.contacts
            if c.service_type == "consulate" and c.serves_nationality == nationality and c.country == country
        ]

    def services(self, country: str, *types: str) -> list[Contact]:
        """Return the services of the given types in a country."""
        return [c for c in self.knowledge.contacts if c.country == country and c.service_type in types]

    def humanitarian(self, country: str) -> list[Contact]:
        """Return humanitarian organisations that help anyone regardless of nationality."""
        return self.services(country, *HUMANITARIAN_TYPES)

    def nearest_shelters(self, lat: float, lon: float, limit: int = 3, max_km: float = 100.0) -> list[NearbyShelter]:
        """Return up to `limit` shelters within `max_km`, nearest first."""
        ranked = sorted(
            (NearbyShelter(s, distance_km(lat, lon, s.latitude, s.longitude)) for s in self.knowledge.shelters),
            key=lambda n: n.km,
        )
        return [n for n in ranked if n.km <= max_km][:limit]

    def place(self, name: str) -> Place | None:
        """Find a known place by name or alias, ignoring case and accents."""
        return self._places.get(fold(name).strip())

    def find_place_in(self, text: str) -> Place | None:
        """Find the first known place named anywhere in a message."""
        folded = f" {fold(text)} "
        for key in sorted(self._places, key=len, reverse=True):
            if f" {key} " in folded or f" {key}," in folded or f" {key}." in folded:
                return self._places[key]
        return None
