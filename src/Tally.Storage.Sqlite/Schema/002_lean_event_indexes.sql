-- Analytics read a columnar projection, not these indexes (docs/architecture.md), and each random-key index
-- roughly doubled the cost of a commit. Per-actor lookups (GDPR deletion) are rare and may scan.
DROP INDEX IF EXISTS events_session_ts;
DROP INDEX IF EXISTS events_user_ts;
DROP INDEX IF EXISTS events_anonymous_ts;
