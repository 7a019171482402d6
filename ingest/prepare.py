"""Raw record frame + its source config -> prepared canonical records + rejects.

All checks are column expressions over the whole file, so the cost per record stays small at
millions of records; only values that need Python (non-ASCII text repair, unusual date formats)
are handled one distinct value at a time. Each rejected record keeps its locator, the first
reason that applies, and the raw record as JSON.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from ingest.aliases import AliasRules
from ingest.canonical import CANONICAL_NAMES, PREPARED_SCHEMA, REJECT_SCHEMA
from ingest.errors import UnreadableSource
from ingest.names import href_key, person_key
from ingest.sources import Source
from ingest.text import normalise_name_key, repair_text, slugify

PLACEHOLDER_GUID = r"^[0\-{}\s]*$"  # 00000000-0000-..., '{}', '0' and blanks identify nothing
_NON_ASCII = r"[^\x00-\x7F]"
_TEXT_FIELDS = ("show", "episode", "speaker", "role", "quote", "section", "show_author")
_PLAIN_FIELDS = (
    "show_feed_url",
    "show_guid",
    "show_link",
    "show_image",
    "show_language",
    "episode_guid",
    "episode_number",
    "episode_url",
    "episode_season",
    "speaker_href",
    "speaker_image",
    "speaker_group",
    "label",
)


def _mapped(raw: pl.DataFrame, source: Source, name: str) -> pl.Expr:
    wanted = source.columns.get(name)
    if wanted is None:
        return pl.col(name) if name in raw.columns else pl.lit(None, pl.String)
    missing = [c for c in wanted if c not in raw.columns]
    if missing:
        raise UnreadableSource(
            f"source {source.name!r} maps {name} to column(s) {missing} that the file does not "
            f"have; its columns are {[c for c in raw.columns if c != 'locator']}"
        )
    return pl.coalesce([pl.col(c) for c in wanted])


def repair_series(values: pl.Series) -> pl.Series:
    """Text repair with an ASCII fast path: plain ASCII only needs whitespace and control
    characters cleaned (vectorised); everything else goes through ingest.text once per
    distinct value."""
    ascii_clean = (
        values.str.replace_all(r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]", "")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
    non_ascii = values.filter(values.str.contains(_NON_ASCII)).unique()
    if non_ascii.len():
        fixed = {v: repair_text(v) for v in non_ascii.to_list()}
        repaired = values.replace_strict(fixed, default=ascii_clean, return_dtype=pl.String)
    else:
        repaired = ascii_clean
    return pl.Series(values.name, repaired).replace("", None)


def parse_dates(values: pl.Series, formats: tuple[str, ...]) -> pl.Series:
    """Each distinct text parsed with the first format that fits; 'iso' means ISO 8601 with or
    without a time and offset. Times with an offset are converted to UTC."""
    distinct = values.drop_nulls().unique().to_list()
    parsed: dict[str, datetime | None] = {}
    for text in distinct:
        parsed[text] = _parse_one_date(text.strip(), formats)
    return values.replace_strict(parsed, default=None, return_dtype=pl.Datetime("us"))


def _parse_one_date(text: str, formats: tuple[str, ...]) -> datetime | None:
    for fmt in formats:
        try:
            if fmt == "iso":
                value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            else:
                value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    return None


def parse_offsets_ms(values: pl.Series) -> pl.Series:
    """'HH:MM:SS(.fff)', 'MM:SS(.fff)' or plain seconds -> milliseconds; null if unparseable."""
    text = values.str.strip_chars().str.replace(",", ".", literal=True)
    parts = text.str.extract_groups(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
    hms = (
        parts.struct.field("1").cast(pl.Float64).fill_null(0.0) * 3_600_000
        + parts.struct.field("2").cast(pl.Float64) * 60_000
        + parts.struct.field("3").cast(pl.Float64) * 1000
    )
    seconds = text.str.extract(r"^(\d+(?:\.\d+)?)$", 1).cast(pl.Float64) * 1000
    frame = pl.DataFrame({"hms": hms, "seconds": seconds})
    return frame.select(pl.coalesce("hms", "seconds").round(0).cast(pl.Int64)).to_series()


def prepare(
    raw: pl.DataFrame,
    source: Source,
    *,
    kind: str = "record_file",
    speaker_optional: bool = False,
    rules: AliasRules | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate, repair and key every record. Returns (prepared, rejects).

    With speaker_optional (feeds), a record without a speaker is an episode with nobody tagged:
    it loads the show and episode only, instead of being rejected."""
    raw_cols = [c for c in raw.columns if c != "locator"]
    # Source-specific rules come first: they describe rows the source itself marks as not data.
    rule_exprs: list[tuple[pl.Expr, str]] = []
    rule_cols = []
    for i, rule in enumerate(source.reject_when):
        missing = [c for c in rule.match if c not in raw.columns]
        if missing:
            raise UnreadableSource(
                f"source {source.name!r}: reject_when names column(s) {missing} not in the file"
            )
        cond = pl.all_horizontal([pl.col(c).is_in(list(v)) for c, v in rule.match.items()])
        rule_cols.append(cond.alias(f"_rule_{i}"))
        rule_exprs.append((pl.col(f"_rule_{i}"), rule.reason))
    # From here on only derived columns exist, so a source column may share any internal name.
    frame = raw.with_row_index("row").select(
        pl.col("row").cast(pl.Int64),
        "locator",
        (pl.struct(raw_cols).struct.json_encode() if raw_cols else pl.lit("{}")).alias("_payload"),
        *[_mapped(raw, source, name).alias(f"_in_{name}") for name in CANONICAL_NAMES],
        *rule_cols,
    )
    reason = pl.lit(None, pl.String)

    text = {
        name: repair_series(frame.get_column(f"_in_{name}").cast(pl.String)).alias(name)
        for name in _TEXT_FIELDS
    }
    frame = frame.with_columns(*text.values())
    if source.default_show:
        frame = frame.with_columns(pl.col("show").fill_null(repair_text(source.default_show)))
    frame = frame.with_columns(
        pl.col("role").str.to_lowercase().fill_null(source.default_role),
        *[
            pl.col(f"_in_{name}").str.strip_chars().replace("", None).alias(name)
            for name in _PLAIN_FIELDS
        ],
    ).with_columns(
        pl.when(pl.col("episode_guid").str.contains(PLACEHOLDER_GUID))
        .then(None)
        .otherwise(pl.col("episode_guid"))
        .alias("episode_guid"),
        pl.when(pl.col("show_guid").str.contains(PLACEHOLDER_GUID))
        .then(None)
        .otherwise(pl.col("show_guid"))
        .alias("show_guid"),
    )
    frame = frame.with_columns(
        parse_dates(frame.get_column("_in_published"), source.date_formats).alias("published_at"),
        parse_offsets_ms(frame.get_column("_in_start").cast(pl.String)).alias("start_ms"),
        parse_offsets_ms(frame.get_column("_in_end").cast(pl.String)).alias("end_ms"),
    )
    not_people = [person_key(v) for v in source.not_a_person]
    alias_keys = _map_distinct(frame.get_column("speaker"), person_key)
    frame = frame.with_columns(alias_keys.alias("alias_key"))
    formats = ", ".join(source.date_formats)
    checks: list[tuple[pl.Expr, pl.Expr | str]] = [
        *rule_exprs,
        (pl.col("show").is_null(), "missing show (no show column and no default_show)"),
        (pl.col("speaker").is_null() & pl.lit(not speaker_optional), "missing speaker"),
        (
            pl.col("alias_key").is_in(not_people),
            pl.format("not a person: {}", pl.col("speaker")),
        ),
        (
            pl.col("_in_published").is_not_null() & pl.col("published_at").is_null(),
            pl.format("unparseable date {} (expected " + formats + ")", pl.col("_in_published")),
        ),
        (
            pl.col("_in_start").is_not_null() & pl.col("start_ms").is_null(),
            pl.format("unparseable start time {}", pl.col("_in_start")),
        ),
        (
            pl.col("_in_end").is_not_null() & pl.col("end_ms").is_null(),
            pl.format("unparseable end time {}", pl.col("_in_end")),
        ),
        (
            pl.all_horizontal(
                pl.col(c).is_null()
                for c in ("episode", "episode_guid", "episode_url", "episode_number")
            )
            & pl.col("published_at").is_null(),
            "no episode identity (needs a title, guid, URL, number or date)",
        ),
    ]
    for cond, why in reversed(checks):
        why_expr = pl.lit(why) if isinstance(why, str) else why
        reason = pl.when(cond).then(why_expr).otherwise(reason)
    frame = frame.with_columns(reason.alias("_reason"))
    rejects = frame.filter(pl.col("_reason").is_not_null()).select(
        "locator", pl.col("_reason").alias("reason"), pl.col("_payload").alias("payload")
    )
    good = frame.filter(pl.col("_reason").is_null())
    good = good.with_columns(
        _map_distinct(good.get_column("show"), normalise_name_key).alias("_show_title_key"),
        _map_distinct(good.get_column("episode"), normalise_name_key).alias("_ep_title_key"),
    )
    good = _apply_alias_rules(good, rules)
    good = good.with_columns(
        _show_key().alias("show_key"),
        pl.col("_show_title_key").alias("show_title_key"),
        _episode_key().alias("episode_key"),
        _map_distinct(good.get_column("show"), slugify).alias("show_slug"),
        # From the key, not the spelling: "Sen. Barack Obama" and "Barack Obama" share an id.
        _map_distinct(good.get_column("alias_key"), slugify).alias("speaker_slug"),
        _map_distinct(good.get_column("speaker_href"), href_key).alias("href_key"),
        pl.lit(kind).alias("source"),
    ).rename({"show": "show_title", "episode": "episode_title", "speaker": "speaker_name"})
    prepared = good.select([pl.col(name).cast(dtype) for name, dtype in PREPARED_SCHEMA.items()])
    return prepared, rejects.cast(REJECT_SCHEMA)  # type: ignore[arg-type]


