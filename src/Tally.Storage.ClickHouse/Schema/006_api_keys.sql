-- API keys made by `tally keys create` or POST /v1/keys: only the SHA-256 of a key is kept, never the key.
-- ClickHouse has no cheap UPDATE, so a revocation is a second row for the same id with revoked = 1; readers take
-- the latest row per id (argMax over (at, seq)) and never rely on a merge. environment is '' for none.
CREATE TABLE IF NOT EXISTS api_keys (
    id          String,
    name        String,
    role        String,
    environment String,
    created_at  Int64,
    key_hash    String,
    revoked     UInt8,
    at          Int64,
    seq         UInt64
) ENGINE = MergeTree
ORDER BY (id, at, seq);
