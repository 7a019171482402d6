"""Per-speaker marts. Pure functions over LazyFrames; the caller collects.

An appearance is a distinct (speaker, episode): a speaker listed twice in one episode (say as
host and as guest) appears once. Quotes are segments and are counted on their own.
"""

from __future__ import annotations

import polars as pl

TITLE_SOURCE = "title"  # guests named only in an episode title: low confidence, not counted


def counted(appearances: pl.LazyFrame) -> pl.LazyFrame:
    """The appearances counts are made of: all but those known only from episode titles."""
    return appearances.filter(pl.col("source") != TITLE_SOURCE)


def speaker_episodes(appearances: pl.LazyFrame) -> pl.LazyFrame:
    """Distinct (speaker_id, episode_id) pairs of counted appearances: the unit every
    appearance count uses."""
    return counted(appearances).select("speaker_id", "episode_id").unique()


def speaker_stats(
    speakers: pl.LazyFrame,
    appearances: pl.LazyFrame,
    episodes: pl.LazyFrame,
    segments: pl.LazyFrame,
) -> pl.LazyFrame:
    """One row per speaker: appearances, quotes, shows, roles and first/last appearance."""
    per_episode = speaker_episodes(appearances).join(
        episodes.select("episode_id", "show_id", "published_at"), on="episode_id", how="left"
    )
    counts = per_episode.group_by("speaker_id").agg(
        pl.len().alias("n_appearances"),
        pl.col("show_id").n_unique().alias("n_shows"),
        pl.col("published_at").min().alias("first_appearance"),
        pl.col("published_at").max().alias("last_appearance"),
    )
    roles = counted(appearances).group_by("speaker_id").agg(
        pl.col("role").unique().sort().str.join(", ").alias("roles")
    )
    title_only = (
        appearances.filter(pl.col("source") == TITLE_SOURCE)
        .select("speaker_id", "episode_id")
        .unique()
        .join(speaker_episodes(appearances), on=["speaker_id", "episode_id"], how="anti")
        .group_by("speaker_id")
        .agg(pl.len().alias("n_title_appearances"))
    )
    quotes = segments.group_by("speaker_id").agg(pl.len().alias("n_quotes"))
    return (
        speakers.select("speaker_id", "display_name")
        .join(counts, on="speaker_id", how="left")
        .join(quotes, on="speaker_id", how="left")
        .join(roles, on="speaker_id", how="left")
        .join(title_only, on="speaker_id", how="left")
        .select(
            "speaker_id",
            "display_name",
            pl.col("n_appearances").fill_null(0).cast(pl.Int64),
            pl.col("n_title_appearances").fill_null(0).cast(pl.Int64),
            pl.col("n_quotes").fill_null(0).cast(pl.Int64),
            pl.col("n_shows").fill_null(0).cast(pl.Int64),
            "roles",
            "first_appearance",
            "last_appearance",
        )
        .sort("speaker_id")
    )


def speaker_monthly(
    appearances: pl.LazyFrame, episodes: pl.LazyFrame, segments: pl.LazyFrame
) -> pl.LazyFrame:
    """Appearances and quotes per speaker per calendar month; undated episodes are left out."""
    dated = episodes.filter(pl.col("published_at").is_not_null()).select(
        "episode_id", pl.col("published_at").dt.truncate("1mo").cast(pl.Date).alias("month_start")
    )
    apps = (
        speaker_episodes(appearances)
        .join(dated, on="episode_id", how="inner")
        .group_by("speaker_id", "month_start")
        .agg(pl.len().alias("n_appearances"))
    )
    quotes = (
        segments.join(dated, on="episode_id", how="inner")
        .group_by("speaker_id", "month_start")
        .agg(pl.len().alias("n_quotes"))
    )
    return (
        apps.join(quotes, on=["speaker_id", "month_start"], how="full", coalesce=True)
        .select(
            "speaker_id",
            "month_start",
            pl.col("n_appearances").fill_null(0).cast(pl.Int64),
            pl.col("n_quotes").fill_null(0).cast(pl.Int64),
        )
        .sort("speaker_id", "month_start")
    )
