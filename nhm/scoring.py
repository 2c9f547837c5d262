"""Scoring: answers → dimension scores, gated levels, coverage, overall index, target progress.

Pure functions over catalog and assessment values; nothing here reads the database or calls
plugins (:mod:`nhm.evaluation` brings plugin scorers in).

The rules (docs/scoring.md explains them for users):

* **score**: percent of the achievable points of a dimension, Σ wᵢ·levelᵢ / Σ wᵢ·4 × 100 over
  the answered, applicable criteria. Not-applicable criteria leave the denominator, as the
  European Energy Award removes non-achievable points; unanswered criteria are left out too
  and lower the *coverage* instead.
* **gated level**: the highest level L that every answered, applicable criterion reaches
  (C2M2's cumulative logic), so a single weak link shows even when the average is high.
* **coverage**: the share of the dimension's criteria that are answered (N/A counts as
  answered: it is a justified answer).
* **overall index**: the weighted mean of the dimension scores (dimension weights), always
  labelled as such; dimensions without a score are left out and named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nhm.assessment import Assessment, Response
from nhm.model import Catalog, Criterion, Dimension, LocalizedText

MAX_LEVEL = 4

OVERALL_INDEX_LABEL = LocalizedText(
    de="Gesamtindex (gewichteter Mittelwert der Dimensionswerte)",
    en="Overall index (weighted mean of the dimension scores)",
)

BANDS: tuple[tuple[float, LocalizedText], ...] = (
    (75.0, LocalizedText(de="fortgeschritten", en="advanced")),
    (50.0, LocalizedText(de="etabliert", en="established")),
    (0.0, LocalizedText(de="im Aufbau", en="developing")),
)
"""Labels for score ranges (eea precedent: 50 % and 75 %); lower bounds are inclusive."""

DEFAULT_SCORER = "nhm"


@dataclass(frozen=True)
class DimensionScore:
    """The result for one dimension. Plugin scorers return this type too.

    ``score`` (0–100) and ``gated_level`` (0–4) are ``None`` when no applicable criterion is
    answered yet; ``coverage`` is the answered share of all criteria (0–1).
    """

    dimension_id: str
    score: float | None
    gated_level: int | None
    coverage: float
    answered: int = 0
    not_applicable: int = 0
    criteria: int = 0
    points: float = 0.0
    achievable: float = 0.0
    scorer: str = DEFAULT_SCORER

    @property
    def complete(self) -> bool:
        return self.answered == self.criteria

    def problems(self) -> list[str]:
        """What makes this score invalid (used to check plugin results)."""
        found = []
        if self.score is not None and not 0.0 <= self.score <= 100.0:
            found.append(f"score {self.score!r} is outside 0–100")
        if self.gated_level is not None and self.gated_level not in range(MAX_LEVEL + 1):
            found.append(f"gated_level {self.gated_level!r} is not a level 0–4")
        if not 0.0 <= self.coverage <= 1.0:
            found.append(f"coverage {self.coverage!r} is outside 0–1")
        return found


@dataclass(frozen=True)
class OverallIndex:
    """The weighted mean of the dimension scores; ``label`` says so wherever it is shown."""

    value: float | None
    included: tuple[str, ...]
    left_out: tuple[str, ...]
    label: LocalizedText = OVERALL_INDEX_LABEL


@dataclass(frozen=True)
class AssessmentScore:
    dimensions: dict[str, DimensionScore]
    overall: OverallIndex


Scorer = Callable[[Dimension, dict[str, Response]], DimensionScore | None]
"""Scores a dimension or returns None to leave it to the default scorer."""


def applicable_levels(
    dimension: Dimension, responses: Mapping[str, Response]
) -> list[tuple[Criterion, int]]:
    """(criterion, level) of every answered, applicable criterion, in catalog order."""
    found = []
    for criterion in dimension.criteria:
        response = responses.get(criterion.id)
        if response is not None and not response.not_applicable and response.level is not None:
            found.append((criterion, response.level))
    return found


def score_dimension(dimension: Dimension, responses: Mapping[str, Response]) -> DimensionScore:
    """The default score of ``dimension``; ``responses`` are keyed by short criterion id."""
    known = {c.id for c in dimension.criteria}
    answered = [cid for cid in responses if cid in known]
    not_applicable = sum(1 for cid in answered if responses[cid].not_applicable)
    levels = applicable_levels(dimension, responses)
    points = sum(c.weight * level for c, level in levels)
    achievable = sum(c.weight * MAX_LEVEL for c, _ in levels)
    total = len(dimension.criteria)
    return DimensionScore(
        dimension_id=dimension.id,
        score=min(100.0, 100.0 * (points / achievable)) if achievable else None,
        gated_level=min(level for _, level in levels) if levels else None,
        coverage=len(answered) / total,
        answered=len(answered),
        not_applicable=not_applicable,
        criteria=total,
        points=points,
        achievable=achievable,
    )


def overall_index(catalog: Catalog, scores: Mapping[str, DimensionScore]) -> OverallIndex:
    """Weighted mean of the dimension scores that exist, with the dimensions left out."""
    included: list[str] = []
    left_out: list[str] = []
    weighted = 0.0
    weights = 0.0
    for dimension in catalog.dimensions:
        result = scores.get(dimension.id)
        if result is None or result.score is None:
            left_out.append(dimension.id)
            continue
        included.append(dimension.id)
        weighted += dimension.weight * result.score
        weights += dimension.weight
    return OverallIndex(
        value=weighted / weights if weights else None,
        included=tuple(included),
        left_out=tuple(left_out),
    )


def score_assessment(
    assessment: Assessment, catalog: Catalog, scorer: Scorer | None = None
) -> AssessmentScore:
    """Score every dimension of the catalog; ``scorer`` may take over single dimensions."""
    results: dict[str, DimensionScore] = {}
    for dimension in catalog.dimensions:
        responses = assessment.responses_for(dimension.id)
        custom = scorer(dimension, responses) if scorer is not None else None
        results[dimension.id] = (
            custom if custom is not None else score_dimension(dimension, responses)
        )
    return AssessmentScore(dimensions=results, overall=overall_index(catalog, results))


def band(score: float | None) -> LocalizedText | None:
    """The label of the range ``score`` falls in ("etabliert" from 50 %, …)."""
    if score is None:
        return None
    for lower, label in BANDS:
        if score >= lower:
            return label
    return BANDS[-1][1]


# --- targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionGap:
    criterion_id: str
    level: int | None  # None: not answered yet
    target: int

    @property
    def levels_missing(self) -> int:
        return self.target - (self.level or 0)


@dataclass(frozen=True)
class TargetProgress:
    """Where a dimension stands against its targets and since the first assessment.

    ``target_score`` is the score the dimension would have if every answered criterion with a
    target reached it (criteria above their target and criteria without one count as they
    are), so it is comparable with ``score``; unanswered criteria are listed in
    ``below_target``. ``gap`` is in percentage points; ``percent_of_target`` is
    score ÷ target score. ``progress`` is the change in points since the baseline (the first
    assessment) and ``progress_to_target`` the share of the way from the baseline to the
    target covered so far (OWASP SAMM compares current and target the same way).
    """

    dimension_id: str
    score: float | None
    target_score: float | None
    gap: float | None
    percent_of_target: float | None
    baseline_score: float | None
    progress: float | None
    progress_to_target: float | None
    below_target: tuple[CriterionGap, ...] = field(default=())

    @property
    def has_targets(self) -> bool:
        return self.target_score is not None


def criterion_targets(dimension: Dimension, targets: Mapping[str, int]) -> dict[str, int]:
    """Short criterion id → target level: the criterion's own target, else its dimension's."""
    dimension_target = targets.get(dimension.id)
    found: dict[str, int] = {}
    for criterion in dimension.criteria:
        target = targets.get(dimension.full_id(criterion), dimension_target)
        if target is not None:
            found[criterion.id] = int(target)
    return found


def target_progress(
    dimension: Dimension,
    responses: Mapping[str, Response],
    score: DimensionScore,
    targets: Mapping[str, int],
    baseline: DimensionScore | None = None,
    scorer: Callable[[Dimension, dict[str, Response]], DimensionScore] | None = None,
) -> TargetProgress:
    """Gap, percent of target and progress since ``baseline`` for one dimension.

    The target score comes from the same ``scorer`` as ``score`` (default: the built-in one),
    applied to the answers with every level below its target raised to it.
    """
    wanted = criterion_targets(dimension, targets)
    raised = dict(responses)
    for criterion, level in applicable_levels(dimension, responses):
        target = wanted.get(criterion.id)
        if target is not None and target > level:
            raised[criterion.id] = responses[criterion.id].model_copy(update={"level": target})
    target_score = (scorer or score_dimension)(dimension, raised).score if wanted else None
    current = score.score
    gap = percent = None
    if target_score is not None and current is not None:
        gap = max(0.0, target_score - current)
        percent = 100.0 if target_score == 0 else min(100.0, 100.0 * current / target_score)
    base = baseline.score if baseline is not None else None
    progress = current - base if current is not None and base is not None else None
    to_target = None
    if progress is not None and target_score is not None and base is not None:
        to_target = 100.0 if target_score <= base else 100.0 * progress / (target_score - base)
    below = []
    for criterion in dimension.criteria:
        target = wanted.get(criterion.id)
        if target is None:
            continue
        response = responses.get(criterion.id)
        if response is not None and response.not_applicable:
            continue
        level = response.level if response is not None else None
        if level is None or level < target:
            below.append(CriterionGap(criterion.id, level, target))
    return TargetProgress(
        dimension_id=dimension.id,
        score=current,
        target_score=target_score,
        gap=gap,
        percent_of_target=percent,
        baseline_score=base,
        progress=progress,
        progress_to_target=to_target,
        below_target=tuple(below),
    )
