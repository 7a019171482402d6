"""The Dash dashboard: pages over the published snapshot (see app.py and queries.py)."""
