"""Settings: parsed once from config.toml and ARENA_* environment variables into a frozen value."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config.toml"


@dataclass(frozen=True)
class LiveSettings:
    backend: str = "memory"
    heartbeat_seconds: float = 15.0
    allowed_origins: tuple[str, ...] = ()
    max_message_bytes: int = 65536
    publish_delay_seconds: float = 0.05
    publish_interval_seconds: float = 0.5


@dataclass(frozen=True)
class AuthSettings:
    token_cache_seconds: float = 5.0
    cookie_name: str = "arena_session"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = ROOT / "data"
    db_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""
    max_body_bytes: int = 1024 * 1024
    secret_key: str = ""
    live: LiveSettings = field(default_factory=LiveSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)

    @property
    def database_url(self) -> str:
        """The database URL in use: the configured one or the embedded SQLite file."""
        if self.db_url:
            return self.db_url
        return f"sqlite://{self.data_dir / 'arena.sqlite3'}?synchronous=NORMAL"

    @property
    def public_url(self) -> str:
        """The address used in personal links."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


class ConfigError(ValueError):
    """The configuration file or an ARENA_* variable is wrong."""


def load_settings(
    path: Path | None = None, environ: Mapping[str, str] | None = None, **overrides: Any
) -> Settings:
    """Read config.toml, apply ARENA_* variables, then explicit overrides."""
    path = path or Path(os.environ.get("ARENA_CONFIG", DEFAULT_CONFIG))
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    base = path.resolve().parent
    live = _section(LiveSettings, raw.get("live", {}), environ, "ARENA_LIVE_")
    auth = _section(AuthSettings, raw.get("auth", {}), environ, "ARENA_AUTH_")
    top = {k: v for k, v in raw.items() if k not in ("live", "auth")}
    settings = _section(Settings, top, environ, "ARENA_", live=live, auth=auth)
    data_dir = Path(settings.data_dir)
    if not data_dir.is_absolute():
        data_dir = base / data_dir
    return replace(settings, data_dir=data_dir, **overrides)


def _section(
    cls: Any, raw: Mapping[str, Any], environ: Mapping[str, str], prefix: str, **extra: Any
) -> Any:
    values: dict[str, Any] = dict(extra)
    known = {f.name: f for f in fields(cls)}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"config.toml: unknown key {prefix[6:].lower()}{key}")
        values[key] = _coerce(known[key].type, value, key)
    for name, f in known.items():
        env = environ.get(prefix + name.upper())
        if env is not None and name not in extra:
            values[name] = _coerce(f.type, env, name)
    return cls(**values)


def _coerce(kind: Any, value: Any, key: str) -> Any:
    kind = str(kind)
    try:
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "Path":
            return Path(value)
        if kind.startswith("tuple"):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {key}: {value!r} is not a valid {kind}") from exc