def _apply_alias_rules(good: pl.DataFrame, rules: AliasRules | None) -> pl.DataFrame:
    """The user's identity rules (aliases.toml) on each distinct (spelling, show): the alias key
    becomes the canonical person's key, and the display name the canonical name."""
    display = pl.col("speaker").alias("speaker_display")
    if rules is None or (not rules.same and not rules.different) or not good.height:
        return good.with_columns(display)
    pairs = good.select("alias_key", "_show_title_key").unique().drop_nulls("alias_key")
    resolved = [rules.resolve(k, s) for k, s in pairs.iter_rows()]
    mapping = pairs.with_columns(
        pl.Series("_rule_key", [r[0] for r in resolved], dtype=pl.String),
        pl.Series("_rule_name", [r[1] for r in resolved], dtype=pl.String),
    )
    return (
        good.join(mapping, on=["alias_key", "_show_title_key"], how="left", nulls_equal=True)
        .with_columns(
            pl.coalesce("_rule_key", "alias_key").alias("alias_key"),
            pl.coalesce("_rule_name", "speaker").alias("speaker_display"),
        )
        .drop("_rule_key", "_rule_name")
    )


def _map_distinct(values: pl.Series, fn) -> pl.Series:
    distinct = values.drop_nulls().unique().to_list()
    return values.replace_strict({v: fn(v) for v in distinct}, default=None, return_dtype=pl.String)


