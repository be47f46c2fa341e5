"""docker-compose.yml, .env.example and Settings agree (Docker cannot run here, so read the files)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def settings_variables() -> set[str]:
    """Return every Amparo environment variable Settings.from_env reads (not the XDG standard ones)."""
    source = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    found = set(re.findall(r'(?:env\.get|env\[|path)\(?"([A-Z][A-Z0-9_]+)"', source))
    return found - {"XDG_CACHE_HOME"}


def test_settings_read_the_expected_variables() -> None:
    names = settings_variables()
    assert {"TELEGRAM_BOT_TOKEN", "REDIS_URL", "AMPARO_SESSION_TTL", "AMPARO_MODEL_DIR"} <= names


def test_env_example_documents_every_setting() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    assert settings_variables() == documented


def test_env_example_values_parse() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    env = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", example, flags=re.M))
    settings = Settings.from_env(env)
    assert settings.session_ttl == 30 * 24 * 3600
    assert settings.default_country == "EC" and settings.default_language == "es"


def test_compose_runs_persistent_redis_and_the_bot() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    redis, bot = compose["services"]["redis"], compose["services"]["bot"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert bot["env_file"] == ".env"
    assert bot["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert set(bot["environment"]) <= settings_variables()
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    for volume in [*redis["volumes"], *bot["volumes"]]:
        assert volume.split(":")[0] in compose["volumes"]
    assert (ROOT / "Dockerfile").exists()
