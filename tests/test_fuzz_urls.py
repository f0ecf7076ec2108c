"""URL fuzzing: random and hostile query strings against the running app, through its test client.

The page itself and the callbacks a browser sends for an address (``sync``, which parses the URL
with ``dashboard.state.from_query``; ``render`` and ``words``, which draw the view) must answer
without a 5xx and without a traceback, whatever the link holds. Bounded and derandomized.
"""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import create_app
from dashboard.settings import Settings
from dashboard.state import OLD_PARAMETERS, PARAMETERS, from_query

from .conftest import ROOT

HOSTILE = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd", "%00", "\x00", "' OR '1'='1", "${7*7}", "{{7*7}}", "__class__", "1e309", "-1", "NaN",
    "inf", "9999-99-99", "0000-00-00", "0001-01-01", "9999-12-31", "2026-02-30", "1900", "99999", "20260602",
    "2026-06-02T00:00:00Z", "\u202e2026", "𝟚𝟘𝟚𝟞", "ﬀ", "é" * 50, "," * 200, "x" * 5000, "%", "%%", "%zz", "+", "&", "=",
    "zeden_voorraad,zeden_voorraad", "zeden_voorraad,misdrijven_totaal", "misdrijven_totaal", "level", "ratio",
    "index", "presentation", "true", "0", "1", "yes", "EN", "nl-NL", "",
]
NAMES = [*PARAMETERS, *OLD_PARAMETERS, "TABLE", " mode", "mode ", "x", "__proto__", "constructor", "q[]", "a.b", ""]

_value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.text(alphabet="0123456789-,.*/ ", max_size=12))
_pair = st.tuples(st.sampled_from(NAMES), _value)


@st.composite
def query_strings(draw) -> str:
    """A query string as a browser would send it: '?' and then encoded, raw or half-encoded pairs."""
    pairs = draw(st.lists(_pair, max_size=12))
    how = draw(st.sampled_from(["encoded", "raw", "separators", "text"]))
    if how == "text":
        return "?" + draw(st.text(max_size=300))
    if how == "encoded":
        body = "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in pairs)
    elif how == "raw":
        body = "&".join(f"{n}={v}" for n, v in pairs)
    else:
        seps = draw(st.lists(st.sampled_from(["&", ";", "&&", "=", "?", "#"]), min_size=len(pairs), max_size=len(pairs)))
        body = "".join(f"{n}={v}{s}" for (n, v), s in zip(pairs, seps))
    return "?" + body


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Client:
    """The app's test client, and the callback requests a browser sends for an address."""

    def __init__(self):
        self.app = create_app(Settings.from_env({}), warm=False)
        self.http = self.app.server.test_client()
        assert self.http.get("/").status_code == 200  # Dash registers its callbacks at the first request

    def _key(self, needle: str) -> str:
        return next(k for k in self.app.callback_map if needle in k)

    def call(self, needle: str, values: dict, changed: str):
        """POST a callback whose output includes ``needle``, inputs and state from ``values`` (else None)."""
        key = self._key(needle)
        spec = self.app.callback_map[key]
        outputs = [{"id": i, "property": p} for i, p in (o.rsplit(".", 1) for o in key.strip(".").split("..."))]
        body = {
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in spec["inputs"]],
            "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in spec["state"]],
            "changedPropIds": [changed],
        }
        return self.http.post("/_dash-update-component", json=body)


@pytest.fixture(scope="module")
def client():
    return Client()


def assert_answered(response, what: str):
    text = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code} {text[:300]}"
    for leak in ("Traceback", 'File "', str(ROOT), "site-packages"):
        assert leak not in text, f"{what}: the response shows {leak!r}"


def view_of(response) -> str:
    """The canonical query string the sync callback made of an address."""
    return json.loads(response.get_data(as_text=True))["response"]["view"]["data"]


@fuzz(1000)
@given(query=query_strings())
def test_any_address_is_read_into_a_valid_view(client, query):
    page = client.http.get("/" + query.replace("#", "%23"))
    assert_answered(page, "page")
    r = client.call("url.search", {"url.search": query}, "url.search")
    assert_answered(r, "sync")
    assert r.status_code == 200
    view = view_of(r)
    # The app's own link for the view reads back cleanly: nothing hostile survives into it.
    state, notices = from_query(view)
    assert notices == [], f"{query!r} became {view!r}, which is not clean: {notices}"
    assert "<" not in view and "\x00" not in view


@fuzz(60)
@given(query=query_strings(), width=st.one_of(st.none(), st.integers(-10**6, 10**6), st.sampled_from(["wide", 1e308])))
def test_drawing_any_address_answers(client, query, width):
    """render and words get the view from the browser: a client can send them anything."""
    r = client.call("chart.figure", {"sized-view.data": {"query": query, "width": width}}, "sized-view.data")
    assert_answered(r, "render")
    assert r.status_code == 200 and '"chart"' in r.get_data(as_text=True)
    r = client.call("panel-sentences.children", {"view.data": query}, "view.data")
    assert_answered(r, "words")
    assert r.status_code == 200
