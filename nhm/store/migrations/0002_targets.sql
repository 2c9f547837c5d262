-- nhm schema 2: target levels (Zielniveaus) per municipality, for a dimension or a criterion.
-- Kept per municipality, not per assessment period. The scope is not checked against the
-- catalog here: a target whose dimension's plugin was removed stays (scoring ignores it).

CREATE TABLE target (
    ags     VARCHAR NOT NULL CHECK (regexp_full_match(ags, '[0-9]{8}')),
    scope   VARCHAR NOT NULL,   -- dimension id or full criterion id (dimension.criterion)
    level   TINYINT NOT NULL CHECK (level BETWEEN 0 AND 4),
    note    VARCHAR,
    set_at  TIMESTAMP NOT NULL, -- UTC
    set_by  VARCHAR NOT NULL,
    PRIMARY KEY (ags, scope)
);