def _show_key() -> pl.Expr:
    return (
        pl.when(pl.col("show_guid").is_not_null())
        .then(pl.lit("guid:") + pl.col("show_guid").str.to_lowercase())
        .when(pl.col("show_feed_url").is_not_null())
        .then(pl.lit("feed:") + pl.col("show_feed_url"))
        .otherwise(pl.lit("title:") + pl.col("_show_title_key"))
    )


def _episode_key() -> pl.Expr:
    """Natural key within a show, strongest identity first; see DESIGN.md's core model."""
    date = pl.col("published_at").dt.strftime("%Y-%m-%d").fill_null("")
    return (
        pl.when(pl.col("episode_guid").is_not_null())
        .then(pl.lit("guid:") + pl.col("episode_guid"))
        .when(pl.col("episode_url").is_not_null())
        .then(pl.lit("url:") + pl.col("episode_url"))
        .when(pl.col("episode_number").is_not_null())
        .then(pl.lit("no:") + pl.col("episode_number"))
        .when(pl.col("episode").is_not_null())
        .then(pl.lit("title:") + pl.col("_ep_title_key") + pl.lit("|") + date)
        .otherwise(pl.lit("date:") + date)
    )


__all__ = ["prepare", "repair_series", "parse_dates", "parse_offsets_ms", "REJECT_SCHEMA"]
