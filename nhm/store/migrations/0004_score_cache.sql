-- nhm schema 4: dimension scores of submitted assessments, a cache for benchmarks.
-- Submitted revisions never change, so their scores are computed once from the answers.
-- ``fingerprint`` identifies the criteria and weights the scores were computed with; a
-- changed catalog gets a new fingerprint and the cache fills again. Every computed
-- assessment has a marker row (dimension_id '*'), also when no dimension had a score.
-- The whole table can be deleted at any time: it is rebuilt on the next benchmark.

CREATE TABLE score_cache (
    assessment_id  INTEGER NOT NULL,
    fingerprint    VARCHAR NOT NULL,
    dimension_id   VARCHAR NOT NULL,
    score          DOUBLE,
    PRIMARY KEY (assessment_id, fingerprint, dimension_id)
);
