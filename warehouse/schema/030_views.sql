-- Convenience views for ad hoc SQL: names joined in, so analysts rarely need to write joins.

-- Every appearance with speaker, show and episode names.
create or replace view v_appearances as
select
    a.speaker_id,
    sp.display_name as speaker,
    a.role,
    e.show_id,
    sh.title        as show_title,
    a.episode_id,
    e.title         as episode_title,
    e.published_at,
    a.source,
    a.source_id,
    a.locator
from appearances a
join speakers sp using (speaker_id)
join episodes e using (episode_id)
join shows sh on sh.show_id = e.show_id;

-- Every quote with speaker, show and episode names.
create or replace view v_quotes as
select
    s.segment_id,
    s.speaker_id,
    sp.display_name as speaker,
    e.show_id,
    sh.title        as show_title,
    s.episode_id,
    e.title         as episode_title,
    e.published_at,
    s.start_ms,
    s.section,
    s.text
from segments s
join speakers sp using (speaker_id)
join episodes e using (episode_id)
join shows sh on sh.show_id = e.show_id;

-- What each configured source (sources.toml name) contributed: files, records, rejects, and the
-- shows, episodes, speakers, appearances (counted, and guests named only in titles) and quotes
-- its rows touch (a row can be touched by
-- several sources: an episode a feed introduced and a transcript filled counts for both).
create or replace view v_source_counts as
with files as (
    select source_name, source_id, n_records, n_loaded, n_rejected from source_files
),
touched_episodes as (
    select source_id, episode_id from episodes
    union select source_id, episode_id from appearances
    union select source_id, episode_id from segments
    union select source_id, episode_id from episode_text
),
per_source as (
    select f.source_name,
        count(distinct te.episode_id) as n_episodes,
        count(distinct e.show_id) as n_shows
    from files f
    left join touched_episodes te using (source_id)
    left join episodes e on e.episode_id = te.episode_id
    group by 1
),
people as (
    select f.source_name,
        count(distinct a.speaker_id) as n_speakers,
        count(*) filter (where a.speaker_id is not null and a.source <> 'title') as n_appearances,
        count(*) filter (where a.source = 'title') as n_title_appearances
    from files f left join appearances a using (source_id)
    group by 1
),
quotes as (
    select f.source_name, count(s.segment_id) as n_quotes
    from files f left join segments s using (source_id) group by 1
),
final as (
    select f.source_name,
        count(*) as n_files,
        sum(f.n_records) as n_records,
        sum(f.n_loaded) as n_loaded,
        sum(f.n_rejected) as n_rejected,
        any_value(p.n_shows) as n_shows,
        any_value(p.n_episodes) as n_episodes,
        any_value(pe.n_speakers) as n_speakers,
        any_value(pe.n_appearances) as n_appearances,
        any_value(pe.n_title_appearances) as n_title_appearances,
        any_value(q.n_quotes) as n_quotes
    from files f
    join per_source p using (source_name)
    join people pe using (source_name)
    join quotes q using (source_name)
    group by f.source_name
)
select * from final order by source_name;
