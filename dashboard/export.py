"""Image export of a dashboard view: PNG at 2x or 3x, SVG and PDF, in the presets of ``figures.PRESETS``.

The image is the dashboard's own chart (``figures.chart_spec`` with a preset's size and type), drawn
by kaleido in the system Chromium, so fonts, number formats and language are those of the screen.
One kaleido server per process, started at the first export and stopped at exit; exports take
turns on it (kaleido's sync server answers one caller at a time).

The batch command exports every chart of a letter from a file of dashboard links, one per line
(only a link's query string matters, so links copied from any host work)::

    python -m dashboard.export VIEWS --out DIR [--preset letter|slide] [--format png|svg|pdf] [--scale 2|3]

A bad link is reported and skipped, the others are exported; the exit status is 1 if any failed.
"""
from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import struct
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pandas as pd

from analysis.catalog import Catalog
from analysis.files import atomic_write_bytes
from analysis.store import Store

from .data import view_data
from .figures import PRESETS, chart_spec
from .state import ViewState, from_query, indicator_ids, ratio_id

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
SCALES = (2, 3)
DEFAULT_PRESET, DEFAULT_SCALE = "letter", 2
# How many pixels per inch a preset's 1x image is meant for, written into the PNG so that Word
# places a letter chart at 16 cm and PowerPoint a slide chart across a 13.33-inch 16:9 slide.
PIXELS_PER_INCH = {"letter": 120, "slide": 144}
# Export options a link may carry besides the view (the dashboard's export links do).
OPTIONS = ("preset", "scale")
MAX_STEM = 120
RENDER_TIMEOUT = 90  # seconds kaleido may take for one image


class ExportError(ValueError):
    """A request that cannot be exported as asked; the message names the parameter or line."""


class ExportUnavailable(RuntimeError):
    """No browser to draw with (Chromium missing or not starting)."""


@dataclass(frozen=True)
class ExportRequest:
    """One image to make: a view, a format, a preset and (PNG only) a scale."""

    state: ViewState
    fmt: str = "png"
    preset: str = DEFAULT_PRESET
    scale: int = DEFAULT_SCALE


# --- Reading requests ----------------------------------------------------------------------


def read_request(query: str, fmt: str = "png", catalog: Catalog | None = None, preset: str | None = None,
                 scale: int | None = None) -> ExportRequest:
    """An export request from a dashboard link's query string, plus ``preset`` and ``scale``.

    ``preset``/``scale`` in the query win over the arguments (the dashboard's export links carry
    them). Anything the dashboard would ignore with a notice is an error here: an export must show
    what was asked, not the default view.
    """
    if fmt not in FORMATS:
        raise ExportError(f"format '{fmt}': choose from {', '.join(FORMATS)}")
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True)
    options = {name.strip().lower(): value.strip() for name, value in pairs if name.strip().lower() in OPTIONS}
    view_query = urlencode([(n, v) for n, v in pairs if n.strip().lower() not in OPTIONS], safe=",")
    preset = options.get("preset", preset or DEFAULT_PRESET)
    if preset not in PRESETS:
        raise ExportError(f"preset '{preset}': choose from {', '.join(PRESETS)}")
    scale_text = options.get("scale", str(scale or DEFAULT_SCALE))
    if scale_text.removesuffix("x") not in {str(s) for s in SCALES}:
        raise ExportError(f"scale '{scale_text}': choose from {', '.join(str(s) for s in SCALES)}")
    return ExportRequest(read_view(view_query, catalog), fmt, preset, int(scale_text.removesuffix("x")))


def read_view(query: str | None, catalog: Catalog | None = None) -> ViewState:
    """The view a link asks for, as a file shows it (``view=explore``): the export and download routes.

    Raises ``ExportError`` when the link does not say exactly what to show (any notice).
    """
    state, notices = from_query(query, catalog)
    if notices:
        raise ExportError("the link does not say exactly what to show: " + " ".join(n.text("en") for n in notices))
    return state.replace(view="explore")


