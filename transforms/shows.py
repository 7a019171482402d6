"""Per-show marts. Pure functions over LazyFrames; the caller collects."""

from __future__ import annotations

import polars as pl

from transforms.speakers import counted, speaker_episodes


def show_stats(
    shows: pl.LazyFrame,
    episodes: pl.LazyFrame,
    appearances: pl.LazyFrame,
    segments: pl.LazyFrame,
) -> pl.LazyFrame:
    """One row per show: episodes, distinct speakers, guests and hosts, appearances, quotes."""
    ep_show = episodes.select("episode_id", "show_id")
    eps = episodes.group_by("show_id").agg(
        pl.len().alias("n_episodes"),
        pl.col("published_at").min().alias("first_episode"),
        pl.col("published_at").max().alias("last_episode"),
    )
    roles = counted(appearances).join(ep_show, on="episode_id", how="inner")
    people = roles.group_by("show_id").agg(
        pl.col("speaker_id").n_unique().alias("n_speakers"),
        pl.col("speaker_id").filter(pl.col("role") == "guest").n_unique().alias("n_guests"),
        pl.col("speaker_id").filter(pl.col("role") == "host").n_unique().alias("n_hosts"),
    )
    apps = (
        speaker_episodes(appearances)
        .join(ep_show, on="episode_id", how="inner")
        .group_by("show_id")
        .agg(pl.len().alias("n_appearances"))
    )
    quotes = (
        segments.join(ep_show, on="episode_id", how="inner")
        .group_by("show_id")
        .agg(pl.len().alias("n_quotes"))
    )
    counts = ["n_episodes", "n_speakers", "n_guests", "n_hosts", "n_appearances", "n_quotes"]
    return (
        shows.select("show_id", "title")
        .join(eps, on="show_id", how="left")
        .join(people, on="show_id", how="left")
        .join(apps, on="show_id", how="left")
        .join(quotes, on="show_id", how="left")
        .select(
            "show_id",
            "title",
            *[pl.col(c).fill_null(0).cast(pl.Int64) for c in counts],
            "first_episode",
            "last_episode",
        )
        .sort("show_id")
    )


def show_monthly(episodes: pl.LazyFrame, appearances: pl.LazyFrame) -> pl.LazyFrame:
    """Episodes, appearances and distinct speakers per show per calendar month."""
    dated = episodes.filter(pl.col("published_at").is_not_null()).select(
        "episode_id",
        "show_id",
        pl.col("published_at").dt.truncate("1mo").cast(pl.Date).alias("month_start"),
    )
    eps = dated.group_by("show_id", "month_start").agg(pl.len().alias("n_episodes"))
    apps = (
        speaker_episodes(appearances)
        .join(dated, on="episode_id", how="inner")
        .group_by("show_id", "month_start")
        .agg(
            pl.len().alias("n_appearances"),
            pl.col("speaker_id").n_unique().alias("n_speakers"),
        )
    )
    return (
        eps.join(apps, on=["show_id", "month_start"], how="left")
        .select(
            "show_id",
            "month_start",
            pl.col("n_episodes").cast(pl.Int64),
            pl.col("n_appearances").fill_null(0).cast(pl.Int64),
            pl.col("n_speakers").fill_null(0).cast(pl.Int64),
        )
        .sort("show_id", "month_start")
    )
