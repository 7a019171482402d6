"""Candidate pairs: proposed for review, by named rules, never merged."""

from __future__ import annotations

import polars as pl

from transforms.identity import speaker_candidates


def candidates(speakers: list[tuple], appearances: list[tuple], episodes: list[tuple]):
    return speaker_candidates(
        pl.LazyFrame(speakers, schema=["speaker_id", "display_name", "href"], orient="row"),
        pl.LazyFrame(appearances, schema=["speaker_id", "episode_id"], orient="row"),
        pl.LazyFrame(episodes, schema=["episode_id", "show_id"], orient="row"),
    ).collect()


def test_similar_names_on_a_shared_show_are_candidates() -> None:
    # The Daily Show's "Jason Priestly" typo next to "Jason Priestley".
    got = candidates(
        [("jp1", "Jason Priestley", None), ("jp2", "Jason Priestly", None)],
        [("jp1", "e1"), ("jp2", "e2")],
        [("e1", "daily"), ("e2", "daily")],
    )
    assert got.select("speaker_a", "speaker_b", "reason", "shared_shows").rows() == [
        ("jp1", "jp2", "similar names on a shared show", 1)
    ]
    assert got["score"][0] > 95


def test_similar_names_on_different_shows_are_not_compared() -> None:
    got = candidates(
        [("a", "Chris Evan", None), ("b", "Chris Evans", None)],
        [("a", "e1"), ("b", "e2")],
        [("e1", "show-one"), ("e2", "show-two")],
    )
    assert got.height == 0


def test_same_name_with_different_links_is_a_candidate_pair() -> None:
    # "Brian of London" tagged with two different hrefs: two speakers, one pair to review.
    got = candidates(
        [
            ("b1", "Brian of London", "https://gist.github.com/brianoflondon/"),
            ("b2", "Brian of London", "https://noagendatube.com/accounts/brianoflondon"),
        ],
        [("b1", "e1"), ("b2", "e2")],
        [("e1", "s1"), ("e2", "s2")],
    )
    assert got.select("reason", "score", "shared_shows").rows() == [
        ("same name, different links", 100.0, 0)
    ]


def test_reordered_names_are_candidates() -> None:
    got = candidates(
        [("a", "Heiland, Stefan", None), ("b", "Stefan Heiland", None)],
        [("a", "e1"), ("b", "e1")],
        [("e1", "dradio")],
    )
    assert got["reason"].to_list() == ["similar names on a shared show"]


def test_different_names_are_not_candidates() -> None:
    got = candidates(
        [("a", "Ana Lima", None), ("b", "Bo Chen", None)],
        [("a", "e1"), ("b", "e1")],
        [("e1", "s")],
    )
    assert got.height == 0
