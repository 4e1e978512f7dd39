-- Truce server schema, version 1. Portable SQL: the same text runs on SQLite and PostgreSQL
-- (TEXT and BIGINT only; booleans as 0/1; times as Unix milliseconds).

-- Server-wide settings: the administrator token's SHA-256 (`admin_token_sha256`).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per negotiation; its rules never change after creation.
CREATE TABLE negotiations (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    protocol TEXT NOT NULL,
    disclosure TEXT NOT NULL,
    rounds BIGINT NOT NULL,
    seed BIGINT NOT NULL,
    case_toml TEXT NOT NULL,
    -- JSON object: party id (or "mediator") -> "human" or an agent spec.
    seats TEXT NOT NULL,
    -- The class (a teacher's group of negotiations of one case), if any.
    class_id TEXT
);
CREATE INDEX negotiations_class ON negotiations (class_id);

-- Invitations: only the SHA-256 of each token is kept.
CREATE TABLE invitations (
    token_sha256 TEXT PRIMARY KEY,
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    participant TEXT NOT NULL,
    role TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX invitations_negotiation ON invitations (negotiation_id, participant);

-- Each party's private preferences (the model's JSON), the latest version.
CREATE TABLE preferences (
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    party TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (negotiation_id, party)
);

-- The append-only record: engine events (the transcript) and participants' notes, numbered per
-- negotiation from 0. The primary key serialises writers: two that append the same number cannot
-- both commit.
CREATE TABLE events (
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (negotiation_id, seq)
);
