"""All marts from the core tables in one call: the transform step of a refresh."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from transforms.identity import speaker_candidates
from transforms.shows import show_monthly, show_stats
from transforms.speakers import speaker_monthly, speaker_stats

CORE_INPUTS = ("shows", "episodes", "speakers", "appearances", "segments")


def build_marts(core: Mapping[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """Mart name -> lazy plan. Inputs are the core tables by name."""
    return {
        "mart_speaker_stats": speaker_stats(
            core["speakers"], core["appearances"], core["episodes"], core["segments"]
        ),
        "mart_speaker_monthly": speaker_monthly(
            core["appearances"], core["episodes"], core["segments"]
        ),
        "mart_show_stats": show_stats(
            core["shows"], core["episodes"], core["appearances"], core["segments"]
        ),
        "mart_show_monthly": show_monthly(core["episodes"], core["appearances"]),
        "mart_speaker_candidates": speaker_candidates(
            core["speakers"], core["appearances"], core["episodes"]
        ),
    }
