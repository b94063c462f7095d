-- GDPR deletion and the audit log (docs/governance.md).

-- Who did what to what, when, with what outcome. Append-only: the triggers refuse any edit or removal, so not even
-- a GDPR deletion or a retention run touches it (its targets hold subjects only as keyed hashes).
CREATE TABLE audit_log (
    seq     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    role    TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    outcome TEXT    NOT NULL,
    detail  TEXT    NOT NULL
);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Ids of deleted subjects, as keyed hashes (HMAC-SHA256 with the deployment's salt), never in clear: the collector
-- drops later events that carry one.
CREATE TABLE suppressed_subjects (
    hash TEXT    NOT NULL PRIMARY KEY,
    at   INTEGER NOT NULL
) WITHOUT ROWID;
