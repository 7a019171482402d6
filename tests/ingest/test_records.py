"""Record files: the real bundled tables load through their sources.toml mappings unedited,
and broken records become rejects with reasons while the rest of the file loads."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from ingest.errors import ConfigError, UnreadableSource
from ingest.parse import parse_file
from ingest.sources import Source, load_sources, parse_source, source_for_file
from tests.conftest import REPO, SAMPLE

SOURCES = load_sources(REPO / "sources.toml")


def parse_sample(relative: str):
    path = SAMPLE / relative
    source = source_for_file(path, SOURCES)
    return parse_file(path.read_bytes(), source.format_of(path), source)


def test_this_american_life_quotes() -> None:
    parsed = parse_sample("this_american_life/tal_example-data.csv")
    records = parsed.records
    assert parsed.rejects.height == 0
    assert records.height == 259
    assert set(records["show_title"]) == {"This American Life"}
    assert set(records["episode_title"]) == {"Animals"}
    assert set(records["published_at"]) == {datetime(1996, 1, 31)}
    first = records.row(1, named=True)
    assert first["speaker_name"] == "Ira Glass"
    assert first["start_ms"] == 12_680  # 00:00:12.68
    assert first["section"] == "Prologue."
    # Leading spaces in the source's quotes are trimmed.
    assert first["quote"].startswith("So when I heard that a woman named Samantha Martin")
    assert records["quote"].null_count() == 1  # one paragraph in the source has no text
    assert records["episode_key"].n_unique() == 1


def test_jupiter_broadcasting_appearances() -> None:
    parsed = parse_sample("jupiter_broadcasting/jb_episode_appearances.csv")
    records = parsed.records
    assert parsed.rejects.height == 0
    assert records.height == 4563
    assert records["role"].value_counts().sort("role").rows() == [("guest", 668), ("host", 3895)]
    # The placeholder guid 00000000-... is not an identity: those episodes stay apart.
    assert records["episode_guid"].str.contains("^0{8}-").sum() == 0
    assert records.select(pl.struct("show_title", "episode_key").n_unique()).item() == 1958
    # Rows without a display name fall back to the username instead of being lost.
    assert "erichendricks" in set(records["speaker_name"])
    # Both date shapes parse; an offset time is converted to UTC.
    dated = records.filter(pl.col("published_at").is_null())
    assert dated.height == 0


def test_daily_show_guests_with_non_guest_rows_rejected() -> None:
    parsed = parse_sample("daily_show_guests/daily_show_guests.csv")
    assert parsed.records.height == 2663
    assert parsed.rejects.height == 30
    reasons = parsed.rejects["reason"].to_list()
    assert reasons.count("not a guest appearance: special episode (Group and occupation NA)") == 27
    assert sorted(r for r in reasons if r.startswith("not a person")) == [
        "not a person: (None)",
        "not a person: (no guest)",
        "not a person: (no guest)",
    ]
    # John Bambenek has Group NA but an occupation: he is a guest and must load.
    assert "John Bambenek" in set(parsed.records["speaker_name"])
    first = parsed.records.row(0, named=True)
    assert (first["speaker_name"], first["published_at"]) == (
        "Michael J. Fox",
        datetime(1999, 1, 11),
    )
    assert set(parsed.records["show_title"]) == {"The Daily Show"}
    assert set(parsed.records["role"]) == {"guest"}


def canonical_csv(body: str) -> bytes:
    return ("show,episode,published,speaker,role,quote,start\n" + body).encode()


def parse_canonical(data: bytes, fmt: str = "csv"):
    return parse_file(data, fmt, Source(name="test"))


def test_wrong_field_count_is_rejected_with_line_and_rest_loads() -> None:
    parsed = parse_canonical(
        canonical_csv(
            "Show A,Ep 1,2024-01-02,Ana Lima,guest,Hello,00:01\n"
            "Show A,Ep 1,2024-01-02,too,few\n"
            "Show A,Ep 2,2024-01-09,Ana Lima,host,Bye,12.5\n"
        )
    )
    assert parsed.records.height == 2
    assert parsed.rejects.rows() == [
        ("line 3", "expected 7 fields, found 5", '["Show A", "Ep 1", "2024-01-02", "too", "few"]')
    ]
    assert parsed.records["start_ms"].to_list() == [1_000, 12_500]  # MM:SS, seconds


@pytest.mark.parametrize(
    "row, reason",
    [
        # no speaker at all: nothing to attribute
        ("Show A,Ep 1,2024-01-02,,guest,Hi,", "missing speaker"),
        # no show column value and no default_show
        (",Ep 1,2024-01-02,Ana,guest,Hi,", "missing show (no show column and no default_show)"),
        # a date that matches no configured format is not guessed
        ("Show A,Ep 1,31/31/2024,Ana,guest,Hi,", "unparseable date 31/31/2024 (expected iso)"),
        # a time that is not a time
        ("Show A,Ep 1,2024-01-02,Ana,guest,Hi,soon", "unparseable start time soon"),
        # nothing identifies the episode
        (
            "Show A,,,Ana,guest,Hi,",
            "no episode identity (needs a title, guid, URL, number or date)",
        ),
    ],
)
def test_invalid_values_are_rejected_with_reason(row: str, reason: str) -> None:
    parsed = parse_canonical(canonical_csv("Show A,Ep 0,2024-01-01,Bo,host,ok,\n" + row + "\n"))
    assert parsed.records.height == 1
    assert parsed.rejects["reason"].to_list() == [reason]
    assert parsed.rejects["locator"].to_list() == ["line 3"]


def test_jsonl_bad_lines_rejected_good_lines_load() -> None:
    lines = [
        json.dumps({"show": "S", "episode": "E1", "speaker": "Ana", "quote": "one"}),
        "{not json",
        "[1, 2]",
        "",
        json.dumps({"show": "S", "episode": "E2", "speaker": "Ana", "episode_number": 7}),
    ]
    parsed = parse_canonical("\n".join(lines).encode(), "jsonl")
    assert parsed.records.height == 2
    assert parsed.records["episode_number"].to_list() == [None, "7"]
    assert [r[0] for r in parsed.rejects.rows()] == ["line 2", "line 3"]
    assert parsed.rejects["reason"][1] == "expected a JSON object, found list"


def test_parquet_with_canonical_columns() -> None:
    frame = pl.DataFrame(
        {
            "show": ["S", "S"],
            "episode": ["E1", None],
            "speaker": ["Ana", "Bo"],
            "published": ["2024-05-01", None],
            "start": [None, "3"],
        }
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    parsed = parse_canonical(buffer.getvalue(), "parquet")
    assert parsed.records.height == 1
    assert parsed.rejects.rows()[0][:2] == (
        "row 2",
        "no episode identity (needs a title, guid, URL, number or date)",
    )


def test_mapping_to_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    source = parse_source(
        {"name": "x", "columns": {"speaker": "Guest"}, "default_show": "S"}, tmp_path
    )
    with pytest.raises(UnreadableSource, match=r"maps speaker to column\(s\) \['Guest'\]"):
        parse_file(b"name,episode\nAna,E1\n", "csv", source)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"name": "x", "columns": {"speakr": "a"}}, "columns.speakr is not a canonical field"),
        ({"name": "x", "format": "xml"}, "format must be one of"),
        ({"name": "x", "colums": {}}, "unknown keys ['colums']"),
        ({"columns": {}}, "every [[source]] needs a name"),
    ],
)
def test_config_errors_name_the_problem(raw: dict, message: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_source(raw, tmp_path)
    assert message in str(info.value)


def test_csv_without_header_is_unreadable() -> None:
    with pytest.raises(UnreadableSource, match="no header row"):
        parse_canonical(b"\n\n")


def test_non_utf8_csv_still_loads_as_windows_1252() -> None:
    data = "show,episode,speaker\nCaf\u00e9 Radio,Ep 1,Jos\u00e9 Ruiz\n".encode("cp1252")
    parsed = parse_canonical(data)
    assert parsed.records.row(0, named=True)["speaker_name"] == "Jos\u00e9 Ruiz"
    assert parsed.records.row(0, named=True)["show_title"] == "Caf\u00e9 Radio"
