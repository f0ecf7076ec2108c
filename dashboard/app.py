"""The Dash app, built by a factory so tests and gunicorn get the same app from settings."""
from __future__ import annotations

from dash import Dash, html

import analysis
from analysis.catalog import load_catalog

from .server import configure
from .settings import Settings


def create_app(settings: Settings | None = None) -> Dash:
    settings = settings or Settings.from_env()
    store = analysis.load(settings.store_dir)
    catalog = load_catalog()
    app = Dash(__name__, title="Politiestatistiek")

    def layout():
        latest = store.latest()
        items = []
        for table in catalog.tables.values():
            rows = latest[latest["table_id"] == table.id]
            items.append(html.Li(f"{table.title.nl}: {rows['indicator_id'].nunique()} indicatoren, {len(rows)} waarden"))
        return html.Main([html.H1("Politiestatistiek"), html.Ul(items)])

    app.layout = layout
    configure(app, settings, store)  # headers, /healthz, error pages, import (dashboard/server.py)
    return app