def link_query(link: str) -> str:
    """The query string of a dashboard link from any host: ``https://host/path?q``, ``/?q`` or ``?q``."""
    link = link.strip()
    parts = urlsplit(link)
    if link.startswith(("?", "/")) or (parts.scheme in ("http", "https") and parts.netloc):
        return parts.query
    raise ExportError(f"'{link[:60]}' is not a dashboard link (expected http(s)://host/?..., /?... or ?...)")


# --- Naming --------------------------------------------------------------------------------


def file_stem(state: ViewState, data: pd.DataFrame, catalog: Catalog | None = None) -> str:
    """What a file of this view is called: indicator(s), mode, reference date, language (ASCII).

    ``zeden_voorraad_level_2026-06-02_nl``; several indicators are joined with ``+`` (more than
    three: the table and their number); ``_asof-2024-12-31`` is added for figures as published then.
    The modebar's PNG (``app.Callbacks._draw``) has the same name.
    """
    keys = list(dict.fromkeys(data["indicator_id"])) if len(data) else []
    if not keys and catalog is not None:
        keys = [ratio_id(state, catalog)] if state.mode == "ratio" else list(indicator_ids(state, catalog))
    what = "+".join(keys) if 0 < len(keys) <= 3 else f"{state.table}-{len(keys)}"
    last = pd.Timestamp(data["period_end"].max()).strftime("%Y-%m-%d") if len(data) else "no-data"
    stem = f"{what}_{state.mode}_{last}_{state.lang}"
    if state.asof:
        stem += f"_asof-{state.asof.isoformat()}"
    return ascii_name(stem)[:MAX_STEM]


def ascii_name(text: str) -> str:
    """Letters, digits, ``_``, ``-``, ``+`` and ``.`` only: safe on every file system and in a header."""
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", text).strip("-.") or "chart"


def file_name(request: ExportRequest, data: pd.DataFrame, catalog: Catalog | None = None) -> str:
    """``<stem>_<preset>[_<scale>x].<format>``, e.g. ``zeden_voorraad_level_2026-06-02_nl_letter_2x.png``."""
    scale = f"_{request.scale}x" if request.fmt == "png" else ""
    return f"{file_stem(request.state, data, catalog)}_{request.preset}{scale}.{request.fmt}"


# --- Drawing ---------------------------------------------------------------------------------


def export_image(request: ExportRequest, store: Store, catalog: Catalog) -> tuple[bytes, str, list[str]]:
    """The image of a request: (bytes, file name, notices about what the view could not do)."""
    spec = chart_spec(request.state, store, catalog, preset=request.preset)
    preset = PRESETS[request.preset]
    image = render(spec, request.fmt, preset.width, preset.height, request.scale if request.fmt == "png" else 1)
    if request.fmt == "png":
        image = with_resolution(image, PIXELS_PER_INCH[request.preset] * request.scale)
    name = file_name(request, view_data(request.state, store, catalog), catalog)
    return image, name, list(spec["layout"].get("meta", {}).get("notices", []))


_lock = threading.Lock()
_started = False


def chromium_path() -> str | None:
    """The browser kaleido draws with: ``BROWSER_PATH``, else the system Chromium; never a download."""
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _ensure_server() -> None:
    """Start kaleido's server once per process (and again if its thread died); stop it at exit."""
    global _started
    import kaleido
    import plotly.io as pio

    server = kaleido._global_server  # noqa: SLF001  (its thread tells whether it still runs)
    if _started and server.is_running() and server._thread.is_alive():  # noqa: SLF001
        return
    if server.is_running():
        kaleido.stop_sync_server(silence_warnings=True)
    browser = chromium_path()
    if browser is None:
        raise ExportUnavailable("no Chromium to draw with: install it (apt-get install chromium) or set BROWSER_PATH")
    os.environ.setdefault("BROWSER_PATH", browser)
    pio.defaults.headers = None  # else every export warns that the server ignores them
    kaleido.start_sync_server(mathjax=False, timeout=RENDER_TIMEOUT, silence_warnings=True)
    if not _started:
        atexit.register(stop)
    _started = True


def stop() -> None:
    """Stop this process' kaleido server (at exit; a later export starts it again)."""
    import kaleido

    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)


