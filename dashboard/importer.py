"""Import a published document from the browser: log in, upload, preview, confirm or cancel.

The same two steps as ``python -m analysis.ingest``: ``prepare`` reads and validates the document
and compares it with the store (nothing written), ``commit`` archives it with its checksum in
``sources/`` and writes the new vintage atomically. Plain Flask pages, independent of the Dash
layout, only registered when ``POLICE_STATS_IMPORT`` is on.

Safety, in the order a request meets it:
- every page but the login needs a login; the session cookie is signed, HttpOnly, SameSite=Strict;
- every POST carries the session's CSRF token (and a cross-site Origin is refused);
- login failures are rate-limited per client and overall; user and password are compared in
  constant time, and the password hash is checked even for an unknown user;
- an upload is limited in size and type, stored under a random name the server chooses in a
  private folder; its own name is only ever shown (``secure_filename``), never used as a path;
- nothing uploaded is executed or unpickled: readers parse text, HTML and .docx XML only;
- the preview is kept on disk (not in one worker's memory), so confirm works in any gunicorn
  worker; confirm re-checks that the store still gives the same preview before writing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from collections import deque
from pathlib import Path

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, session, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.utils import secure_filename

from analysis.errors import DataError
from analysis.formatting import format_date, format_number, format_period
from analysis.ingest import Preview, commit, prepare
from analysis.model import STATUSES
from analysis.files import atomic_write_bytes
from analysis.store import Store

from .data import catalog_of
from .i18n import strings
from .settings import Settings

log = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".txt", ".csv", ".tsv", ".html", ".htm", ".docx")
LOGIN_LIFETIME = dt.timedelta(hours=8)
STAGED_LIFETIME = dt.timedelta(hours=24)
_TOKEN = re.compile(r"[0-9a-f]{32}")
_FIELDS = ("title", "publisher", "published", "url", "kamerstuk")

class LoginThrottle:
    """At most ``per_client`` failed logins per client and ``overall`` in all per ``window`` seconds.

    In memory, per worker process: with N gunicorn workers an attacker gets N times the budget,
    still a handful of guesses per quarter hour against a scrypt hash.
    """

    def __init__(self, per_client: int = 5, overall: int = 50, window: float = 15 * 60):
        self.per_client, self.overall, self.window = per_client, overall, window
        self._failures: dict[str, deque] = {}
        self._all: deque = deque()
        self._lock = threading.Lock()

    def _trim(self, q: deque, now: float) -> deque:
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            mine = self._trim(self._failures.get(client, deque()), now)
            return len(mine) >= self.per_client or len(self._trim(self._all, now)) >= self.overall

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._failures.setdefault(client, deque()).append(now)
            self._all.append(now)
            if len(self._failures) > 10_000:  # forget the oldest clients rather than grow without bound
                for key in list(self._failures)[:5_000]:
                    del self._failures[key]


def register_import(server, settings: Settings, store: Store) -> None:
    """Add the import pages under /import to the Flask server."""
    server.register_blueprint(import_blueprint(settings, store))


def import_blueprint(settings: Settings, store: Store) -> Blueprint:
    bp = Blueprint("importer", __name__, url_prefix="/import")
    text = strings("import_", settings.language)
    catalog = catalog_of(store)  # the catalog the app serves the store with
    throttle = LoginThrottle()
    staging = store.dir.parent / ".uploads"
    # Checked when the user name is unknown, so that a wrong name takes as long as a wrong password.
    dummy_hash = generate_password_hash(secrets.token_urlsafe(16), method=settings.admin_password_hash.split("$")[0])

    def page(template: str, status: int = 200, **context) -> Response:
        body = render_template(template, text=text, lang=settings.language, csrf=csrf_token(),
                               user=session.get("user"), limit_mb=settings.max_upload_mb, **context)
        response = make_response(body, status)
        response.headers["Cache-Control"] = "no-store"
        return response

    # --- Login and CSRF ------------------------------------------------------------------------

    def logged_in() -> bool:
        user, since = session.get("user"), session.get("login_at", 0)
        return bool(user) and hmac.compare_digest(user, settings.admin_user) and time.time() - since < LOGIN_LIFETIME.total_seconds()

    @bp.before_request
    def guard():
        if request.method == "POST":
            check_origin()
            check_csrf()
        if request.endpoint != "importer.login" and not logged_in():
            if request.method == "GET":
                return redirect(url_for("importer.login"))
            abort(403)

    def check_origin():
        origin = request.headers.get("Origin")
        if origin and origin != "null" and origin.rstrip("/") != request.host_url.rstrip("/"):
            abort(403)

    def check_csrf():
        sent, expected = request.form.get("csrf_token", ""), session.get("csrf", "")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            abort(400)

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return page("import_login.html")
        client = request.remote_addr or "?"
        if throttle.blocked(client):
            log.warning("import login refused: too many failures from %s", client)
            abort(429)
        user, password = request.form.get("user", ""), request.form.get("password", "")
        user_ok = hmac.compare_digest(user.encode(), settings.admin_user.encode())
        password_ok = check_password_hash(settings.admin_password_hash if user_ok else dummy_hash, password)
        if not (user_ok and password_ok):
            throttle.failed(client)
            log.warning("import login failed from %s", client)
            return page("import_login.html", 401, message=text["bad_login"])
        session.clear()  # a fresh session (and CSRF token) after login: no fixation
        session["user"], session["login_at"] = settings.admin_user, time.time()
        log.info("import login: %s from %s", user, client)
        return redirect(url_for("importer.upload"))

    @bp.post("/logout")
    def logout():
        discard(session.get("pending"))
        session.clear()
        return redirect(url_for("importer.login"))

    # --- Upload, preview, confirm, cancel ------------------------------------------------------

    @bp.get("/")
    def upload():
        return page("import_upload.html", today=dt.date.today().isoformat(), statuses=STATUSES, form={})

    @bp.post("/preview")
    def preview():
        form = {k: request.form.get(k, "").strip()[:500] for k in ("vintage", "status", *_FIELDS)}

        def refuse(message):
            return page("import_upload.html", 400, message=message, today=dt.date.today().isoformat(),
                        statuses=STATUSES, form=form)

        upload = request.files.get("document")
        if upload is None or not upload.filename:
            return refuse(text["no_file"])
        name = display_name(upload.filename)
        if name is None:
            return refuse(text["bad_type"].format(types=", ".join(ALLOWED_SUFFIXES)))
        data = upload.stream.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            return refuse(text["too_big"].format(limit=settings.max_upload_mb))
        try:
            prepare_options(form)
        except ValueError as exc:
            return refuse(str(exc))
        discard(session.pop("pending", None))
        token = stage(data, name, form)
        return show_preview(token)

    @bp.post("/confirm")
    def confirm():
        token = pending_token()
        if token is None:
            return page("import_message.html", 409, message=text["expired"])
        result = read_staged(token)
        if isinstance(result, Response):
            return result
        preview_, path = result
        if fingerprint(preview_) != request.form.get("fingerprint"):
            return show_preview(token, notice=text["stale"])
        try:
            written = commit(preview_, store, path)
        except DataError as exc:
            log.warning("import commit refused: %s", exc)
            discard(session.pop("pending", None))
            return page("import_preview.html", 422, error=exc.as_dict(), where=exc.where(), name=preview_.record.file)
        discard(session.pop("pending", None))
        record = preview_.record
        if written:
            log.info("import: %s wrote source %s (sha256 %s), vintage %s", session.get("user"),
                     record.source_id, record.sha256, record.vintage)
            flash(text["written"].format(vintage=format_date(record.vintage, settings.language), source=record.source_id))
        else:
            flash(text["already"].format(source=record.source_id))
        return redirect(url_for("importer.upload"))

    @bp.post("/cancel")
    def cancel():
        discard(session.pop("pending", None))
        flash(text["cancelled"])
        return redirect(url_for("importer.upload"))

    @bp.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        return page("import_upload.html", 413, message=text["too_big"].format(limit=settings.max_upload_mb),
                    today=dt.date.today().isoformat(), statuses=STATUSES, form={})

    # --- Helpers -------------------------------------------------------------------------------

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    def pending_token() -> str | None:
        token, sent = session.get("pending"), request.form.get("token", "")
        if not token or not _TOKEN.fullmatch(token) or not hmac.compare_digest(token, sent):
            return None
        return token

    def prepare_options(form: dict) -> dict:
        options = {k: (form[k] or None) for k in _FIELDS}
        for key in ("vintage",):
            if form[key]:
                try:
                    options[key] = dt.date.fromisoformat(form[key])
                except ValueError:
                    raise ValueError(text["bad_date"].format(field=text[key])) from None
        options["status"] = form["status"] if form["status"] in STATUSES else "definitief"
        return options

    def stage(data: bytes, name: str, form: dict) -> str:
        """Keep the upload under a random name until it is confirmed or cancelled."""
        staging.mkdir(mode=0o700, parents=True, exist_ok=True)
        sweep()
        token = secrets.token_hex(16)
        atomic_write_bytes(staging / f"{token}{Path(name).suffix}", data)
        meta = {"name": name, "form": form, "user": session.get("user"), "uploaded": time.time()}
        atomic_write_bytes(staging / f"{token}.json", json.dumps(meta).encode())
        session["pending"] = token
        return token

    def staged_path(token: str) -> Path | None:
        return next((p for p in staging.glob(f"{token}.*") if p.suffix in ALLOWED_SUFFIXES), None)

    def read_staged(token: str):
        """(preview, path) for a staged upload, or the response that explains why there is none."""
        meta_path, path = staging / f"{token}.json", staged_path(token)
        if path is None or not meta_path.exists():
            session.pop("pending", None)
            return page("import_message.html", 409, message=text["expired"])
        meta = json.loads(meta_path.read_text())
        try:
            return prepare(path, store, catalog=catalog, max_bytes=settings.max_upload_bytes,
                           display_name=meta["name"], **prepare_options(meta["form"])), path
        except Exception as exc:  # noqa: BLE001 - any failure to read is the document's, shown as such
            discard(token)
            session.pop("pending", None)
            if isinstance(exc, DataError):
                error = {k: scrub(v, path, meta["name"]) for k, v in exc.as_dict().items()}
                where = scrub(exc.where(), path, meta["name"])
            else:  # a reader's own failure: logged in full, shown without internals
                log.exception("import: reading %s failed", meta["name"])
                error, where = {"message": text["unreadable"]}, ""
            return page("import_preview.html", 422, error=error, where=where, name=meta["name"])

    def show_preview(token: str, notice: str | None = None):
        result = read_staged(token)
        if isinstance(result, Response):
            return result
        preview_, _path = result
        rows = [preview_row(r) for r in preview_.changes.itertuples()]
        skipped = preview_.document.skipped if preview_.document else []
        return page("import_preview.html", preview=preview_, rows=rows, counts=preview_.counts, token=token,
                    fingerprint=fingerprint(preview_), skipped=skipped, notice=notice,
                    name=json.loads((staging / f"{token}.json").read_text())["name"],
                    vintage=format_date(preview_.record.vintage, settings.language))

    def preview_row(row) -> dict:
        indicator = catalog.indicators.get(row.indicator_id)
        lang = settings.language
        return {
            "indicator": indicator.short_label(lang) if indicator else row.indicator_id,
            "indicator_id": row.indicator_id,
            "period": format_period(row.period_start, row.period_end, lang),
            "old": format_number(row.old_value, lang) if row.change == "revised" else "",
            "value": format_number(row.new_value, lang),
            "change": row.change,
            "label": text[row.change],
        }

    def discard(token: str | None) -> None:
        if token and _TOKEN.fullmatch(token):
            for p in staging.glob(f"{token}.*"):
                p.unlink(missing_ok=True)

    def sweep() -> None:
        """Forget uploads that were never confirmed or cancelled."""
        cutoff = time.time() - STAGED_LIFETIME.total_seconds()
        for p in staging.iterdir():
            try:
                if p.stat().st_mtime < cutoff:
                    p.unlink()
            except FileNotFoundError:  # another worker swept it first
                pass

    return bp


def display_name(filename: str) -> str | None:
    """The upload's name as shown and recorded: no folders, ASCII-safe; None for a refused type.

    Only ever a label: files are stored under names the server chooses.
    """
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return None
    stem = secure_filename(Path(filename.replace("\\", "/")).stem)[:80] or "document"
    return f"{stem}{suffix}"


def scrub(value, path: Path, name: str):
    """An error text with the staged file's path replaced by the name the user knows."""
    if not isinstance(value, str):
        return value
    return value.replace(str(path), name).replace(str(path.parent), "").replace(path.name, name)


def fingerprint(preview: Preview) -> str:
    """What a preview promised: the document and every change; confirm writes only if still the same."""
    digest = hashlib.sha256(preview.record.model_dump_json().encode())
    digest.update(preview.changes.to_csv(index=False).encode())
    digest.update((preview.already_ingested or "").encode())
    return digest.hexdigest()
