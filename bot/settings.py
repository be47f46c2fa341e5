"""Read every setting from the environment, in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _cache_home(env: Mapping[str, str]) -> Path:
    """Return the per-user cache folder (XDG), outside the repository."""
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "amparo"


@dataclass(frozen=True)
class Settings:
    """Hold Amparo's configuration; build it with `Settings.from_env()`."""

    telegram_token: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str = "telegram"
    webhook_secret: str = ""
    redis_url: str = ""
    redis_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var" / "redis")
    key_prefix: str = "amparo"
    session_ttl: int = 30 * 24 * 3600
    default_language: str = "es"
    default_country: str = "EC"
    model_dir: Path = field(default_factory=lambda: _cache_home(os.environ) / "models")
    nlu_config: Path = PROJECT_ROOT / "nlu" / "config.yml"
    nlu_data: Path = PROJECT_ROOT / "nlu" / "data"
    knowledge_dir: Path = PROJECT_ROOT / "actions" / "data"
    locales_dir: Path = PROJECT_ROOT / "locales"
    stale_after_days: int = 365
    desk_chat_id: int | None = None
    desk_staff_ids: frozenset[int] = frozenset()
    desk_language: str = "es"
    reannounce_minutes: int = 30
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from environment variables, falling back to defaults."""
        env = os.environ if env is None else env
        d = cls()

        def path(name: str, default: Path) -> Path:
            return Path(env[name]) if env.get(name) else default

        return cls(
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_api_url=env.get("TELEGRAM_API_URL") or d.telegram_api_url,
            webhook_url=env.get("AMPARO_WEBHOOK_URL", ""),
            webhook_listen=env.get("AMPARO_WEBHOOK_LISTEN") or d.webhook_listen,
            webhook_port=int(env.get("AMPARO_WEBHOOK_PORT") or d.webhook_port),
            webhook_path=env.get("AMPARO_WEBHOOK_PATH") or d.webhook_path,
            webhook_secret=env.get("AMPARO_WEBHOOK_SECRET", ""),
            redis_url=env.get("REDIS_URL", ""),
            redis_dir=path("AMPARO_REDIS_DIR", d.redis_dir),
            key_prefix=env.get("AMPARO_KEY_PREFIX") or d.key_prefix,
            session_ttl=int(env.get("AMPARO_SESSION_TTL") or d.session_ttl),
            default_language=env.get("AMPARO_DEFAULT_LANGUAGE") or d.default_language,
            default_country=(env.get("AMPARO_DEFAULT_COUNTRY") or d.default_country).upper(),
            model_dir=path("AMPARO_MODEL_DIR", _cache_home(env) / "models"),
            nlu_config=path("AMPARO_NLU_CONFIG", d.nlu_config),
            nlu_data=path("AMPARO_NLU_DATA", d.nlu_data),
            knowledge_dir=path("AMPARO_KNOWLEDGE_DIR", d.knowledge_dir),
            locales_dir=path("AMPARO_LOCALES_DIR", d.locales_dir),
            stale_after_days=int(env.get("AMPARO_STALE_AFTER_DAYS") or d.stale_after_days),
            log_level=env.get("LOG_LEVEL") or d.log_level,
            desk_chat_id=int(env["AMPARO_DESK_CHAT_ID"]) if env.get("AMPARO_DESK_CHAT_ID") else None,
            desk_staff_ids=frozenset(int(x) for x in (env.get("AMPARO_DESK_STAFF_IDS") or "").replace(",", " ").split()),
            desk_language=env.get("AMPARO_DESK_LANGUAGE") or d.desk_language,
            reannounce_minutes=int(env.get("AMPARO_CASE_REANNOUNCE_MINUTES") or d.reannounce_minutes),
        )
