"""Settings, each declared once with its environment variable, default and help.

The defaults are safe for a laptop and a shared server alike: loopback only, debug off, import
off. A bad value stops the start with an error that names the variable.

    python -m dashboard.settings                  # the settings as a Markdown table (for the README)
    python -m dashboard.settings hash-password    # a hash for POLICE_STATS_ADMIN_PASSWORD_HASH
"""
from __future__ import annotations

import getpass
import ipaddress
import os
import re
import secrets
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

from analysis.store import STORE_DIR

LANGUAGES = ("nl", "en")
# The largest document the readers accept (``analysis.readers.base.MAX_BYTES``; a test checks they
# agree), written here so that starting the dashboard does not import every reader.
MAX_BYTES = 20 * 1024 * 1024
_HASH_METHODS = ("scrypt:", "pbkdf2:")  # what werkzeug.security.generate_password_hash writes


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the environment variable."""


def _setting(env: str, default, help: str, *, secret: bool = False):
    return field(default=default, repr=not secret, metadata={"env": env, "help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    host: str = _setting("POLICE_STATS_HOST", "127.0.0.1",
                         "Address to listen on. Loopback by default; `0.0.0.0` only behind a firewall or proxy.")
    port: int = _setting("POLICE_STATS_PORT", 8050, "Port to listen on.")
    store_dir: Path = _setting("POLICE_STATS_STORE", STORE_DIR,
                               "Folder of the parquet store. Imported documents are archived in `sources/` "
                               "beside it, uploads awaiting confirmation in `.uploads/`.")
    catalog: Path | None = _setting(
        "POLICE_STATS_CATALOG", None,
        "The catalog (`catalog.yml`) that describes the store: its tables, indicators and labels. Unset: "
        "`catalog.yml` beside the store's folder, as `analysis` finds it, else the bundled `data/catalog.yml`.")
    language: str = _setting("POLICE_STATS_LANGUAGE", "nl", "Default language of the pages: `nl` or `en`.")
    debug: bool = _setting("POLICE_STATS_DEBUG", False,
                           "Dash debug mode and dev tools (tracebacks in the browser). Never in production.")
    workers: int = _setting("POLICE_STATS_WORKERS", 2, "gunicorn worker processes.")
    threads: int = _setting("POLICE_STATS_THREADS", 4, "Threads per gunicorn worker.")
    timeout: int = _setting("POLICE_STATS_TIMEOUT", 30,
                            "Seconds a gunicorn worker may spend on one request before it is restarted.")
    import_enabled: bool = _setting("POLICE_STATS_IMPORT", False,
                                    "Import from the browser at `/import`. Needs the admin user and password hash.")
    admin_user: str = _setting("POLICE_STATS_ADMIN_USER", "", "User name for the import page.")
    admin_password_hash: str = _setting(
        "POLICE_STATS_ADMIN_PASSWORD_HASH", "",
        "Hash of the import password, from `python -m dashboard.settings hash-password`. There is no default password.",
        secret=True)
    secret_key: str = _setting(
        "POLICE_STATS_SECRET_KEY", "",
        "Key that signs the login cookie (at least 32 characters). Unset: a random key per start, "
        "so logins end at a restart.", secret=True)
    secure_cookies: bool = _setting("POLICE_STATS_SECURE_COOKIES", False,
                                    "Send the login cookie over HTTPS only. Set it when a TLS proxy is in front.")
    max_upload_mb: int = _setting("POLICE_STATS_MAX_UPLOAD_MB", 10,
                                  f"Largest document the import accepts, in MB (at most {MAX_BYTES >> 20}).")
    frame_ancestors: str = _setting(
        "POLICE_STATS_FRAME_ANCESTORS", "'self'",
        "Who may show the dashboard in a frame (CSP `frame-ancestors`): `'none'`, `'self'` or a "
        "space-separated list of origins such as `https://intranet.example.nl`.")

    def __post_init__(self):
        for f in fields(self):
            check = _CHECKS.get(f.name)
            if check:
                check(f.metadata["env"], getattr(self, f.name))
        if self.import_enabled and not (self.admin_user and self.admin_password_hash):
            raise SettingsError(
                "POLICE_STATS_IMPORT is on, but POLICE_STATS_ADMIN_USER and POLICE_STATS_ADMIN_PASSWORD_HASH "
                "are not both set; the import stays off without credentials")
        if not self.secret_key:  # random per process: a restart ends every login, nothing else breaks
            object.__setattr__(self, "secret_key", secrets.token_urlsafe(48))
            object.__setattr__(self, "_secret_key_generated", True)

    @property
    def secret_key_generated(self) -> bool:
        return getattr(self, "_secret_key_generated", False)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb << 20

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Settings from environment variables; ``overrides`` win (for tests)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is not None and raw.strip() != "":
                values[f.name] = _convert(f, raw.strip())
        values.update(overrides)
        return cls(**values)


def _convert(f, raw: str):
    env = f.metadata["env"]
    if isinstance(f.default, bool):
        if raw.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise SettingsError(f"{env}={raw!r}: expected 1/0, true/false, yes/no or on/off")
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(f.default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{env}={raw!r}: expected a whole number") from None
    if isinstance(f.default, Path) or "Path" in str(f.type):
        return Path(raw)
    return raw


# --- Checks, one per setting that can be wrong in more ways than its type --------------------------


def _in_range(low, high):
    def check(env, value):
        if not low <= value <= high:
            raise SettingsError(f"{env}={value}: expected a number from {low} to {high}")
    return check


def _check_host(env, value):
    try:
        ipaddress.ip_address(value)
        return
    except ValueError:
        pass
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})", value):
        raise SettingsError(f"{env}={value!r}: expected an IP address or a host name such as 127.0.0.1")


def _check_language(env, value):
    if value not in LANGUAGES:
        raise SettingsError(f"{env}={value!r}: expected one of {', '.join(LANGUAGES)}")


def _check_password_hash(env, value):
    if value and not (value.startswith(_HASH_METHODS) and value.count("$") == 2):
        raise SettingsError(
            f"{env} is not a password hash (a plain password is never accepted); "
            "create one with: python -m dashboard.settings hash-password")


def _check_user(env, value):
    if value and not re.fullmatch(r"[\w.@-]{1,64}", value):
        raise SettingsError(f"{env}={value!r}: use 1 to 64 letters, digits or . @ _ -")


def _check_secret_key(env, value):
    if value and len(value) < 32:
        raise SettingsError(f"{env} is {len(value)} characters; use at least 32 (python -c 'import secrets; print(secrets.token_urlsafe(48))')")


_SOURCE = re.compile(r"""
    'self' | 'none'
  | (https?|wss?):                                   # a scheme
  | ((https?|wss?)://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?   # an origin
""", re.VERBOSE)


def _check_frame_ancestors(env, value):
    sources = value.split()
    bad = [s for s in sources if not _SOURCE.fullmatch(s)]
    if not sources or bad or ("'none'" in sources and len(sources) > 1):
        raise SettingsError(
            f"{env}={value!r}: expected 'none', 'self' or space-separated origins such as https://intranet.example.nl"
            + (f" (not understood: {' '.join(bad)})" if bad else ""))


_CHECKS = {
    "host": _check_host,
    "port": _in_range(1, 65535),
    "language": _check_language,
    "workers": _in_range(1, 64),
    "threads": _in_range(1, 256),
    "timeout": _in_range(1, 3600),
    "admin_user": _check_user,
    "admin_password_hash": _check_password_hash,
    "secret_key": _check_secret_key,
    "max_upload_mb": _in_range(1, MAX_BYTES >> 20),
    "frame_ancestors": _check_frame_ancestors,
}


# --- Command line ------------------------------------------------------------------------------


def markdown_table() -> str:
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for f in fields(Settings):
        default = f.default
        if isinstance(default, Path):
            default = "data/store"
        elif isinstance(default, bool):
            default = "1" if default else "0"
        shown = f"`{default}`" if default not in ("", None) else "(unset)"
        lines.append(f"| `{f.metadata['env']}` | {shown} | {f.metadata['help']} |")
    return "\n".join(lines)


def hash_password(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)  # scrypt with a random salt


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["hash-password"]:
        password = getpass.getpass("Password for the import page: ")
        if len(password) < 12:
            print("use at least 12 characters", file=sys.stderr)
            return 1
        if getpass.getpass("Again: ") != password:
            print("the two passwords differ", file=sys.stderr)
            return 1
        print(hash_password(password))
        return 0
    if argv:
        print("usage: python -m dashboard.settings [hash-password]", file=sys.stderr)
        return 2
    print(markdown_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
