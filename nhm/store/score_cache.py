"""The score cache: dimension scores of submitted assessments, computed once in SQL.

The formula is nhm's default score (see :mod:`nhm.scoring`): Σ weight × level ÷ Σ weight × 4
× 100 over the answered, applicable criteria, rounded to 6 decimals so that equal scores
compare equal. Dimensions scored by a plugin are not cached; their weights are not passed in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import duckdb

from nhm.store.database import Store

FORMULA_VERSION = "score-v1"
MARKER = "*"  # dimension_id of the row that says "this assessment is computed"

WEIGHTS_SQL = """
    SELECT unnest($criterion_ids) AS criterion_id, unnest($dimension_ids) AS dimension_id,
           unnest($weights) AS weight
"""
SCORE_SQL = "round(100 * sum(w.weight * r.level) / sum(w.weight * 4), 6)"

_MISSING = """
    SELECT a.id FROM assessment a
    WHERE a.status = 'submitted' AND NOT EXISTS (
        SELECT 1 FROM score_cache c
        WHERE c.assessment_id = a.id AND c.fingerprint = $fingerprint
          AND c.dimension_id = '*')
"""

_COUNTS = """
    SELECT (SELECT count(*) FROM assessment WHERE status = 'submitted'),
           (SELECT count(*) FROM score_cache
            WHERE fingerprint = $fingerprint AND dimension_id = '*')
"""


def fingerprint(criterion_ids: Sequence[str], weights: Sequence[float]) -> str:
    """Identifies the criteria and weights scores were computed with."""
    text = ";".join(f"{c}={w!r}" for c, w in sorted(zip(criterion_ids, weights, strict=True)))
    return hashlib.sha256(f"{FORMULA_VERSION}|{text}".encode()).hexdigest()[:32]


class ScoreCache:
    def __init__(self, store: Store) -> None:
        self.store = store

    def refresh(
        self, criterion_ids: Sequence[str], dimension_ids: Sequence[str], weights: Sequence[float]
    ) -> str:
        """Compute the scores of submitted assessments not cached yet; return the fingerprint."""
        key = fingerprint(criterion_ids, weights)
        params = {
            "fingerprint": key,
            "criterion_ids": list(criterion_ids),
            "dimension_ids": list(dimension_ids),
            "weights": [float(w) for w in weights],
        }
        with self.store.cursor() as cursor:
            counts = cursor.execute(_COUNTS, {"fingerprint": key}).fetchone()
        if counts is not None and counts[0] == counts[1]:
            return key  # every submitted assessment is computed (orphans are removed below)

        def unit(cursor: duckdb.DuckDBPyConnection) -> None:
            cursor.execute(
                "DELETE FROM score_cache WHERE fingerprint <> $fingerprint OR assessment_id "
                "NOT IN (SELECT id FROM assessment WHERE status = 'submitted')",
                {"fingerprint": key},
            )
            cursor.execute(
                f"""
                INSERT INTO score_cache
                WITH weights AS ({WEIGHTS_SQL}), missing AS ({_MISSING})
                SELECT m.id, $fingerprint, w.dimension_id, {SCORE_SQL}
                FROM missing m JOIN response r ON r.assessment_id = m.id
                JOIN weights w ON w.criterion_id = r.criterion_id
                WHERE r.level IS NOT NULL
                GROUP BY ALL
                UNION ALL
                SELECT id, $fingerprint, '*', NULL FROM missing
                """,
                params,
            )

        self.store.write(unit)
        return key
