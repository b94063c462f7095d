-- Aggregate-only events keep their declared, non-identifying property values in the roll-up (RollupDimensions): a
-- canonical JSON object, part of the key so that different values are counted apart. '' marks counts of stored raw
-- events (their raw rows answer analytics); an aggregate-only event has at least '{}'. Rows written before this
-- version keep ''. SQLite cannot change a primary key, so the table is rebuilt, inside the migration's transaction.
CREATE TABLE rollups_daily_004 (
    day         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    dimensions  TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (day, name, environment, source, dimensions)
) WITHOUT ROWID;

INSERT INTO rollups_daily_004 (day, name, environment, source, dimensions, count)
SELECT day, name, environment, source, '', count FROM rollups_daily;

DROP TABLE rollups_daily;

ALTER TABLE rollups_daily_004 RENAME TO rollups_daily;
