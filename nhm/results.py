"""An assessment's evaluation as the CLI and the app show it: the stored revision, the
municipality's targets and its baseline (the first earlier submitted assessment)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nhm.assessment import Assessment, AssessmentStatus
from nhm.evaluation import Evaluation, evaluate
from nhm.model import Catalog
from nhm.plugins import PluginHost

if TYPE_CHECKING:
    from nhm.store import Store
    from nhm.store.assessments import AssessmentRecord


def baseline_assessment(store: Store, ags: str, period: int) -> Assessment | None:
    """The earliest earlier period's latest submitted revision: the baseline for progress."""
    earlier = [
        s
        for s in store.assessments.list(ags=ags)
        if s.period < period and s.status is AssessmentStatus.SUBMITTED
    ]
    if not earlier:
        return None
    first = min(s.period for s in earlier)
    revision = max(s.revision for s in earlier if s.period == first)
    record = store.assessments.get(ags, first, revision)
    return record.to_assessment() if record is not None else None


def municipality_targets(store: Store, ags: str) -> dict[str, int]:
    """Target levels (dimension or criterion id -> level) the municipality has set."""
    from nhm.store.targets import TargetRepository

    return TargetRepository(store).for_municipality(ags)


def evaluate_record(
    store: Store, record: AssessmentRecord, catalog: Catalog, host: PluginHost | None
) -> Evaluation:
    """Scores, target progress, next steps and findings of a stored revision."""
    return evaluate(
        record.to_assessment(),
        catalog,
        host,
        municipality_targets(store, record.ags),
        baseline_assessment(store, record.ags, record.period),
    )
