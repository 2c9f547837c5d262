"""A municipality's assessments over time: scores per period, targets, progress and what
changed between two assessments.

Per period one assessment counts: its latest submitted revision, or, where a period has only
drafts, its latest draft (marked as such; its values are provisional). Scores come from
:func:`nhm.evaluation.evaluate`, the same code as the results view, plugin scorers included.
Progress is measured from the first period's counting assessment when it is submitted (the
baseline the results view uses, :func:`nhm.results.baseline_assessment`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from nhm.assessment import Assessment, AssessmentStatus, Response
from nhm.evaluation import evaluate
from nhm.model import Catalog
from nhm.plugins import PluginHost
from nhm.scoring import AssessmentScore, TargetProgress

if TYPE_CHECKING:
    from nhm.store import Store
    from nhm.store.assessments import AssessmentRecord, AssessmentSummary


# --- scores per period --------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodPoint:
    """The assessment that counts for one period, with its scores and target progress."""

    assessment_id: int
    period: int
    revision: int
    status: AssessmentStatus
    changed_at: datetime  # submitted_at of a submitted revision, else updated_at
    scores: AssessmentScore
    targets: dict[str, TargetProgress]  # by dimension id

    @property
    def is_draft(self) -> bool:
        return self.status is AssessmentStatus.DRAFT

    @property
    def overall(self) -> float | None:
        return self.scores.overall.value

    def score(self, dimension_id: str) -> float | None:
        found = self.scores.dimensions.get(dimension_id)
        return found.score if found is not None else None

    def target_score(self, dimension_id: str) -> float | None:
        found = self.targets.get(dimension_id)
        return found.target_score if found is not None else None


@dataclass(frozen=True)
class Progress:
    """A score's change since the baseline, in percentage points (None: not comparable)."""

    baseline: float | None
    current: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


@dataclass(frozen=True)
class History:
    """A municipality's counting assessments in period order, with its targets."""

    ags: str
    points: tuple[PeriodPoint, ...]
    targets: dict[str, int]  # scope (dimension or criterion id) -> target level

    @property
    def latest(self) -> PeriodPoint | None:
        return self.points[-1] if self.points else None

    @property
    def baseline(self) -> PeriodPoint | None:
        """The first submitted counting assessment (a draft-only period is no baseline)."""
        return next((p for p in self.points if not p.is_draft), None)

    @property
    def has_targets(self) -> bool:
        return any(
            progress.has_targets for point in self.points for progress in point.targets.values()
        )

    def progress(self, dimension_id: str | None = None) -> Progress:
        """The latest period against the baseline: one dimension, or the overall index
        (``None``). No baseline before the latest period: nothing to compare."""
        latest, baseline = self.latest, self.baseline
        if latest is None or baseline is None or baseline.period >= latest.period:
            current = None if latest is None else _value(latest, dimension_id)
            return Progress(baseline=None, current=current)
        return Progress(_value(baseline, dimension_id), _value(latest, dimension_id))


def _value(point: PeriodPoint, dimension_id: str | None) -> float | None:
    return point.overall if dimension_id is None else point.score(dimension_id)


def counting_revisions(summaries: Iterable[AssessmentSummary]) -> list[AssessmentSummary]:
    """Per period the revision that counts, in period order: the latest submitted one, else
    (only drafts) the latest draft."""
    by_period: dict[int, AssessmentSummary] = {}
    for summary in summaries:
        current = by_period.get(summary.period)
        if current is None or _counts_more(summary, current):
            by_period[summary.period] = summary
    return [by_period[period] for period in sorted(by_period)]


def _counts_more(candidate: AssessmentSummary, current: AssessmentSummary) -> bool:
    if candidate.is_draft != current.is_draft:
        return not candidate.is_draft
    return candidate.revision > current.revision


def period_point(
    record: AssessmentRecord,
    catalog: Catalog,
    host: PluginHost | None = None,
    targets: Mapping[str, int] | None = None,
) -> PeriodPoint:
    """Score one stored revision (and its target progress) with the evaluation code."""
    evaluation = evaluate(record.to_assessment(), catalog, host, targets or {})
    return PeriodPoint(
        assessment_id=record.id,
        period=record.period,
        revision=record.revision,
        status=record.status,
        changed_at=record.submitted_at or record.updated_at,
        scores=evaluation.scores,
        targets=evaluation.progress,
    )


def build_history(
    records: Sequence[AssessmentRecord],
    catalog: Catalog,
    host: PluginHost | None = None,
    targets: Mapping[str, int] | None = None,
) -> History:
    """The history of one municipality from its revisions (any number per period)."""
    ags = {r.ags for r in records}
    if len(ags) > 1:
        raise ValueError(f"revisions of several municipalities: {', '.join(sorted(ags))}")
    chosen = {r.id for r in counting_revisions(records)}
    points = tuple(
        period_point(r, catalog, host, targets)
        for r in sorted(records, key=lambda r: r.period)
        if r.id in chosen
    )
    return History(ags=next(iter(ags), ""), points=points, targets=dict(targets or {}))


def load_history(
    store: Store,
    ags: str,
    catalog: Catalog,
    host: PluginHost | None = None,
    summaries: Iterable[AssessmentSummary] | None = None,
) -> History:
    """The history of one municipality as stored: reads its revisions (``summaries``, if the
    caller has them already), the counting ones with their answers, and its targets; nothing
    of other municipalities."""
    from nhm.results import municipality_targets

    if summaries is None:
        summaries = store.assessments.list(ags=ags)
    counting = counting_revisions(s for s in summaries if s.ags == ags)
    records = [store.assessments.get_by_id(s.id) for s in counting]
    targets = municipality_targets(store, ags)
    if not records:
        return History(ags=ags, points=(), targets=targets)
    return build_history(records, catalog, host, targets)


