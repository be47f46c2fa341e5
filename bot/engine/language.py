"""Decide which language to answer in."""
from __future__ import annotations

from babel import negotiate_locale

from bot.engine.session import Session

# Telegram codes whose best match is not their language part (Creole speakers with a French UI).
HINT_ALIASES = {"fr-ht": "ht", "fr_ht": "ht"}


def from_hint(code: str | None, supported: tuple[str, ...]) -> str | None:
    """Map a Telegram language_code (pt-BR, es-419, fr-HT) to a supported locale."""
    if not code:
        return None
    lowered = code.strip().lower()
    alias = HINT_ALIASES.get(lowered)
    if alias in supported:
        return alias
    return negotiate_locale([lowered.replace("-", "_")], list(supported), sep="_")


def choose(session: Session, detected: str | None, hint: str | None, default: str, supported: tuple[str, ...]) -> str:
    """Pick the reply language: explicit choice, then clear text, then known, then hint, then default."""
    if session.language_chosen and session.language in supported:
        return session.language
    if detected in supported:
        return detected
    if session.language in supported:
        return session.language
    return from_hint(hint, supported) or (default if default in supported else supported[0])
