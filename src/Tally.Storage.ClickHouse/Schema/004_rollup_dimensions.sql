-- Aggregate-only events keep their declared, non-identifying property values in the roll-up (RollupDimensions): a
-- canonical JSON object in counted_events and, as part of the sort key (so SummingMergeTree never sums different
-- values together), in rollups_daily. '' marks counts of stored raw events (their raw rows answer analytics); an
-- aggregate-only event has at least '{}'. Rows written before this version keep ''.
-- 18.16 has no ADD COLUMN IF NOT EXISTS: the migrator skips an ADD COLUMN whose column exists, and a column added to a
-- sort key must be added by the same ALTER (with no default expression), so a re-run finds both done or neither.
ALTER TABLE counted_events ADD COLUMN dimensions String;

ALTER TABLE rollups_daily ADD COLUMN dimensions String, MODIFY ORDER BY (day, name, environment, source, dimensions);

-- A view cannot be changed in 18.16, only dropped and created again, and 18.16's views must name every column of
-- their target (no defaults), so both views into the roll-up are replaced. Counts inserted between a drop and its
-- create (another process writing while this one migrates) would be missed: migrate before writing.
DROP TABLE IF EXISTS events_to_rollups;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_to_rollups TO rollups_daily AS
SELECT day, name, environment, source, '' AS dimensions, count FROM events;

DROP TABLE IF EXISTS counted_events_to_rollups;

CREATE MATERIALIZED VIEW IF NOT EXISTS counted_events_to_rollups TO rollups_daily AS
SELECT day, name, environment, source, dimensions, count FROM counted_events;
