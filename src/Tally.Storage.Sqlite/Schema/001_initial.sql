-- Tally's embedded store. Timestamps are unix milliseconds (UTC); days are 'YYYY-MM-DD' (UTC).

-- Raw events. event_id is the deduplication key: a client retry inserts nothing.
CREATE TABLE events (
    event_id           TEXT    NOT NULL PRIMARY KEY,
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

-- Analytics read one event over time, or one actor's or session's events in order.
CREATE INDEX events_name_ts      ON events (name, ts);
CREATE INDEX events_session_ts   ON events (session_id, ts);
CREATE INDEX events_user_ts      ON events (user_id, ts);
CREATE INDEX events_anonymous_ts ON events (anonymous_id, ts);

-- Ids of aggregate-only events: they have no raw row, but a retry must still not be counted twice.
-- received_at is kept so old ids can be pruned once retries of them can no longer arrive.
CREATE TABLE seen_ids (
    event_id    TEXT    NOT NULL PRIMARY KEY,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Counts per UTC day of the event's timestamp; source is '' when the event named none.
CREATE TABLE rollups_daily (
    day         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (day, name, environment, source)
) WITHOUT ROWID;

-- Events that failed the plan; reasons is a JSON array of {code, message, property}.
CREATE TABLE quarantine (
    id          TEXT    NOT NULL PRIMARY KEY,
    event_id    TEXT    NOT NULL UNIQUE,
    event_name  TEXT,
    reasons     TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    request_id  TEXT,
    environment TEXT    NOT NULL
);

CREATE TABLE identity_links (
    from_id    TEXT    NOT NULL,
    to_user_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_user_id)
) WITHOUT ROWID;

CREATE TABLE opt_outs (
    actor_id  TEXT    NOT NULL PRIMARY KEY,
    opted_out INTEGER NOT NULL,
    at        INTEGER NOT NULL
) WITHOUT ROWID;
