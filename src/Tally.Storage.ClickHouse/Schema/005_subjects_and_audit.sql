-- GDPR deletion and the audit log (docs/governance.md). Both tables stay whole on the entry node in the sharded layout.

-- Who did what to what, when, with what outcome. Append-only: the store has no operation that edits or removes a line.
-- seq orders lines of one millisecond (later writes greater).
CREATE TABLE IF NOT EXISTS audit_log (
    at      Int64,
    seq     UInt64,
    actor   String,
    role    String,
    action  String,
    target  String,
    outcome String,
    detail  String
) ENGINE = MergeTree
ORDER BY (at, seq);

-- Ids of deleted subjects, as keyed hashes (HMAC-SHA256 with the deployment's salt), never in clear: the collector
-- drops later incoming data that carries one. A hash added twice is one row once parts merge; readers take DISTINCT.
CREATE TABLE IF NOT EXISTS suppressed_subjects (
    hash String,
    at   Int64
) ENGINE = ReplacingMergeTree
ORDER BY hash;
