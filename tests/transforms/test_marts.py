"""Marts on tiny inline frames with hand-computed answers."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
from polars.testing import assert_frame_equal

from transforms.shows import show_monthly, show_stats
from transforms.speakers import speaker_monthly, speaker_stats

SPEAKERS = pl.LazyFrame({"speaker_id": ["ana", "bo", "cy"], "display_name": ["Ana", "Bo", "Cy"]})
SHOWS = pl.LazyFrame({"show_id": ["s1", "s2", "s3"], "title": ["One", "Two", "Empty"]})
EPISODES = pl.LazyFrame(
    {
        "episode_id": ["e1", "e2", "e3", "e4"],
        "show_id": ["s1", "s1", "s2", "s2"],
        "published_at": [datetime(2024, 1, 5), datetime(2024, 1, 20), datetime(2024, 3, 1), None],
    }
)
APPEARANCES = pl.LazyFrame(
    {
        # Ana is host AND guest of e1: still one appearance there.
        # Cy is only named in e3's title: not counted, reported as a title appearance.
        # Bo is also named in e2's title, where a feed already tags him: nothing extra.
        "speaker_id": ["ana", "ana", "ana", "bo", "bo", "ana", "cy", "bo"],
        "episode_id": ["e1", "e1", "e2", "e2", "e3", "e4", "e3", "e2"],
        "role": ["host", "guest", "host", "guest", "guest", "guest", "guest", "guest"],
        "source": ["feed", "feed", "feed", "feed", "feed", "feed", "title", "title"],
    }
)
SEGMENTS = pl.LazyFrame({"speaker_id": ["ana", "ana", "bo"], "episode_id": ["e1", "e1", "e4"]})


def test_speaker_stats() -> None:
    got = speaker_stats(SPEAKERS, APPEARANCES, EPISODES, SEGMENTS).collect()
    expected = pl.DataFrame(
        {
            "speaker_id": ["ana", "bo", "cy"],
            "display_name": ["Ana", "Bo", "Cy"],
            "n_appearances": [3, 2, 0],  # ana: e1, e2, e4 (e1 counted once)
            "n_title_appearances": [0, 0, 1],  # cy only from e3's title
            "n_quotes": [2, 1, 0],
            "n_shows": [2, 2, 0],
            "roles": ["guest, host", "guest", None],
            # e4 is undated: it counts as an appearance but not for first/last.
            "first_appearance": [datetime(2024, 1, 5), datetime(2024, 1, 20), None],
            "last_appearance": [datetime(2024, 1, 20), datetime(2024, 3, 1), None],
        }
    )
    assert_frame_equal(got, expected, check_dtypes=False)


def test_speaker_monthly_leaves_undated_out() -> None:
    got = speaker_monthly(APPEARANCES, EPISODES, SEGMENTS).collect()
    expected = pl.DataFrame(
        {
            "speaker_id": ["ana", "bo", "bo"],
            "month_start": [date(2024, 1, 1), date(2024, 1, 1), date(2024, 3, 1)],
            "n_appearances": [2, 1, 1],  # ana: e1 + e2 in January
            "n_quotes": [2, 0, 0],  # bo's quote is in undated e4
        }
    )
    assert_frame_equal(got, expected, check_dtypes=False)


def test_show_stats() -> None:
    got = show_stats(SHOWS, EPISODES, APPEARANCES, SEGMENTS).collect()
    expected = pl.DataFrame(
        {
            "show_id": ["s1", "s2", "s3"],
            "title": ["One", "Two", "Empty"],
            "n_episodes": [2, 2, 0],
            "n_speakers": [2, 2, 0],
            "n_guests": [2, 2, 0],  # ana was a guest on e1; bo on e2
            "n_hosts": [1, 0, 0],
            "n_appearances": [3, 2, 0],  # s1: ana e1, ana e2, bo e2
            "n_quotes": [2, 1, 0],
            "first_episode": [datetime(2024, 1, 5), datetime(2024, 3, 1), None],
            "last_episode": [datetime(2024, 1, 20), datetime(2024, 3, 1), None],
        }
    )
    assert_frame_equal(got, expected, check_dtypes=False)


def test_show_monthly() -> None:
    got = show_monthly(EPISODES, APPEARANCES).collect()
    expected = pl.DataFrame(
        {
            "show_id": ["s1", "s2"],
            "month_start": [date(2024, 1, 1), date(2024, 3, 1)],
            "n_episodes": [2, 1],
            "n_appearances": [3, 1],
            "n_speakers": [2, 1],
        }
    )
    assert_frame_equal(got, expected, check_dtypes=False)
