-- events and seen_ids become append-only rowid tables. Deduplication no longer needs a B-tree keyed by the random
-- event id (each commit dirtied one index page per event, ~17 µs an event): the writer keeps a set of 128-bit hashes
-- of every stored id in memory, loaded at open and brought up to date from rows other processes appended
-- (seq > the last one it knows), so a retry is never counted twice even when `tally ingest` writes beside a server.
-- AUTOINCREMENT keeps seq strictly increasing even after the newest rows are deleted, which that catch-up relies on.
CREATE TABLE events_v3 (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id           TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    ts                 INTEGER NOT NULL,
    received_at        INTEGER NOT NULL,
    original_timestamp TEXT,
    anonymous_id       TEXT,
    user_id            TEXT,
    session_id         TEXT,
    environment        TEXT    NOT NULL,
    source             TEXT,
    request_id         TEXT,
    count              INTEGER NOT NULL,
    properties         TEXT    NOT NULL,
    previous_id        TEXT
);

INSERT INTO events_v3 (event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id, session_id,
                       environment, source, request_id, count, properties, previous_id)
SELECT event_id, name, type, ts, received_at, original_timestamp, anonymous_id, user_id, session_id,
       environment, source, request_id, count, properties, previous_id
FROM events ORDER BY rowid;

DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_name_ts ON events (name, ts);

CREATE TABLE seen_ids_v3 (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL,
    received_at INTEGER NOT NULL
);

INSERT INTO seen_ids_v3 (event_id, received_at) SELECT event_id, received_at FROM seen_ids;

DROP TABLE seen_ids;
ALTER TABLE seen_ids_v3 RENAME TO seen_ids;
