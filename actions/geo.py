"""Tell which country a point lies in, offline, from the GeoNames places shipped with reverse_geocode."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Located:
    """Hold the country (ISO code) and nearest town of a point."""

    country: str
    city: str


class CountryLocator:
    """Reverse-geocode points to a country; the data loads on first use (about half a second)."""

    def locate(self, lat: float, lon: float) -> Located | None:
        """Return the country and nearest town of a point, or None if the data has nothing."""
        import reverse_geocode

        found = reverse_geocode.get((lat, lon))
        code = str(found.get("country_code") or "").upper()
        return Located(code, str(found.get("city") or "")) if len(code) == 2 else None

    def warm(self) -> None:
        """Load the data now, so the first pin is answered at once."""
        self.locate(0.0, 0.0)