def render(spec: dict, fmt: str, width: int, height: int, scale: int = 1) -> bytes:
    """Plotly JSON drawn by kaleido: ``width`` x ``height`` layout pixels, PNG times ``scale``."""
    import plotly.graph_objects as go

    figure = go.Figure(spec)  # validated, and its dates and arrays made JSON
    with _lock:
        _ensure_server()
        return figure.to_image(format=fmt, width=width, height=height, scale=scale)


def with_resolution(png: bytes, pixels_per_inch: float) -> bytes:
    """The PNG with a pHYs chunk saying how many pixels make an inch (any earlier one replaced)."""
    signature, chunks, pos = png[:8], [], 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunks.append((kind, png[pos:pos + 12 + length]))
        pos += 12 + length
    per_metre = round(pixels_per_inch / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    out = [signature]
    for kind, raw in chunks:
        if kind != b"pHYs":
            out.append(raw)
        if kind == b"IHDR":
            out.append(phys)
    return b"".join(out)


# --- Batch -------------------------------------------------------------------------------------


def read_links(path: Path) -> list[tuple[int, str]]:
    """(line number, link) of each non-empty line that is not a ``#`` comment."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip() and not line.strip().startswith("#")]


def export_batch(links: list[tuple[int, str]], out: Path, store: Store, catalog: Catalog, fmt: str = "png",
                 preset: str = DEFAULT_PRESET, scale: int = DEFAULT_SCALE, log=print) -> tuple[list[Path], list[str]]:
    """Export every link into ``out``: (files written, one message per link that failed)."""
    out.mkdir(parents=True, exist_ok=True)
    written, failed, names = [], [], set()
    for i, (line, link) in enumerate(links, 1):
        begun = time.perf_counter()
        where = f"[{i}/{len(links)}] line {line}"
        try:
            request = read_request(link_query(link), fmt, catalog, preset, scale)
            image, name, notices = export_image(request, store, catalog)
        except ExportError as exc:
            failed.append(f"{where}: skipped: {exc}")
            log(failed[-1])
            continue
        except ExportUnavailable:
            raise
        except Exception as exc:  # one chart that cannot be drawn must not stop the others
            failed.append(f"{where}: failed: {type(exc).__name__}: {exc}")
            log(failed[-1])
            continue
        name = _unique(name, names)
        atomic_write_bytes(out / name, image)
        written.append(out / name)
        note = f"; note: {' '.join(notices)}" if notices else ""
        log(f"{where}: {name} ({len(image) / 1024:.0f} kB, {time.perf_counter() - begun:.1f} s){note}")
    return written, failed


def _unique(name: str, taken: set) -> str:
    """Two links of one indicator, mode and date (say with and without trend) get -2, -3, ..."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate)
    return candidate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.export", description=__doc__.split("\n\n")[0])
    parser.add_argument("views", type=Path, help="file of dashboard links, one per line (# starts a comment)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the images to")
    parser.add_argument("--preset", choices=list(PRESETS), default=DEFAULT_PRESET)
    parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default="png")
    parser.add_argument("--scale", type=int, choices=SCALES, default=DEFAULT_SCALE, help="PNG only")
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: POLICE_STATS_STORE or the bundled one)")
    args = parser.parse_args(argv)

    import analysis
    from analysis.change import catalog_for

    try:
        links = read_links(args.views)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.views}: cannot read the list of views: {exc}", file=sys.stderr)
        return 2
    store = analysis.load(args.store or os.environ.get("POLICE_STATS_STORE") or None)
    catalog = catalog_for(store)

    def log(message):
        print(message, file=sys.stderr if ": skipped:" in message or ": failed:" in message else sys.stdout, flush=True)

    try:  # the kaleido server started by the first export stops at exit
        written, failed = export_batch(links, args.out, store, catalog, args.fmt, args.preset, args.scale, log)
    except ExportUnavailable as exc:
        print(f"cannot export: {exc}", file=sys.stderr)
        return 2
    if not links:
        print(f"{args.views}: no dashboard links in the file", file=sys.stderr)
        return 1
    print(f"{len(written)} of {len(links)} exported to {args.out}" + (f"; {len(failed)} failed" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
