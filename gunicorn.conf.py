"""gunicorn settings, from the project's own settings: ``gunicorn -c gunicorn.conf.py app:server``.

Bound to loopback unless POLICE_STATS_HOST says otherwise; no control socket and no files in
$HOME; logs to stdout/stderr for systemd or a container to collect.
"""
import os
import secrets
import sys

from dashboard.settings import Settings, SettingsError

try:
    _settings = Settings.from_env()
except SettingsError as exc:
    sys.exit(f"error: {exc}")

if _settings.secret_key_generated:
    # One key for all workers (they inherit the environment), so a login works in every worker;
    # it still ends when gunicorn restarts.
    os.environ["POLICE_STATS_SECRET_KEY"] = secrets.token_urlsafe(48)
    print("warning: POLICE_STATS_SECRET_KEY is not set; using a random key for this start, "
          "so logins end when gunicorn restarts.", file=sys.stderr)

bind = [f"[{_settings.host}]:{_settings.port}" if ":" in _settings.host else f"{_settings.host}:{_settings.port}"]
workers = _settings.workers
worker_class = "gthread"
threads = _settings.threads
timeout = _settings.timeout
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then, so no slow leak can grow without bound
max_requests_jitter = 500
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
control_socket_disable = True  # the default socket lives in ~/.gunicorn
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
loglevel = "info"
proc_name = "police-stats"
