-- Marts: aggregates computed by transforms/ (Polars) and replaced whole on each refresh.
-- Empty tables are created here so the schema is documented and queryable before a refresh.

-- Per speaker: totals and span. n_appearances counts distinct episodes; n_quotes counts segments.
-- Every appearance count in the marts leaves out guests named only in episode titles
-- (appearances.source = 'title'), which are reported on their own.
create table if not exists mart_speaker_stats (
    speaker_id       varchar primary key,
    display_name     varchar not null,
    n_appearances    bigint not null,   -- distinct episodes, not counting episode-title mentions
    n_title_appearances bigint not null default 0, -- episodes known only from an episode title
                                        -- (low confidence, not counted in n_appearances)
    n_quotes         bigint not null,   -- segments
    n_shows          bigint not null,   -- distinct shows
    roles            varchar,           -- distinct roles, comma-separated, alphabetical
    first_appearance timestamp,         -- earliest dated episode; null if none is dated
    last_appearance  timestamp
);

-- Per speaker per calendar month (of the episode's published date; undated episodes excluded).
create table if not exists mart_speaker_monthly (
    speaker_id    varchar not null,
    month_start   date not null,        -- first day of the month
    n_appearances bigint not null,      -- distinct episodes that month
    n_quotes      bigint not null,
    primary key (speaker_id, month_start)
);

-- Per show: size and span.
create table if not exists mart_show_stats (
    show_id       varchar primary key,
    title         varchar not null,
    n_episodes    bigint not null,
    n_speakers    bigint not null,      -- distinct speakers in any role
    n_guests      bigint not null,      -- distinct speakers with role 'guest'
    n_hosts       bigint not null,      -- distinct speakers with role 'host'
    n_appearances bigint not null,      -- distinct (speaker, episode) pairs
    n_quotes      bigint not null,
    first_episode timestamp,
    last_episode  timestamp
);

-- Per show per calendar month.
create table if not exists mart_show_monthly (
    show_id       varchar not null,
    month_start   date not null,
    n_episodes    bigint not null,
    n_appearances bigint not null,      -- distinct (speaker, episode) pairs
    n_speakers    bigint not null,
    primary key (show_id, month_start)
);

-- Pairs of speakers that may be one person, for review (transforms/identity.py); never merged
-- automatically. Confirm or reject a pair in the alias file.
create table if not exists mart_speaker_candidates (
    speaker_a    varchar not null,      -- speaker_a < speaker_b
    speaker_b    varchar not null,
    name_a       varchar not null,
    name_b       varchar not null,
    score        double not null,       -- 0-100 name similarity (100: same name)
    reason       varchar not null,      -- see transforms/identity.py for the rules
    shared_shows bigint not null,
    primary key (speaker_a, speaker_b)
);

-- One row per run of any refresh step (the ingest DAG, the publish DAG, the CLI's refresh),
-- successful or not: what each run saw and did. A failed task's row says what failed.
create table if not exists refresh_runs (
    run_id        varchar not null,       -- Airflow run id, or 'cli-<time>'
    step          varchar not null,       -- ingest | publish | refresh (all steps in one process)
    started_at    timestamp not null,     -- UTC
    finished_at   timestamp not null,
    status        varchar not null,       -- success | nothing new | failed
    n_sources     bigint not null,        -- files and URLs looked at
    n_changed     bigint not null,        -- of which new or changed content was loaded
    n_loaded      bigint not null,        -- records accepted
    n_rejected    bigint not null,
    rejects_by_reason varchar,            -- JSON object: reason -> count
    snapshot      varchar,                -- the snapshot a publishing run produced
    error         varchar,                -- what failed (task and message), for failed runs
    primary key (run_id, step)
);

-- One row per refresh that published a snapshot: what the dashboard calls "data as of".
create table if not exists refresh_log (
    refresh_id   varchar primary key,
    started_at   timestamp not null,    -- UTC
    finished_at  timestamp not null,
    n_sources    bigint not null,       -- source files ingested by this refresh (new content only)
    n_loaded     bigint not null,
    n_rejected   bigint not null,
    snapshot     varchar not null       -- file name of the snapshot it published
);
