"""Component ids shared by layouts (pages/) and callbacks (callbacks.py).

Ids live in one module so a callback and the layout it targets cannot drift apart, and so tests
can find elements by the same names. Every id is a plain string: Dash turns them into DOM ids.
"""

from __future__ import annotations

from dataclasses import dataclass

# App shell (app.py)
URL = "app-url"
FRESHNESS = "app-freshness"
FRESHNESS_TICK = "app-freshness-tick"
NAV = "app-nav"

# Overview
OVERVIEW_TOTALS = "overview-totals"
OVERVIEW_CHART = "overview-chart"
OVERVIEW_TOP_SPEAKERS = "overview-top-speakers"
OVERVIEW_TOP_SHOWS = "overview-top-shows"
OVERVIEW_FRESHNESS = "overview-freshness"  # the "Data freshness and last refresh runs" section
OVERVIEW_DATA_AS_OF = "overview-data-as-of"
OVERVIEW_RUNS = "overview-runs"  # the table of the last refresh runs

# Speakers list
SPEAKER_SEARCH = "speaker-search"
SPEAKER_GRID = "speaker-grid"
SPEAKER_COUNT = "speaker-count"

# Speaker page
SPEAKER_NAME = "speaker-name"
SPEAKER_STATS = "speaker-stats"
SPEAKER_CHART = "speaker-chart"
SPEAKER_CHART_NOTE = "speaker-chart-note"
SPEAKER_CLAIM = "speaker-claim"
SPEAKER_HREF = "speaker-href"
SPEAKER_TITLE_NOTE = "speaker-title-note"
SPEAKER_CANDIDATES = "speaker-candidates"

# Review (identity candidates)
CANDIDATE_GRID = "candidate-grid"
CANDIDATE_COUNT = "candidate-count"

# Shows list and show page
SHOW_GRID = "show-grid"
SHOW_TITLE = "show-title"
SHOW_STATS = "show-stats"
SHOW_CHART = "show-chart"
SHOW_SPEAKER_GRID = "show-speaker-grid"
SHOW_TITLE_ONLY_NOTE = "show-title-only-note"
SHOW_TITLE_ONLY = "show-title-only"
SHOW_TITLE_ONLY_GRID = "show-title-only-grid"


@dataclass(frozen=True)
class PagerIds:
    """The ids of one paginated list: buttons, page box, the list itself, and a store holding
    the subject (speaker or show id) the list belongs to."""

    prefix: str

    @property
    def prev(self) -> str:
        return f"{self.prefix}-prev"

    @property
    def next(self) -> str:
        return f"{self.prefix}-next"

    @property
    def page(self) -> str:
        return f"{self.prefix}-page"

    @property
    def label(self) -> str:
        return f"{self.prefix}-label"

    @property
    def items(self) -> str:
        return f"{self.prefix}-items"

    @property
    def subject(self) -> str:
        return f"{self.prefix}-subject"


SPEAKER_EPISODES = PagerIds("speaker-episodes")
SHOW_EPISODES = PagerIds("show-episodes")
