-- API keys made by `tally keys create` or POST /v1/keys: only the SHA-256 of a key is kept, never the key.
-- A revoked key keeps its row (revoked_at set), so a caller presenting it is told it was revoked.
CREATE TABLE IF NOT EXISTS api_keys (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    environment TEXT,
    created_at  INTEGER NOT NULL,
    key_hash    TEXT    NOT NULL UNIQUE,
    revoked_at  INTEGER
);
