"""Review (/candidates): speaker pairs the identity rules think may be one person
(mart_speaker_candidates), for a person to decide.

Nothing here merges anything: a wrong merge corrupts every count of both people, so the
warehouse only proposes, and the page says where the decision is recorded (the alias file).
"""

from __future__ import annotations

import dash
from dash import html

from dashboard import components as ui
from dashboard import formatting as fmt
from dashboard import ids, queries
from dashboard.grids import candidate_columns, candidate_rows

dash.register_page(__name__, path="/candidates", name="Review",
                   title="Review · Podcast Appearance Analytics", order=3, nav=True)

EXPLANATION = (
    "These pairs of speakers may be one person. Nothing is merged automatically: every pair "
    "stays two speakers, with separate counts, until you decide. To confirm that a pair is one "
    "person, or to reject it as two different people, record your decision in the alias file "
    "(see README, Identity)."
)


@ui.guard
def layout(**_query: object) -> html.Div:
    frame = queries.candidates()
    return html.Div(
        [
            html.H1("Review: possibly the same person"),
            html.P(EXPLANATION, className="review-explanation"),
            html.P(
                "Name similarity is 0–100 (100: the same name). Shared shows counts the shows "
                "both speakers appear on.",
                className="muted small",
            ),
            html.P(fmt.plural(frame.height, "pair"), id=ids.CANDIDATE_COUNT, className="muted"),
            ui.grid(ids.CANDIDATE_GRID, candidate_columns(), candidate_rows(frame),
                    row_id="row_id", page_size=25),
        ]
    )
