"""Column definitions and row conversion for the AG Grids (speakers, shows, a show's speakers,
identity candidates).

Rows are plain dicts of JSON-friendly values: dates become ISO day strings (they sort correctly
as text), so the grid never has to guess a type. Names stay raw text; the link renderers in
assets/dashAgGridComponentFunctions.js display them as text inside a React <a>.
"""

from __future__ import annotations

import polars as pl

from dashboard import formatting as fmt
from dashboard.components import link_column, number_column


def _rows(frame: pl.DataFrame) -> list[dict]:
    """Frame -> records, timestamps as 'YYYY-MM-DD' ('' when unknown, so blanks sort first)."""
    temporal = [name for name, dtype in frame.schema.items() if dtype.is_temporal()]
    frame = frame.with_columns(pl.col(c).dt.strftime("%Y-%m-%d").fill_null("") for c in temporal)
    return frame.to_dicts()


def speaker_columns() -> list[dict]:
    return [
        link_column("display_name", "Speaker", "SpeakerLink", "/speaker/",
                    id_field="speaker_id"),
        number_column("n_appearances", "Appearances", sort="desc", minWidth=140),
        number_column("n_quotes", "Quotes"),
        number_column("n_shows", "Shows"),
        {"field": "roles", "headerName": "Roles", "flex": 1, "minWidth": 130},
        {"field": "first_appearance", "headerName": "First", "flex": 1, "minWidth": 120},
        {"field": "last_appearance", "headerName": "Last", "flex": 1, "minWidth": 120},
    ]


def speaker_rows(frame: pl.DataFrame) -> list[dict]:
    return _rows(frame.with_columns(pl.col("roles").map_elements(fmt.roles,
                                                                 return_dtype=pl.String)))


def show_columns() -> list[dict]:
    return [
        link_column("title", "Show", "ShowLink", "/show/", id_field="show_id"),
        number_column("n_episodes", "Episodes"),
        number_column("n_speakers", "Speakers"),
        number_column("n_hosts", "Hosts"),
        number_column("n_guests", "Guests"),
        number_column("n_appearances", "Appearances", sort="desc", minWidth=140),
        number_column("n_quotes", "Quotes"),
        {"field": "first_episode", "headerName": "First episode", "minWidth": 130},
        {"field": "last_episode", "headerName": "Last episode", "minWidth": 130},
    ]


def show_rows(frame: pl.DataFrame) -> list[dict]:
    return _rows(frame)


def show_speaker_columns() -> list[dict]:
    """A show's counted hosts and guests: counted episodes, and apart from them the episodes
    where the speaker is named only in the title (not counted)."""
    return [
        link_column("display_name", "Speaker", "SpeakerLink", "/speaker/",
                    id_field="speaker_id"),
        {"field": "role", "headerName": "Role", "minWidth": 110},
        number_column("n_episodes", "Episodes on this show", minWidth=180),
        number_column("n_title_episodes", "Named in titles only", minWidth=170),
    ]


def show_title_speaker_columns() -> list[dict]:
    """People on a show known only from episode titles: every row says so (class
    'low-confidence-cell', amber), so a sorted or filtered view still shows it."""
    return [
        link_column("display_name", "Speaker", "SpeakerLink", "/speaker/",
                    id_field="speaker_id"),
        {"field": "role", "headerName": "Role", "minWidth": 110},
        number_column("n_title_episodes", "Named in titles only", sort="desc", minWidth=200),
        {"field": "evidence", "headerName": "Evidence", "minWidth": 250, "flex": 2,
         "cellClass": "low-confidence-cell"},
    ]


def show_speaker_rows(frame: pl.DataFrame) -> list[dict]:
    """One row per (speaker, role): row_id joins both, as a speaker can host and guest.
    evidence is the low-confidence label on title-only rows, '' on counted ones."""
    return _rows(frame.with_columns(
        row_id=pl.concat_str("speaker_id", pl.lit(":"), "role"),
        role=pl.col("role").map_elements(fmt.roles, return_dtype=pl.String),
        evidence=pl.when(pl.col("title_only")).then(pl.lit(fmt.TITLE_ONLY_EVIDENCE))
        .otherwise(pl.lit("")),
    ))


def candidate_columns() -> list[dict]:
    """Both names link to their speaker pages, so a reviewer can compare the two side by side."""
    return [
        link_column("name_a", "Speaker", "SpeakerLink", "/speaker/", id_field="speaker_a"),
        link_column("name_b", "Possibly the same as", "SpeakerLink", "/speaker/",
                    id_field="speaker_b"),
        number_column("score", "Name similarity", sort="desc", minWidth=180),
        {"field": "reason", "headerName": "Why proposed", "flex": 2, "minWidth": 220},
        number_column("shared_shows", "Shared shows", minWidth=130),
    ]


def candidate_rows(frame: pl.DataFrame) -> list[dict]:
    """One row per pair; row_id joins both ids (a speaker can be in several pairs)."""
    return _rows(frame.with_columns(
        row_id=pl.concat_str("speaker_a", pl.lit(":"), "speaker_b"),
    ))
