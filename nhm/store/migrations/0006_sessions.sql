-- nhm schema 6: app sessions of signed-in users (NHM_AUTH=accounts). The browser keeps a
-- random token in a cookie; only its SHA-256 is stored, so a copy of the database does not
-- let anyone take over a session. A session ends when the user signs out, after 30 minutes
-- without activity or 12 hours after sign-in (checked by nhm.auth.sessions), or when the
-- account is disabled or removed.

CREATE TABLE user_session (
    token_hash    VARCHAR PRIMARY KEY,
    username      VARCHAR NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    ended_at      TIMESTAMP,
    ended_reason  VARCHAR
);