# --- comparing two assessments ------------------------------------------------------------------


class ChangeKind(StrEnum):
    """How one criterion's answer differs between two assessments."""

    IMPROVED = "improved"  # a higher level
    WORSENED = "worsened"  # a lower level
    CHANGED = "changed"  # anything else: N/A, evidence, comment, answered or cleared
    NEW = "new"  # its dimension is covered by the later assessment only
    DROPPED = "dropped"  # its dimension is covered by the earlier assessment only
    UNCHANGED = "unchanged"


class Aspect(StrEnum):
    """What changed in one answer."""

    LEVEL = "level"
    NOT_APPLICABLE = "not_applicable"  # applicable ↔ not applicable
    JUSTIFICATION = "justification"
    EVIDENCE_STATUS = "evidence_status"
    EVIDENCE_REFERENCE = "evidence_reference"
    COMMENT = "comment"
    ANSWERED = "answered"  # unanswered before
    CLEARED = "cleared"  # unanswered after


@dataclass(frozen=True)
class CriterionChange:
    """One criterion in two assessments: both answers (None: unanswered) and the difference."""

    criterion_id: str  # full id: dimension.criterion
    before: Response | None
    after: Response | None
    kind: ChangeKind
    aspects: tuple[Aspect, ...]
    in_catalog: bool = True  # False: a dimension no installed plugin provides any more

    @property
    def dimension_id(self) -> str:
        return self.criterion_id.split(".", 1)[0]

    @property
    def level_before(self) -> int | None:
        return self.before.level if self.before is not None else None

    @property
    def level_after(self) -> int | None:
        return self.after.level if self.after is not None else None


@dataclass(frozen=True)
class Comparison:
    """Criterion by criterion, catalog order first, then criteria the catalog lacks."""

    changes: tuple[CriterionChange, ...]

    @property
    def counts(self) -> Counter[ChangeKind]:
        return Counter(c.kind for c in self.changes)

    @property
    def changed(self) -> tuple[CriterionChange, ...]:
        return tuple(c for c in self.changes if c.kind is not ChangeKind.UNCHANGED)

    @property
    def improved(self) -> int:
        return self.counts[ChangeKind.IMPROVED]

    @property
    def worsened(self) -> int:
        return self.counts[ChangeKind.WORSENED]

    @property
    def otherwise_changed(self) -> int:
        """Changed without a level going up or down: N/A, evidence, comments, new criteria."""
        counts = self.counts
        return sum(counts[k] for k in (ChangeKind.CHANGED, ChangeKind.NEW, ChangeKind.DROPPED))


def covered_dimensions(assessment: Assessment) -> set[str]:
    """Dimensions the assessment was made with (recorded versions) or answers."""
    return set(assessment.dimension_versions) | {
        key.split(".", 1)[0] for key in assessment.responses
    }


def compare(before: Assessment, after: Assessment, catalog: Catalog) -> Comparison:
    """What changed from ``before`` to ``after`` (two revisions of a period, or two periods),
    criterion by criterion. A criterion whose dimension only one of them covers (a plugin
    dimension added later, or removed) is ``NEW`` or ``DROPPED`` where it is answered."""
    covered_before, covered_after = covered_dimensions(before), covered_dimensions(after)
    ids = [dimension.full_id(criterion) for dimension, criterion in catalog.iter_criteria()]
    known = set(ids)
    extra = sorted((set(before.responses) | set(after.responses)) - known)
    changes = []
    for criterion_id in [*ids, *extra]:
        dimension_id = criterion_id.split(".", 1)[0]
        old, new = before.responses.get(criterion_id), after.responses.get(criterion_id)
        kind, aspects = _difference(old, new)
        only_before = dimension_id in covered_before - covered_after
        only_after = dimension_id in covered_after - covered_before
        if only_after and new is not None:
            kind = ChangeKind.NEW
        elif only_before and old is not None:
            kind = ChangeKind.DROPPED
        changes.append(
            CriterionChange(criterion_id, old, new, kind, aspects, criterion_id in known)
        )
    return Comparison(tuple(changes))


def _difference(
    before: Response | None, after: Response | None
) -> tuple[ChangeKind, tuple[Aspect, ...]]:
    if before is None and after is None:
        return ChangeKind.UNCHANGED, ()
    if before is None:
        return ChangeKind.CHANGED, (Aspect.ANSWERED,)
    if after is None:
        return ChangeKind.CHANGED, (Aspect.CLEARED,)
    aspects = []
    if before.not_applicable != after.not_applicable:
        aspects.append(Aspect.NOT_APPLICABLE)
    elif before.level != after.level:
        aspects.append(Aspect.LEVEL)
    both_na = before.not_applicable and after.not_applicable
    if both_na and _text(before.justification) != _text(after.justification):
        aspects.append(Aspect.JUSTIFICATION)
    if before.evidence_status is not after.evidence_status:
        aspects.append(Aspect.EVIDENCE_STATUS)
    if _text(before.evidence_reference) != _text(after.evidence_reference):
        aspects.append(Aspect.EVIDENCE_REFERENCE)
    if _text(before.comment) != _text(after.comment):
        aspects.append(Aspect.COMMENT)
    if before.level is not None and after.level is not None and before.level != after.level:
        kind = ChangeKind.IMPROVED if after.level > before.level else ChangeKind.WORSENED
    else:
        kind = ChangeKind.CHANGED if aspects else ChangeKind.UNCHANGED
    return kind, tuple(aspects)


def _text(value: str | None) -> str:
    """Free text as compared: surrounding white space and "no text" do not count."""
    return (value or "").strip()
