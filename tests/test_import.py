"""Import from the browser: login, CSRF, limits, preview/confirm/cancel, and hostile file names."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
import re

import pandas as pd
import pytest
from werkzeug.security import generate_password_hash

from analysis.store import Store
from dashboard.app import create_app
from dashboard.settings import Settings

from .conftest import LETTER

USER, PASSWORD = "redactie", "zeven lange woorden hier"
SECRET = "s" * 48
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:2000")  # cheap for tests; scrypt by default
# A December letter as a long CSV: one new snapshot, one revision, one unchanged value.
NEW_CSV = (b"indicator_id,period,value\n"
           b"zeden_voorraad,2026-12-02,3500\n"
           b"zeden_voorraad,2026-06-02,3410\n"
           b"zeden_aangiftes,2026-06-02,1676\n")


def import_settings(store: Store, **overrides) -> Settings:
    values = dict(import_enabled=True, admin_user=USER, admin_password_hash=PASSWORD_HASH, secret_key=SECRET,
                  store_dir=store.dir)
    values.update(overrides)
    return Settings.from_env({}, **values)


@pytest.fixture
def app(store_copy):
    return create_app(import_settings(store_copy))


def csrf_of(client, path="/import/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client, password=PASSWORD, user=USER):
    return client.post("/import/login", data={"user": user, "password": password, "csrf_token": csrf_of(client)})


@pytest.fixture
def client(app):
    c = app.server.test_client()
    assert log_in(c).status_code == 302
    return c


def upload(client, data: bytes = NEW_CSV, name: str = "december.csv", vintage: str = "2026-12-18", **fields):
    form = {"csrf_token": csrf_of(client, "/import/"), "vintage": vintage, "status": "definitief",
            "document": (io.BytesIO(data), name), **fields}
    return client.post("/import/preview", data=form, content_type="multipart/form-data")


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def confirm(client, preview_page: str):
    return client.post("/import/confirm", data={"csrf_token": hidden(preview_page, "csrf_token"),
                                                 "token": hidden(preview_page, "token"),
                                                 "fingerprint": hidden(preview_page, "fingerprint")})


def snapshot(data_dir) -> dict[str, str]:
    """Every file under the data folder with its checksum (uploads in waiting excluded)."""
    return {str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data_dir.rglob("*")) if p.is_file() and ".uploads" not in p.parts and p.name != ".lock"}


def staged(store: Store) -> list:
    folder = store.dir.parent / ".uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- Access ------------------------------------------------------------------------------------


def test_every_import_route_refuses_without_login(app, store_copy):
    before = snapshot(store_copy.dir.parent)
    c = app.server.test_client()
    r = c.get("/import/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/import/login")
    token = csrf_of(c)  # a valid CSRF token, but no login
    for path in ("/import/preview", "/import/confirm", "/import/cancel", "/import/logout"):
        r = c.post(path, data={"csrf_token": token, "token": "0" * 32, "document": (io.BytesIO(NEW_CSV), "x.csv")},
                   content_type="multipart/form-data")
        assert r.status_code == 403, path
        assert "Traceback" not in r.get_data(as_text=True)
    assert snapshot(store_copy.dir.parent) == before and staged(store_copy) == []


def test_a_post_without_the_csrf_token_or_from_another_site_is_refused(client, store_copy):
    form = {"vintage": "2026-12-18", "document": (io.BytesIO(NEW_CSV), "d.csv")}
    assert client.post("/import/preview", data=dict(form), content_type="multipart/form-data").status_code == 400
    bad = {**form, "document": (io.BytesIO(NEW_CSV), "d.csv"), "csrf_token": "forged"}
    assert client.post("/import/preview", data=bad, content_type="multipart/form-data").status_code == 400
    good = {**form, "document": (io.BytesIO(NEW_CSV), "d.csv"), "csrf_token": csrf_of(client, "/import/")}
    r = client.post("/import/preview", data=good, content_type="multipart/form-data",
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert staged(store_copy) == []


def test_a_wrong_login_is_refused_and_repeated_failures_are_throttled(app):
    c = app.server.test_client()
    r = log_in(c, password="wrong")
    assert r.status_code == 401 and "klopt niet" in r.get_data(as_text=True)
    assert log_in(c, user="admin").status_code == 401  # unknown user: the same answer
    for _ in range(3):
        assert log_in(c, password="wrong again").status_code == 401
    assert log_in(c).status_code == 429  # even the right password, until the window has passed
    assert c.get("/import/").status_code == 302


def test_login_cookie_is_httponly_and_samesite(app):
    c = app.server.test_client()
    r = log_in(c)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert r.headers["Location"].endswith("/import/")


def test_logout_ends_the_login(client):
    token = csrf_of(client, "/import/")
    assert client.post("/import/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/import/").status_code == 302


# --- Preview, confirm, cancel ------------------------------------------------------------------


def test_preview_then_confirm_writes_a_new_vintage_and_archives_the_upload(client, store_copy):
    before = snapshot(store_copy.dir.parent)
    r = upload(client)
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "1 nieuw" in page and "1 herzien" in page and "1 ongewijzigd" in page
    assert "3.400" in page and "3.410" in page and "3.500" in page
    assert hashlib.sha256(NEW_CSV).hexdigest() in page
    assert snapshot(store_copy.dir.parent) == before  # a preview writes nothing

    r = confirm(client, page)
    assert r.status_code == 302
    assert "Geschreven" in client.get("/import/").get_data(as_text=True)
    store = Store(store_copy.dir)
    assert dt.date(2026, 12, 18) in store.vintages()
    latest = store.series("zeden_voorraad")
    assert latest[pd.Timestamp("2026-12-02")] == 3500
    assert latest[pd.Timestamp("2026-06-02")] == 3410
    assert store.series("zeden_voorraad", as_of="2026-07-01")[pd.Timestamp("2026-06-02")] == 3400  # kept
    after = snapshot(store_copy.dir.parent)
    added = sorted(set(after) - set(before))
    assert len(added) == 2 and all(p.startswith("sources/december-") for p in added)
    archived = next(p for p in added if p.endswith(".csv"))
    assert after[archived] == hashlib.sha256(NEW_CSV).hexdigest()
    manifest = (store_copy.dir.parent / next(p for p in added if p.endswith(".source.yml"))).read_text()
    assert hashlib.sha256(NEW_CSV).hexdigest() in manifest
    assert staged(store_copy) == []


def test_cancel_leaves_everything_as_it_was(client, store_copy):
    before = snapshot(store_copy.dir.parent)
    page = upload(client).get_data(as_text=True)
    assert staged(store_copy)
    r = client.post("/import/cancel", data={"csrf_token": hidden(page, "csrf_token")})
    assert r.status_code == 302
    assert "niets geschreven" in client.get("/import/").get_data(as_text=True)
    assert snapshot(store_copy.dir.parent) == before and staged(store_copy) == []
    assert confirm(client, page).status_code == 409  # the cancelled preview cannot be confirmed after all


def test_a_bad_document_shows_the_error_with_row_and_cell_and_writes_nothing(client, store_copy):
    before = snapshot(store_copy.dir.parent)
    r = upload(client, b"indicator_id,period,value\nzeden_voorraad,2026-12-02,3500\nzeden_aangiftes,2026-12-02,veel\n",
               name="fout.csv")
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "fout.csv" in page and "line 3" in page and "column 3" in page and "&#39;veel&#39; is not a number" in page
    assert ".uploads" not in page and str(store_copy.dir) not in page
    assert snapshot(store_copy.dir.parent) == before and staged(store_copy) == []


def test_the_bundled_letter_is_recognised_as_already_stored(client, store_copy):
    before = snapshot(store_copy.dir.parent)
    page = upload(client, LETTER.read_bytes(), name=LETTER.name).get_data(as_text=True)
    assert "staat al in de gegevens als bron halfjaarbericht-politie-2026-juni" in page
    assert 'id="confirm"' not in page
    assert snapshot(store_copy.dir.parent) == before


def test_confirm_in_another_worker_works(store_copy):
    """gunicorn runs several processes: the preview must not live in one worker's memory."""
    first, second = (create_app(import_settings(store_copy)).server.test_client() for _ in range(2))
    log_in(first)
    page = upload(first).get_data(as_text=True)
    second.set_cookie("police_stats_session", first.get_cookie("police_stats_session").value)
    assert confirm(second, page).status_code == 302
    assert dt.date(2026, 12, 18) in Store(store_copy.dir).vintages()


