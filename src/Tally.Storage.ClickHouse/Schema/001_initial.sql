-- Tally's ClickHouse store. Written for ClickHouse 18.16 (Debian's package) and current releases alike: no DateTime64,
-- no Nullable, no LowCardinality. Instants are Int64 unix milliseconds (UTC); days are Date (UTC).
-- Optional strings are '' when absent. Statements end with ';' at the end of a line (one HTTP request each).

-- Raw events. ClickHouse has no unique keys: the store checks seen_ids before it inserts (see StoreWriter).
-- Sorted by name and time, the shape analytics reads; partitioned by month so old months can be dropped whole.
CREATE TABLE IF NOT EXISTS events (
    event_id           String,
    name               String,
    type               String,
    ts                 Int64,
    day                Date,
    received_at        Int64,
    original_timestamp String,
    anonymous_id       String,
    user_id            String,
    session_id         String,
    environment        String,
    source             String,
    request_id         String,
    count              Int64,
    properties         String,
    previous_id        String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (name, ts, event_id);

-- Aggregate-only events: no raw row is kept, only what each counts for, which the view below adds to the roll-up.
CREATE TABLE IF NOT EXISTS counted_events (
    event_id    String,
    received_at Int64,
    day         Date,
    name        String,
    environment String,
    source      String,
    count       Int64
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (name, day);

-- Every id stored or counted, sorted by id: deduplication looks ids up here by the primary key instead of reading
-- the whole event_id column of events. received_at is kept so ids can be pruned once retries can no longer arrive.
CREATE TABLE IF NOT EXISTS seen_ids (
    event_id    String,
    received_at Int64
) ENGINE = MergeTree
ORDER BY event_id;

-- Counts per UTC day of the event's timestamp; source is '' when the event named none. Rows of one key are summed
-- when parts merge, which may be never: readers always sum() and GROUP BY.
CREATE TABLE IF NOT EXISTS rollups_daily (
    day         Date,
    name        String,
    environment String,
    source      String,
    count       Int64
) ENGINE = SummingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, name, environment, source);

-- seen_ids and the roll-up are fed by the inserts themselves, so an event, its id and its count are written by one
-- INSERT: a batch that fails half-way and is retried never has an event stored but not counted, or counted twice.
CREATE MATERIALIZED VIEW IF NOT EXISTS events_to_rollups TO rollups_daily AS
SELECT day, name, environment, source, count FROM events;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_to_seen_ids TO seen_ids AS
SELECT event_id, received_at FROM events;

CREATE MATERIALIZED VIEW IF NOT EXISTS counted_events_to_rollups TO rollups_daily AS
SELECT day, name, environment, source, count FROM counted_events;

CREATE MATERIALIZED VIEW IF NOT EXISTS counted_events_to_seen_ids TO seen_ids AS
SELECT event_id, received_at FROM counted_events;

-- Events that failed the plan. reasons is a JSON array of {code, message, property}; reason_codes holds its distinct
-- codes, because 18.16 cannot take a JSON array apart and grouping by code is the main read.
CREATE TABLE IF NOT EXISTS quarantine (
    id           String,
    event_id     String,
    event_name   String,
    reasons      String,
    reason_codes Array(String),
    payload      String,
    source       String,
    received_at  Int64,
    request_id   String,
    environment  String
) ENGINE = MergeTree
ORDER BY (received_at, id);

-- Every sighting of a pair is kept; readers take the earliest (min(at), the kind seen then). seq orders sightings
-- with the same at: the first written wins, as in the SQLite store.
CREATE TABLE IF NOT EXISTS identity_links (
    from_id    String,
    to_user_id String,
    kind       String,
    at         Int64,
    seq        UInt64
) ENGINE = MergeTree
ORDER BY (from_id, to_user_id);

-- Opt-out states; the latest at wins, and on a tie the later write (seq). Merges keep the row with the greatest at,
-- but readers never rely on a merge having happened: they take argMax.
CREATE TABLE IF NOT EXISTS opt_outs (
    actor_id  String,
    opted_out UInt8,
    at        Int64,
    seq       UInt64
) ENGINE = ReplacingMergeTree(at)
ORDER BY actor_id;
