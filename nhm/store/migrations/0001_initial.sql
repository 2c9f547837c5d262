-- nhm schema 1: municipalities, assessments with revisions and responses, rings, audit log.
-- No foreign keys: DuckDB refuses upserts on rows that a foreign key references, and the
-- repositories (the only code that writes) keep the references intact.

CREATE TABLE municipality (
    ags             VARCHAR PRIMARY KEY CHECK (regexp_full_match(ags, '[0-9]{8}')),
    name            VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    land            VARCHAR NOT NULL,
    kreis_ags       VARCHAR,
    population      INTEGER CHECK (population >= 0),
    population_date DATE,
    size_class      VARCHAR,   -- derived from kind and population on every write (a cache)
    is_county       BOOLEAN NOT NULL,
    is_demo         BOOLEAN NOT NULL DEFAULT false,
    source          VARCHAR NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);

CREATE SEQUENCE assessment_id_seq START 1;

CREATE TABLE assessment (
    id            INTEGER PRIMARY KEY DEFAULT nextval('assessment_id_seq'),
    ags           VARCHAR NOT NULL,
    period        INTEGER NOT NULL CHECK (period BETWEEN 1990 AND 2100),
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    status        VARCHAR NOT NULL CHECK (status IN ('draft', 'submitted')),
    version       INTEGER NOT NULL DEFAULT 1,  -- optimistic concurrency: +1 on every write
    is_demo       BOOLEAN NOT NULL DEFAULT false,
    created_at    TIMESTAMP NOT NULL,
    created_by    VARCHAR NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    updated_by    VARCHAR NOT NULL,
    submitted_at  TIMESTAMP,
    submitted_by  VARCHAR,
    UNIQUE (ags, period, revision)
);

CREATE TABLE assessment_dimension (
    assessment_id     INTEGER NOT NULL,
    dimension_id      VARCHAR NOT NULL,
    dimension_version VARCHAR NOT NULL,
    PRIMARY KEY (assessment_id, dimension_id)
);

CREATE TABLE response (
    assessment_id      INTEGER NOT NULL,
    criterion_id       VARCHAR NOT NULL,  -- full id: dimension.criterion
    dimension_id       VARCHAR NOT NULL,
    level              TINYINT CHECK (level BETWEEN 0 AND 4),
    not_applicable     BOOLEAN NOT NULL DEFAULT false,
    justification      VARCHAR,
    evidence_status    VARCHAR NOT NULL,
    evidence_reference VARCHAR,
    comment            VARCHAR,
    answered_by        VARCHAR,
    answered_at        TIMESTAMP,   -- UTC
    version            INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (assessment_id, criterion_id),
    CHECK ((level IS NULL) = not_applicable)
);

CREATE SEQUENCE ring_id_seq START 1;

CREATE TABLE ring (
    id              INTEGER PRIMARY KEY DEFAULT nextval('ring_id_seq'),
    name            VARCHAR NOT NULL UNIQUE,
    coordinator     VARCHAR NOT NULL,
    period          INTEGER,
    min_group_size  INTEGER NOT NULL DEFAULT 5 CHECK (min_group_size >= 3),
    is_demo         BOOLEAN NOT NULL DEFAULT false,
    created_at      TIMESTAMP NOT NULL,
    created_by      VARCHAR NOT NULL
);

CREATE TABLE ring_member (
    ring_id        INTEGER NOT NULL,
    ags            VARCHAR NOT NULL,
    consent_named  BOOLEAN NOT NULL DEFAULT false,
    consent_at     TIMESTAMP,
    consent_by     VARCHAR,
    joined_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (ring_id, ags)
);

CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    occurred_at TIMESTAMP NOT NULL,
    actor       VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,   -- e.g. response.saved, assessment.submitted
    entity      VARCHAR NOT NULL,   -- municipality, assessment, ring …
    entity_key  VARCHAR NOT NULL,   -- e.g. 05916000/2025/r2
    detail      JSON
);

CREATE INDEX audit_entity_idx ON audit_log (entity, entity_key);