def test_a_preview_gone_stale_is_shown_again_not_written(client, store_copy, tmp_path):
    page = upload(client).get_data(as_text=True)
    other = tmp_path / "ander.csv"
    other.write_bytes(b"indicator_id,period,value\nzeden_voorraad,2026-06-02,3420\n")
    from analysis.ingest import commit, prepare

    commit(prepare(other, store_copy, vintage=dt.date(2026, 11, 1)), store_copy, other)
    before = snapshot(store_copy.dir.parent)
    r = confirm(client, page)
    again = r.get_data(as_text=True)
    assert r.status_code == 200 and "veranderd sinds het voorbeeld" in again
    assert "3.420" in again  # the new preview compares with the value written in between
    assert snapshot(store_copy.dir.parent) == before


# --- Limits and hostile uploads ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["model.pkl", "store.parquet", "run.exe", "letter.docm", "noextension"])
def test_only_document_types_are_accepted(client, store_copy, name):
    r = upload(client, NEW_CSV, name=name)
    assert r.status_code == 400 and "worden aanvaard" in r.get_data(as_text=True)
    assert staged(store_copy) == []


def test_size_limit(store_copy):
    c = create_app(import_settings(store_copy, max_upload_mb=1)).server.test_client()
    log_in(c)
    just_over = NEW_CSV + b"#" * (1024 * 1024)
    r = upload(c, just_over)
    assert r.status_code == 400 and "groter dan 1 MB" in r.get_data(as_text=True)
    way_over = b"x" * (3 * 1024 * 1024)  # beyond the request limit: refused before it is read
    r = upload(c, way_over)
    assert r.status_code == 413 and "groter dan 1 MB" in r.get_data(as_text=True)
    assert staged(store_copy) == []


