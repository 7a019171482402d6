-- Core tables: the contract every other part relies on (see DESIGN.md "Core model").
-- Applied in file-name order by warehouse.db.apply_schema(); every statement is safe to rerun.
-- Identifiers are deterministic functions of natural keys (see warehouse/load.py), so loading the
-- same records in any order yields the same ids, and ids are stable across refreshes.

-- One row per podcast. show_key is the natural key: podcast:guid if known, else the feed URL,
-- else the normalised title (lower-cased, accents kept).
create table if not exists shows (
    show_id      varchar primary key,   -- readable slug + hash of show_key, e.g. 'the-daily-show-4f1c2a'
    show_key     varchar not null unique,
    title        varchar not null,      -- display title as first seen, text-repaired
    feed_url     varchar,
    podcast_guid varchar,
    source_id    varchar not null,      -- source_files.source_id that first introduced the show
    author       varchar,               -- itunes:author of the channel
    link         varchar,               -- the show's web page
    image        varchar,
    language     varchar,
    title_key    varchar                -- normalised title, to find the show from a title-only source
);

-- One row per episode. episode_key is the natural key within a show: the item guid (placeholder
-- guids such as 00000000-0000-0000-0000-000000000000 are ignored), else the episode URL, else the
-- episode number, else title + date.
create table if not exists episodes (
    episode_id     varchar primary key,  -- 'ep-' + hash of (show_id, episode_key)
    show_id        varchar not null,  -- -> shows.show_id (checked by tests, not enforced: DuckDB FKs block upserts)
    episode_key    varchar not null,
    title          varchar,              -- may be null: some sources only give a date
    guid           varchar,
    episode_number varchar,
    url            varchar,
    published_at   timestamp,            -- UTC; null when the source gives no date
    source_id      varchar not null,
    season         varchar,              -- podcast:season
    unique (show_id, episode_key)
);

-- One row per resolved person (or speaker label, for sources that label voices, not people).
create table if not exists speakers (
    speaker_id   varchar primary key,    -- readable slug + hash of the first alias key, e.g. 'sam-marks-2b6f0e'
    display_name varchar not null,
    href         varchar,                -- a page about the person, when a source gives one
    image        varchar,
    source_id    varchar not null
);

-- Every spelling that maps to a speaker. alias_key is the normalised form (NFKC, case-folded,
-- '.' ',' and quotes dropped, whitespace collapsed; accents kept so different people never merge).
create table if not exists speaker_aliases (
    alias_key  varchar primary key,
    speaker_id varchar not null,  -- -> speakers.speaker_id (checked by tests, not enforced: DuckDB FKs block upserts)
    alias      varchar not null,         -- the spelling as first seen
    source_id  varchar not null
);

-- Links about a person (podcast:person href), normalised (ingest.names.href_key): the strongest
-- identity, so two spellings with one link are one person and one name with two links is two.
create table if not exists speaker_hrefs (
    href_key   varchar primary key,       -- host + path, lower-cased host, no www./trailing slash
    speaker_id varchar not null,          -- -> speakers.speaker_id
    href       varchar not null,          -- as first seen
    source_id  varchar not null
);

-- Transcript labels of one word ("Jerod", "MATT") resolved to the one full-named person of the
-- same show with that first name (see warehouse/load.py); recorded so the rule can be checked.
create table if not exists speaker_label_resolutions (
    show_id   varchar not null,
    label_key varchar not null,           -- the label's person key ("jerod")
    full_key  varchar not null,           -- the person key it was resolved to ("jerod santo")
    rule      varchar not null,
    source_id varchar not null,           -- the transcript where it was applied
    primary key (show_id, label_key, source_id)
);

-- One row per (speaker, episode, role). A speaker's "appearances" are the DISTINCT episodes in this
-- table; quotes are in segments and are counted separately.
create table if not exists appearances (
    speaker_id varchar not null,  -- -> speakers.speaker_id (checked by tests, not enforced: DuckDB FKs block upserts)
    episode_id varchar not null,  -- -> episodes.episode_id (checked by tests, not enforced: DuckDB FKs block upserts)
    role       varchar not null,          -- host, guest, speaker, ... (source default when not given)
    source     varchar not null,          -- how we know: record_file | page_export | feed | transcript | title
    source_id  varchar not null,          -- source_files.source_id of the first source that said so
    locator    varchar not null,          -- where in that source (e.g. 'line 12')
    person_group varchar,                 -- podcast:person group (cast, writing, ...) when tagged
    primary key (speaker_id, episode_id, role)
);

