"""Record files (CSV, JSON Lines, Parquet) as bytes -> a frame of raw string columns + rejects.

Only the shape of the file is checked here: a line that is not a record (wrong number of CSV
fields, JSON that is not an object) becomes a reject with its line number, and the other lines
still load. What the values mean is checked later, in ingest.prepare, the same way for every
format.
"""

from __future__ import annotations

import csv
import io
import json

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.canonical import REJECT_SCHEMA
from ingest.errors import UnreadableSource

csv.field_size_limit(16 * 1024 * 1024)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); a file that is not UTF-8 is read as windows-1252, which
    accepts every byte, so a mislabelled file still loads and its text is repaired later."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _frame(rows: list[list[str | None]], columns: list[str], locators: list[str]) -> pl.DataFrame:
    data: dict[str, list] = {"locator": locators}
    for i, name in enumerate(columns):
        data[name] = [r[i] for r in rows]
    schema = {"locator": pl.String(), **{c: pl.String() for c in columns}}
    return pl.DataFrame(data, schema=schema)


def _rejects(items: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(items, schema=REJECT_SCHEMA, orient="row")


def read_csv(data: bytes) -> tuple[pl.DataFrame, pl.DataFrame]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    locators: list[str] = []
    rejects: list[tuple[str, str, str]] = []
    line = 1
    try:
        for record in reader:
            locator = f"line {line}"
            line = reader.line_num + 1
            if not record or all(not f.strip() for f in record):
                continue
            if header is None:
                header = [h.strip() for h in record]
                dupes = sorted({h for h in header if header.count(h) > 1})
                if dupes or "" in header:
                    raise UnreadableSource(
                        f"CSV header has empty or repeated column names: {dupes or ['']}"
                    )
                if "locator" in header:
                    raise UnreadableSource("CSV header uses the reserved column name 'locator'")
                continue
            if len(record) != len(header):
                rejects.append(
                    (
                        locator,
                        f"expected {len(header)} fields, found {len(record)}",
                        json.dumps(record, ensure_ascii=False),
                    )
                )
                continue
            rows.append([f if f != "" else None for f in record])
            locators.append(locator)
    except csv.Error as exc:
        rejects.append((f"line {line}", f"CSV syntax error: {exc}; rest of file unreadable", ""))
    if header is None:
        raise UnreadableSource("CSV file has no header row")
    return _frame(rows, header, locators), _rejects(rejects)


def read_jsonl(data: bytes) -> tuple[pl.DataFrame, pl.DataFrame]:
    text = decode_text(data)
    records: list[dict] = []
    locators: list[str] = []
    rejects: list[tuple[str, str, str]] = []
    columns: dict[str, None] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        locator = f"line {n}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rejects.append((locator, f"invalid JSON: {exc.msg} at column {exc.colno}", line))
            continue
        if not isinstance(value, dict):
            rejects.append((locator, f"expected a JSON object, found {type(value).__name__}", line))
            continue
        records.append(value)
        locators.append(locator)
        for key in value:
            columns.setdefault(str(key), None)
    columns.pop("locator", None)
    rows = [[_as_text(r.get(c)) for c in columns] for r in records]
    return _frame(rows, list(columns), locators), _rejects(rejects)


def _as_text(value: object) -> str | None:
    """Scalars as text; nested values as compact JSON, so nothing is lost and validation
    later can say the field was not a plain value."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def read_parquet(data: bytes) -> tuple[pl.DataFrame, pl.DataFrame]:
    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableSource(f"not a readable Parquet file: {exc}") from exc
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if "locator" in frame.columns:
        raise UnreadableSource("Parquet file uses the reserved column name 'locator'")
    frame = frame.select(
        pl.format("row {}", pl.int_range(1, pl.len() + 1)).alias("locator"),
        *[
            (pl.col(c) if frame.schema[c] == pl.String else pl.col(c).cast(pl.String)).alias(c)
            for c in frame.columns
        ],
    )
    return frame, _rejects([])


READERS = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}
