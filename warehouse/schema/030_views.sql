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
