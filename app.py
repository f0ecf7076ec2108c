"""Start the dashboard: ``python app.py`` (settings from environment variables; see README).

For production, gunicorn imports ``server`` from here: ``gunicorn app:server``.
"""
from dashboard.app import create_app
from dashboard.settings import Settings

settings = Settings.from_env()
app = create_app(settings)
server = app.server

if __name__ == "__main__":
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
