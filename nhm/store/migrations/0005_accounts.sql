-- nhm schema 5: user accounts and their role grants (used when NHM_AUTH=accounts or oidc).
-- A password hash is argon2id; accounts signed in through OIDC have none. ``failed_sign_ins``
-- counts consecutive failures since the last success; ``locked_until`` is the end of the
-- current lock-out (UTC). Grants: editor and viewer of one municipality (AGS), coordinator
-- of one ring, admin of everything. NULLs in a UNIQUE constraint are distinct, so uniqueness
-- of a grant is an index over the coalesced scope.

CREATE SEQUENCE user_account_id_seq START 1;

CREATE TABLE user_account (
    id               INTEGER PRIMARY KEY DEFAULT nextval('user_account_id_seq'),
    username         VARCHAR NOT NULL UNIQUE
                     CHECK (regexp_full_match(username, '[a-z0-9._@-]{3,64}')),
    email            VARCHAR UNIQUE,
    display_name     VARCHAR,
    password_hash    VARCHAR,
    disabled         BOOLEAN NOT NULL DEFAULT false,
    failed_sign_ins  INTEGER NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    locked_until     TIMESTAMP,
    last_sign_in_at  TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    created_by       VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE user_grant (
    user_id     INTEGER NOT NULL,
    role        VARCHAR NOT NULL CHECK (role IN ('admin', 'editor', 'viewer', 'coordinator')),
    ags         VARCHAR CHECK (ags IS NULL OR regexp_full_match(ags, '[0-9]{8}')),
    ring_id     INTEGER,
    granted_at  TIMESTAMP NOT NULL,
    granted_by  VARCHAR NOT NULL,
    CHECK (CASE role
        WHEN 'admin' THEN ags IS NULL AND ring_id IS NULL
        WHEN 'coordinator' THEN ags IS NULL AND ring_id IS NOT NULL
        ELSE ags IS NOT NULL AND ring_id IS NULL
    END)
);

CREATE UNIQUE INDEX user_grant_unique_idx
    ON user_grant (user_id, role, coalesce(ags, ''), coalesce(ring_id, 0));
