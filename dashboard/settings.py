"""Settings, each declared once with its default and help, read from environment variables.

The defaults are safe for a laptop: loopback only, debug off, import off.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from analysis.store import STORE_DIR


def _setting(env: str, default, help: str):
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    host: str = _setting("POLICE_STATS_HOST", "127.0.0.1", "Address to listen on (python app.py).")
    port: int = _setting("POLICE_STATS_PORT", 8050, "Port to listen on (python app.py).")
    store_dir: Path = _setting("POLICE_STATS_STORE", STORE_DIR, "Folder of the parquet store to serve.")
    debug: bool = _setting("POLICE_STATS_DEBUG", False, "Dash debug mode and dev tools. Never in production.")

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Settings from environment variables; ``overrides`` win (for tests)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None:
                values[f.name] = _convert(f, raw)
        values.update(overrides)
        return cls(**values)


def _convert(f, raw: str):
    kind = type(f.default)
    if kind is bool:
        if raw.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off", ""):
            raise ValueError(f"{f.metadata['env']}={raw!r}: expected 1/0, true/false, yes/no or on/off")
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{f.metadata['env']}={raw!r}: expected a whole number") from None
    if isinstance(f.default, Path):
        return Path(raw)
    return raw
