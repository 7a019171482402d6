"""Speaker pairs that may be one person: listed for review, never merged here.

Merging two people silently is the worst identity error (every count of both goes wrong), so
this module only proposes. Two rules, each named in the output's `reason`:

* "same name, different links": two speakers whose names have the same person key but who were
  kept apart because their sources link them to different pages (e.g. "Brian of London" tagged
  with two different hrefs). Score 100.
* "same name, kept apart": the same, without links on both sides (a rule, such as the alias
  file's "different people", or an older identity rule, kept them apart).
* "similar names on a shared show": names on at least one common show whose person keys are
  at least `min_score` alike (rapidfuzz ratio, or token-sort ratio for reordered names like
  "Heiland, Stefan"), e.g. "Jason Priestly" / "Jason Priestley" on The Daily Show. Two
  different people with the same name on different shows are never compared.

Confirming or rejecting a pair is the user's call, in the alias file.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from ingest.names import person_key

CANDIDATE_SCHEMA = {
    "speaker_a": pl.String(),
    "speaker_b": pl.String(),
    "name_a": pl.String(),
    "name_b": pl.String(),
    "score": pl.Float64(),
    "reason": pl.String(),
    "shared_shows": pl.Int64(),
}


def _keyed(speakers: pl.DataFrame) -> pl.DataFrame:
    names = speakers.get_column("display_name").unique().to_list()
    keys = {n: person_key(n) for n in names}
    return speakers.with_columns(
        pl.col("display_name").replace_strict(keys, return_dtype=pl.String).alias("key")
    )


def _same_name(keyed: pl.DataFrame) -> pl.DataFrame:
    left = keyed.select(
        "key", pl.col("speaker_id").alias("speaker_a"), pl.col("display_name").alias("name_a")
    )
    right = keyed.select(
        "key", pl.col("speaker_id").alias("speaker_b"), pl.col("display_name").alias("name_b")
    )
    return (
        left.join(right, on="key")
        .filter(pl.col("speaker_a") < pl.col("speaker_b"))
        .select(
            "speaker_a",
            "speaker_b",
            "name_a",
            "name_b",
            pl.lit(100.0).alias("score"),
            pl.lit("same name, different links").alias("reason"),
        )
    )


def _similar_on_show(keyed: pl.DataFrame, show_speakers: pl.DataFrame, min_score: float):
    rows: list[tuple[str, str, float]] = []
    key_of = dict(zip(keyed["speaker_id"], keyed["key"], strict=True))
    for ids in show_speakers.group_by("show_id").agg("speaker_id")["speaker_id"].to_list():
        ids = sorted(set(ids))
        if len(ids) < 2:
            continue
        keys = [key_of[i] for i in ids]
        scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=min_score, workers=1)
        reordered = process.cdist(
            keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=max(min_score, 95), workers=1
        )
        best = scores.clip(min=reordered) if hasattr(scores, "clip") else scores
        for i, j in zip(*best.nonzero(), strict=True):
            if i < j and keys[i] != keys[j]:
                rows.append((ids[i], ids[j], float(best[i, j])))
    schema = {"speaker_a": pl.String(), "speaker_b": pl.String(), "score": pl.Float64()}
    return pl.DataFrame(rows, schema=schema, orient="row")


def speaker_candidates(
    speakers: pl.LazyFrame,
    appearances: pl.LazyFrame,
    episodes: pl.LazyFrame,
    min_score: float = 90.0,
) -> pl.LazyFrame:
    """Candidate pairs (speaker_a < speaker_b) with score, reason and shows in common."""
    keyed = _keyed(
        speakers.select("speaker_id", "display_name", pl.col("href").cast(pl.String)).collect()
    )
    show_speakers = (
        appearances.select("speaker_id", "episode_id")
        .join(episodes.select("episode_id", "show_id"), on="episode_id")
        .select("show_id", "speaker_id")
        .unique()
        .collect()
    )
    names = keyed.select("speaker_id", "display_name")
    similar = (
        _similar_on_show(keyed, show_speakers, min_score)
        .join(names.rename({"speaker_id": "speaker_a", "display_name": "name_a"}), on="speaker_a")
        .join(names.rename({"speaker_id": "speaker_b", "display_name": "name_b"}), on="speaker_b")
        .select(
            "speaker_a",
            "speaker_b",
            "name_a",
            "name_b",
            "score",
            pl.lit("similar names on a shared show").alias("reason"),
        )
    )
    pairs = pl.concat([_same_name(keyed), similar]).unique(["speaker_a", "speaker_b"], keep="first")
    shared = (
        show_speakers.join(show_speakers, on="show_id", suffix="_b")
        .filter(pl.col("speaker_id") < pl.col("speaker_id_b"))
        .group_by(
            pl.col("speaker_id").alias("speaker_a"), pl.col("speaker_id_b").alias("speaker_b")
        )
        .agg(pl.len().cast(pl.Int64).alias("shared_shows"))
    )
    return (
        pairs.join(shared, on=["speaker_a", "speaker_b"], how="left")
        .with_columns(pl.col("shared_shows").fill_null(0))
        .select(list(CANDIDATE_SCHEMA))
        .sort("score", "speaker_a", "speaker_b", descending=[True, False, False])
        .lazy()
    )
