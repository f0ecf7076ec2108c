"""The dashboard: pure figure functions (``dashboard.figures``) and a thin Dash app."""
