"""Stand-ins for slow services in unit tests: a keyword intent model."""
from __future__ import annotations

KEYWORDS = (
    ("pasaporte", "lost_documents"),
    ("passport", "lost_documents"),
    ("albergue", "shelter"),
    ("shelter", "shelter"),
    ("evacuar", "evacuation"),
    ("leave the city", "evacuation"),
    ("consulado", "contact_consulate"),
    ("herido", "medical_help"),
    ("hola", "greet"),
    ("hello", "greet"),
    ("gracias", "thanks"),
    ("idioma", "change_language"),
    ("no gracias", "deny"),
    ("futbol", "out_of_scope"),
    ("pegando", "safety"),
)


class KeywordModel:
    """Classify by the first keyword found; unknown text gets a low-confidence guess."""

    def __init__(self) -> None:
        """Count calls, so tests can check caching."""
        self.calls = 0

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Return a one-intent ranking."""
        self.calls += 1
        lowered = text.lower()
        for keyword, intent in sorted(KEYWORDS, key=lambda k: -len(k[0])):
            if keyword in lowered:
                return [(intent, 0.95), ("out_of_scope", 0.05)]
        return [("help", 0.12), ("out_of_scope", 0.1)]
