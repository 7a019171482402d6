-- Columns added after the first release, for warehouses created before them. New warehouses get
-- them from 010_core.sql already; on those these statements do nothing.
alter table shows add column if not exists author varchar;
alter table shows add column if not exists link varchar;
alter table shows add column if not exists image varchar;
alter table shows add column if not exists language varchar;
alter table episodes add column if not exists season varchar;
alter table appearances add column if not exists person_group varchar;
