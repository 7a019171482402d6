-- Columns added after the first release, for warehouses created before them (runs last, after
-- every create). New warehouses already have them from the files above; here they do nothing.
alter table shows add column if not exists author varchar;
alter table shows add column if not exists link varchar;
alter table shows add column if not exists image varchar;
alter table shows add column if not exists language varchar;
alter table episodes add column if not exists season varchar;
alter table appearances add column if not exists person_group varchar;
alter table shows add column if not exists title_key varchar;
alter table mart_speaker_stats add column if not exists n_title_appearances bigint default 0;