def test_a_pickle_is_never_unpickled(client, store_copy, tmp_path):
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return open, (str(marker), "w")

    r = upload(client, pickle.dumps(Exploit()), name="data.csv")
    assert r.status_code == 422
    assert not marker.exists()


@pytest.mark.parametrize("name", [
    "../../store/observations.csv",
    "..\\..\\store\\observations.csv",
    "/etc/cron.d/evil.csv",
    "....//....//sources/cbs-persberichten-cijfers.csv",
    "cbs-persberichten-cijfers.csv",  # the name of a bundled source, other content
    "halfjaarbericht-politie-2026-bijlage-moties-toezeggingen.source.yml.csv",
    "%2e%2e%2fstore%2fx.csv",
    "\x00evil.csv",
])
def test_an_uploaded_name_cannot_choose_where_anything_is_written(client, store_copy, name):
    data_dir = store_copy.dir.parent
    before = snapshot(data_dir)
    page = upload(client, NEW_CSV, name=name).get_data(as_text=True)
    assert confirm(client, page).status_code == 302
    after = snapshot(data_dir)
    changed = {p for p in before if after.get(p) != before[p]}
    assert changed == {"store/observations.parquet"}  # no source overwritten
    added = sorted(set(after) - set(before))
    assert len(added) == 2 and all(re.fullmatch(r"sources/[a-z0-9-]+\.(csv|source\.yml)", p) for p in added), added
    assert not any(p.name == "evil.csv" for p in data_dir.parent.rglob("*"))


def test_the_import_pages_words_live_in_i18n_with_the_rest_of_the_ui():
    """One place for UI strings: importer.py and server.py hold none of their own (Dutch or English)."""
    import ast
    from pathlib import Path

    from dashboard.i18n import STRINGS, strings

    words = {text for texts in STRINGS.values() for text in texts.values() if " " in text}  # not field names
    for module in ("importer.py", "server.py"):
        tree = ast.parse((Path(__file__).parent.parent / "dashboard" / module).read_text())
        literals = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert not literals & words, f"{module} repeats UI strings: {sorted(literals & words)[:5]}"
    for prefix in ("import_", "error_"):
        nl, en = strings(prefix, "nl"), strings(prefix, "en")
        assert nl.keys() == en.keys() and len(nl) > 5
        assert all(nl[k] and en[k] for k in nl)


def test_the_login_page_speaks_the_configured_language(store_copy):
    from dashboard.i18n import strings

    for lang, word in (("nl", "Wachtwoord"), ("en", "Password")):
        app = create_app(import_settings(store_copy, language=lang), warm=False)
        page = app.server.test_client().get("/import/login").get_data(as_text=True)
        assert word in page and strings("import_", lang)["password"] == word
