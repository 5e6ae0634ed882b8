"""Typed helpers that read the settings from the environment, and the data directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_home() -> Path:
    """The data directory (DEALERCRM_HOME, default ./var), created on first use."""
    home = Path(env_str("DEALERCRM_HOME", "var")).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def secret_key(home: Path) -> str:
    """DEALERCRM_SECRET_KEY, or a key generated once and kept in the data directory."""
    configured = env_str("DEALERCRM_SECRET_KEY")
    if configured:
        return configured
    key_file = home / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
