"""What running for real needs around the Dash app: security headers, /healthz, error pages.

``create_app`` calls ``configure(app, settings, store)`` once; everything here works on the Flask
server underneath Dash and never touches the layout or callbacks.
"""
from __future__ import annotations

import logging
import os

from dash import Dash
from dash.exceptions import DependencyException, InvalidResourceError
from flask import Blueprint, Flask, abort, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from analysis.store import Store

from .i18n import LANGS, strings
from .settings import Settings

log = logging.getLogger(__name__)

# Files of the plain (non-Dash) pages: error pages and the import. Not in Dash's assets folder,
# whose CSS Dash would add to every dashboard page.
site = Blueprint("site", __name__, template_folder="templates", static_folder="static", static_url_path="/_site")

def configure(app: Dash, settings: Settings, store: Store) -> None:
    """Harden the app's server and add /healthz, error pages and (when enabled) the import."""
    server = app.server
    server.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_NAME="police_stats_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        # The upload plus a few form fields; Flask answers 413 beyond this, before reading it all.
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 64 * 1024,
        MAX_FORM_MEMORY_SIZE=64 * 1024,
    )
    server.register_blueprint(site)
    add_security_headers(app, settings)
    server.before_request(lambda: check_callback_request(app))
    server.before_request(lambda: reject_unknown_page(app))
    server.add_url_rule("/healthz", "healthz", lambda: healthz(store))
    if not settings.debug:  # in debug mode Dash's dev tools show the traceback, on purpose
        add_error_pages(server, settings)
    if settings.import_enabled:
        from .importer import register_import

        register_import(server, settings, store)
    else:  # a clear 404, not Dash's catch-all page, so nobody mistakes it for a hidden import
        server.add_url_rule("/import", "import_off", _not_found, methods=["GET", "POST"])
        server.add_url_rule("/import/<path:_rest>", "import_off_rest", _not_found, methods=["GET", "POST"])
    if settings.secret_key_generated and "gunicorn" in os.environ.get("SERVER_SOFTWARE", ""):
        log.warning("POLICE_STATS_SECRET_KEY is not set: this worker signs logins with its own random key, "
                    "so a login made in one worker is unknown to the others. Set POLICE_STATS_SECRET_KEY.")


def _not_found(**_kwargs):
    abort(404)


# --- Headers -----------------------------------------------------------------------------------


def content_security_policy(app: Dash, settings: Settings) -> str:
    """The CSP: scripts only from the app itself plus Dash's own inline scripts, by hash.

    Plotly and Dash's components add ``<style>`` elements at run time, so styles need
    'unsafe-inline'; scripts, the dangerous half, do not. Image export and the mode bar's
    "download as PNG" use data: and blob: images.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *app.csp_hashes()],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": settings.frame_ancestors.split(),
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_security_headers(app: Dash, settings: Settings) -> None:
    policy = {}  # built at the first response: csp_hashes must see every clientside callback

    def headers(response):
        if "csp" not in policy:
            policy["csp"] = content_security_policy(app, settings)
        h = response.headers
        h.setdefault("Content-Security-Policy", policy["csp"])
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        legacy = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(settings.frame_ancestors)
        if legacy:  # for browsers without frame-ancestors; it cannot express a list of origins
            h["X-Frame-Options"] = legacy
        return response

    app.server.after_request(headers)


def check_callback_request(app: Dash):
    """Refuse a callback request that is not shaped like Dash's own with 400, not a 500 from deep inside.

    So that a 500 from a callback always means a bug worth reading in the log.
    """
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    body = request.get_json(silent=True)
    if not (
        isinstance(body, dict)
        and isinstance(body.get("output"), str)
        and body["output"] in app.callback_map
        and isinstance(body.get("outputs"), (list, dict))
        and isinstance(body.get("inputs"), list)
        and isinstance(body.get("state", []), list)
        and isinstance(body.get("changedPropIds", []), list)
    ):
        abort(400)
    return None


def reject_unknown_page(app: Dash):
    """404 for a path that is no page of ours, instead of Dash's catch-all answering it with the
    dashboard (Dash routes every path to its index, for multi-page apps; this app has one page).

    ``/`` with any query string is the dashboard, as ever; an unknown path is a mistyped link.
    """
    rule = request.url_rule
    if rule is not None and rule.rule == app.config.routes_pathname_prefix + "<path:path>":
        abort(404)
    return None


# --- /healthz ----------------------------------------------------------------------------------


def healthz(store: Store):
    """The store's latest vintage and size, so a monitor sees that the data, not just the process, is there."""
    try:
        vintages = store.vintages()
        body = {
            "status": "ok",
            "latest_vintage": vintages[-1].isoformat() if vintages else None,
            "vintages": len(vintages),
            "rows": store.row_count(),  # from the file's footer: nothing is read
            "sources": len(store.sources),
        }
        status = 200
    except Exception:  # noqa: BLE001 - a health check reports, it does not crash
        log.exception("health check: the store cannot be read")
        body, status = {"status": "error", "error": "the store cannot be read"}, 503
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Error pages -------------------------------------------------------------------------------


def wants_json() -> bool:
    """Dash's own requests (callbacks, layout) and API clients get JSON, people get a page."""
    if request.path.startswith(("/_dash-", "/healthz")) or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(status: int, settings: Settings, message: str | None = None):
    language = request.args.get("lang") if request.args.get("lang") in LANGS else settings.language
    text = strings("error_", language)
    message = message or text.get(str(status), text["other"])
    if wants_json():
        response = jsonify({"error": {"status": status, "message": message}})
    else:
        response = make_response(render_template("error.html", status=status, message=message, text=text, lang=language))
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def add_error_pages(server: Flask, settings: Settings) -> None:
    """Friendly pages for every error: no traceback, no file path, no reflected input."""

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:  # redirects and the like pass through unchanged
            return exc
        response = error_response(exc.code, settings)
        for name in ("Allow", "Retry-After"):
            if exc.get_response().headers.get(name):
                response.headers[name] = exc.get_response().headers[name]
        return response

    @server.errorhandler(InvalidResourceError)
    @server.errorhandler(DependencyException)
    def missing_resource(exc):  # Dash echoes the requested name back as HTML, or fails with a 500
        return error_response(404, settings)

    @server.errorhandler(Exception)
    def crash(exc: Exception):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(InternalServerError.code, settings)