-- One row per quote: what a speaker said in an episode.
create table if not exists segments (
    segment_id varchar primary key,       -- hash of (episode_id, speaker_id, start_ms, text_hash);
                                          -- without a start time, the position in the file
                                          -- stands in for it: "Yeah." said twice is two quotes
    episode_id varchar not null,  -- -> episodes.episode_id (checked by tests, not enforced: DuckDB FKs block upserts)
    speaker_id varchar not null,  -- -> speakers.speaker_id (checked by tests, not enforced: DuckDB FKs block upserts)
    start_ms   bigint,                    -- offset into the episode in milliseconds; null if unknown
    end_ms     bigint,
    section    varchar,                   -- act or chapter name when the source has one
    seq        bigint not null,           -- position of the record in its source file: the order of
                                          -- quotes that have no start time (as on the seed page)
    text       varchar not null,          -- text-repaired quote
    text_hash  varchar not null,          -- md5 of text
    source_id  varchar not null,
    locator    varchar not null
);

-- Transcripts an episode links to (podcast:transcript), fetched or not.
create table if not exists episode_transcripts (
    episode_id varchar not null,          -- -> episodes.episode_id
    url        varchar not null,
    mime_type  varchar,                   -- e.g. text/vtt, application/json, text/html
    language   varchar,
    rel        varchar,                   -- 'captions' when the file is captions
    source_id  varchar not null,
    primary key (episode_id, url)
);

-- Transcript text that no speaker label attributes to anyone (unlabelled ASR, captions without
-- voices, turns labelled "Break" or "ALL"): kept as the episode's text, never turned into quotes
-- of an invented speaker.
create table if not exists episode_text (
    episode_id varchar not null,          -- -> episodes.episode_id
    seq        bigint not null,           -- position in the transcript file
    start_ms   bigint,
    end_ms     bigint,
    label      varchar,                   -- the non-person label, if any ("ALL", "Break")
    text       varchar not null,
    source_id  varchar not null,
    locator    varchar not null,
    primary key (source_id, seq)
);

-- What a source said about itself that we do not take as our own count (e.g. a scraped speaker
-- page's "891 total appearances").
create table if not exists source_claims (
    source_id  varchar not null,
    subject    varchar not null,          -- 'speaker' | 'show' | 'episode'
    subject_id varchar not null,
    claim      varchar not null,          -- e.g. 'total_appearances'
    value      varchar not null,
    primary key (source_id, subject, subject_id, claim)
);

-- One row per ingested file (or fetched URL) content. source_id is the sha256 of the bytes, so
-- the same bytes are never ingested twice.
create table if not exists source_files (
    source_id   varchar primary key,      -- sha256 of the content
    source_name varchar not null,         -- the [[source]] name in sources.toml, or the file name
    path        varchar not null,
    format      varchar not null,         -- csv | jsonl | parquet | speaker_page
    bytes       bigint not null,
    ingested_at timestamp not null,       -- UTC
    n_records   bigint not null,          -- records read from the file
    n_loaded    bigint not null,          -- records accepted
    n_rejected  bigint not null           -- records sent to rejects
);

-- A record we could not accept, with why and the raw record, so nothing is silently dropped.
create table if not exists rejects (
    source_id varchar not null,
    locator   varchar not null,           -- e.g. 'line 17' or 'record 3'
    reason    varchar not null,
    payload   varchar,                    -- the raw record as received (JSON for tabular rows)
    primary key (source_id, locator, reason)
);

-- Facts about the working warehouse itself, e.g. which identity rules (aliases.toml digest) its
-- speakers were resolved with.
create table if not exists warehouse_state (
    name  varchar primary key,
    value varchar
);

-- Feeds fetched over HTTP(S): the validators that make an unchanged feed cost one small request
-- (conditional GET), and how the last fetch went.
create table if not exists fetch_state (
    url           varchar primary key,
    source_name   varchar not null,
    etag          varchar,
    last_modified varchar,
    content_hash  varchar,                -- source_files.source_id of the last content loaded
    status        varchar not null,       -- loaded | unchanged | not modified | unreachable
    error         varchar,                -- why the last fetch failed, if it did
    fetched_at    timestamp not null      -- UTC
);
