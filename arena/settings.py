"""Settings: parsed once from config.toml and ARENA_* environment variables into a frozen value."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    link_session_hours: float = 24.0
    account_session_hours: float = 12.0
    sessions_per_link: int = 10
    sessions_per_account: int = 5


@dataclass(frozen=True)
class BackupSettings:
    dir: str = ""
    every_minutes: float = 0.0
    keep: int = 12


@dataclass(frozen=True)
class TlsSettings:
    enabled: str = "auto"
    cert_file: str = ""
    key_file: str = ""
    http_port: int = 8080
    allow_plain_http_judges: bool = False
    trusted_proxies: tuple[str, ...] = ()


SQLITE_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


@dataclass(frozen=True)
class Settings:
    data_dir: Path = ROOT / "data"
    db_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = ""
    max_body_bytes: int = 1024 * 1024
    secret_key: str = ""
    sqlite_synchronous: str = "FULL"
    static_cache_dir: str = ""
    timezone: str = "Asia/Shanghai"
    live: LiveSettings = field(default_factory=LiveSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    tls: TlsSettings = field(default_factory=TlsSettings)

    @property
    def database_url(self) -> str:
        """The database URL in use: the configured one or the embedded SQLite file."""
        if self.db_url:
            return self.db_url
        # FULL: a commit is on disk before the 201 is sent (NORMAL may lose the last commits in
        # a power cut; see config.toml).
        return f"sqlite://{self.data_dir / 'arena.sqlite3'}?synchronous={self.sqlite_synchronous}"

    @property
    def static_cache(self) -> Path:
        """Where compressed static files are kept across restarts (content-addressed)."""
        return Path(self.static_cache_dir) if self.static_cache_dir else self.data_dir / "cache"

    @property
    def zone(self) -> ZoneInfo:
        """The venue's time zone: times in workbooks and documents are shown in it."""
        return ZoneInfo(self.timezone)

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
    backup = _section(BackupSettings, raw.get("backup", {}), environ, "ARENA_BACKUP_")
    tls = _section(TlsSettings, raw.get("tls", {}), environ, "ARENA_TLS_")
    top = {k: v for k, v in raw.items() if k not in ("live", "auth", "backup", "tls")}
    settings = _section(
        Settings, top, environ, "ARENA_", live=live, auth=auth, backup=backup, tls=tls
    )
    if settings.sqlite_synchronous.upper() not in SQLITE_SYNCHRONOUS:
        raise ConfigError(
            f"setting sqlite_synchronous: {settings.sqlite_synchronous!r} is not one of "
            + ", ".join(SQLITE_SYNCHRONOUS)
        )
    settings = replace(settings, sqlite_synchronous=settings.sqlite_synchronous.upper())
    try:
        ZoneInfo(settings.timezone)
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise ConfigError(
            f"setting timezone: {settings.timezone!r} is not a time zone (e.g. Asia/Shanghai)"
        ) from exc
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
        if kind == "bool":
            return _boolean(value)
        if kind == "Path":
            return Path(value)
        if kind.startswith("tuple"):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {key}: {value!r} is not a valid {kind}") from exc


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(value)
