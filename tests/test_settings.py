"""Settings: safe defaults, clear errors that name the variable, and every setting in the README."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.settings import Settings, SettingsError, hash_password

from .conftest import ROOT

HASH = generate_password_hash("a long enough password")
ENVS = [f.metadata["env"] for f in dataclasses.fields(Settings)]


def test_defaults_are_safe():
    s = Settings.from_env({})
    assert s.host == "127.0.0.1"
    assert s.debug is False
    assert s.import_enabled is False
    assert s.admin_user == "" and s.admin_password_hash == ""  # no default password, ever
    assert s.language == "nl"
    assert s.frame_ancestors == "'self'"


def test_every_setting_is_declared_once_with_env_and_help():
    assert len(ENVS) == len(set(ENVS))
    for f in dataclasses.fields(Settings):
        assert f.metadata["env"].startswith("POLICE_STATS_")
        assert len(f.metadata["help"]) > 10


def test_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [env for env in ENVS if env not in readme]
    assert not missing, f"README.md does not mention {missing}"


def test_values_are_read_and_converted():
    s = Settings.from_env({"POLICE_STATS_PORT": "9000", "POLICE_STATS_DEBUG": "yes", "POLICE_STATS_LANGUAGE": "en",
                           "POLICE_STATS_MAX_UPLOAD_MB": "3", "POLICE_STATS_HOST": "0.0.0.0",
                           "POLICE_STATS_FRAME_ANCESTORS": "'self' https://intranet.example.nl"})
    assert (s.port, s.debug, s.language, s.host) == (9000, True, "en", "0.0.0.0")
    assert s.max_upload_bytes == 3 * 1024 * 1024
    assert s.frame_ancestors == "'self' https://intranet.example.nl"


@pytest.mark.parametrize("env, value", [
    ("POLICE_STATS_PORT", "eighty"),
    ("POLICE_STATS_PORT", "70000"),
    ("POLICE_STATS_DEBUG", "maybe"),
    ("POLICE_STATS_LANGUAGE", "de"),
    ("POLICE_STATS_HOST", "127.0.0.1; rm -rf /"),
    ("POLICE_STATS_WORKERS", "0"),
    ("POLICE_STATS_MAX_UPLOAD_MB", "500"),
    ("POLICE_STATS_FRAME_ANCESTORS", "'self'; script-src *"),
    ("POLICE_STATS_FRAME_ANCESTORS", "'none' https://a.example"),
    ("POLICE_STATS_ADMIN_PASSWORD_HASH", "hunter2"),
    ("POLICE_STATS_ADMIN_USER", "admin user"),
    ("POLICE_STATS_SECRET_KEY", "short"),
])
def test_a_bad_value_is_refused_naming_the_variable(env, value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({env: value})
    assert env in str(info.value)
    if "PASSWORD" in env or "SECRET" in env:
        assert value not in str(info.value)  # a secret, even a wrong one, is not echoed


def test_import_stays_off_without_credentials():
    with pytest.raises(SettingsError, match="POLICE_STATS_ADMIN_PASSWORD_HASH"):
        Settings.from_env({"POLICE_STATS_IMPORT": "1"})
    with pytest.raises(SettingsError, match="POLICE_STATS_ADMIN_USER"):
        Settings.from_env({"POLICE_STATS_IMPORT": "1", "POLICE_STATS_ADMIN_PASSWORD_HASH": HASH})
    s = Settings.from_env({"POLICE_STATS_IMPORT": "1", "POLICE_STATS_ADMIN_USER": "redactie",
                           "POLICE_STATS_ADMIN_PASSWORD_HASH": HASH})
    assert s.import_enabled


def test_secret_key_is_random_per_process_when_unset_and_never_shown():
    a, b = Settings.from_env({}), Settings.from_env({})
    assert a.secret_key_generated and len(a.secret_key) >= 32
    assert a.secret_key != b.secret_key
    given = "k" * 40
    s = Settings.from_env({"POLICE_STATS_SECRET_KEY": given, "POLICE_STATS_ADMIN_PASSWORD_HASH": HASH})
    assert s.secret_key == given and not s.secret_key_generated
    assert given not in repr(s) and HASH not in repr(s)


def test_hash_password_makes_a_salted_hash_that_settings_accept():
    h1, h2 = hash_password("correct horse battery"), hash_password("correct horse battery")
    assert h1 != h2  # salted
    assert check_password_hash(h1, "correct horse battery") and not check_password_hash(h1, "wrong")
    assert Settings.from_env({"POLICE_STATS_ADMIN_PASSWORD_HASH": h1}).admin_password_hash == h1


def test_app_refuses_to_start_on_a_bad_setting():
    env = {"PATH": "/usr/bin:/bin", "POLICE_STATS_PORT": "not-a-port"}
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "POLICE_STATS_PORT='not-a-port': expected a whole number" in result.stderr


def test_the_upload_limit_is_the_readers_limit():
    from analysis.readers.base import MAX_BYTES
    from dashboard import settings

    assert settings.MAX_BYTES == MAX_BYTES
