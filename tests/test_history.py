"""The history of a municipality (nhm/history.py): the assessment that counts per period, scores
and targets over time, progress since the first assessment, and what changed between two
assessments. Expected values are worked out by hand from the rules in ``nhm/scoring.py``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from nhm.assessment import Assessment, AssessmentStatus, EvidenceStatus, Response
from nhm.catalog import load_catalog
from nhm.history import (
    Aspect,
    ChangeKind,
    build_history,
    compare,
    counting_revisions,
    load_history,
)
from nhm.model import Catalog, Criterion, Dimension, LocalizedText
from nhm.municipality import Municipality, MunicipalityKind
from nhm.store import open_store
from nhm.store.assessments import AssessmentRecord
from nhm.store.targets import TargetRepository

AGS = "05315000"
SUBMITTED, DRAFT = AssessmentStatus.SUBMITTED, AssessmentStatus.DRAFT
NA = Response(not_applicable=True, justification="Keine Beteiligungen.")


def criterion(cid: str, na_allowed: bool = False) -> Criterion:
    return Criterion(
        id=cid,
        title=LocalizedText(de=f"Kriterium {cid}", en=f"Criterion {cid}"),
        question=LocalizedText(de=f"Frage {cid}?"),
        levels={level: LocalizedText(de=f"Stufe {level}") for level in range(5)},
        na_allowed=na_allowed,
    )


def dimension(did: str, criteria: list[Criterion], order: int) -> Dimension:
    return Dimension(
        id=did,
        version="1.0.0",
        title=LocalizedText(de=f"Dimension {did}", en=f"Dimension {did}"),
        description=LocalizedText(de="Für Tests."),
        order=order,
        criteria=criteria,
    )


ALPHA = dimension("alpha", [criterion("a"), criterion("b"), criterion("e")], 10)
BETA = dimension("beta", [criterion("c"), criterion("d", na_allowed=True)], 20)
GAMMA = dimension("gamma", [criterion("g1"), criterion("g2")], 30)  # a plugin's, added later
CATALOG = Catalog(dimensions=[ALPHA, BETA])
WITH_GAMMA = Catalog(dimensions=[ALPHA, BETA, GAMMA])


def lv(level: int, **more: object) -> Response:
    return Response(level=level, **more)  # type: ignore[arg-type]


def record(
    assessment_id: int,
    period: int,
    responses: dict[str, Response],
    *,
    revision: int = 1,
    status: AssessmentStatus = SUBMITTED,
    ags: str = AGS,
    dimensions: tuple[str, ...] = ("alpha", "beta"),
) -> AssessmentRecord:
    moment = datetime(period, 6, 1, tzinfo=UTC)
    return AssessmentRecord(
        id=assessment_id,
        ags=ags,
        period=period,
        revision=revision,
        status=status,
        version=1,
        is_demo=False,
        created_at=moment,
        created_by="test",
        updated_at=moment,
        updated_by="test",
        submitted_at=moment if status is SUBMITTED else None,
        submitted_by="test" if status is SUBMITTED else None,
        dimension_versions=dict.fromkeys(dimensions, "1.0.0"),
        responses=responses,
    )


def assessment(responses: dict[str, Response], dimensions: tuple[str, ...]) -> Assessment:
    return record(1, 2025, responses, dimensions=dimensions).to_assessment()


# --- periods ------------------------------------------------------------------------------------

# 2023: alpha 1,1,1 → 25 %, beta 2,2 → 50 %; overall (equal weights) 37.5 %
# 2024 r1 (submitted): alpha 2,2,2 → 50 %, beta 2,N/A → 50 %; overall 50 %
# 2024 r2 (a later draft, does not count): alpha 4,4,4
# 2025 (draft only): alpha 3,3,3 → 75 %, beta c 3 (d unanswered) → 75 %; overall 75 %
RECORDS = [
    record(
        1,
        2023,
        {"alpha.a": lv(1), "alpha.b": lv(1), "alpha.e": lv(1), "beta.c": lv(2), "beta.d": lv(2)},
    ),
    record(
        2,
        2024,
        {"alpha.a": lv(2), "alpha.b": lv(2), "alpha.e": lv(2), "beta.c": lv(2), "beta.d": NA},
    ),
    record(
        3,
        2024,
        {"alpha.a": lv(4), "alpha.b": lv(4), "alpha.e": lv(4), "beta.c": lv(2), "beta.d": NA},
        revision=2,
        status=DRAFT,
    ),
    record(
        4,
        2025,
        {"alpha.a": lv(3), "alpha.b": lv(3), "alpha.e": lv(3), "beta.c": lv(3)},
        status=DRAFT,
    ),
]


def test_per_period_the_latest_submitted_revision_counts_else_the_latest_draft() -> None:
    drafts_only = [
        record(5, 2026, {}, revision=1, status=DRAFT),
        record(6, 2027, {}, revision=1),
        record(7, 2027, {}, revision=2),
        record(8, 2027, {}, revision=3, status=DRAFT),
    ]
    chosen = counting_revisions([*RECORDS, *drafts_only])
    assert [(r.period, r.revision, r.status) for r in chosen] == [
        (2023, 1, SUBMITTED),
        (2024, 1, SUBMITTED),  # its revision 2 is a draft in progress
        (2025, 1, DRAFT),  # only a draft: shown, marked as draft
        (2026, 1, DRAFT),
        (2027, 2, SUBMITTED),
    ]
    assert counting_revisions(reversed(RECORDS)) == counting_revisions(RECORDS)


def test_scores_per_period_come_from_the_evaluation() -> None:
    history = build_history(RECORDS, CATALOG)
    assert [(p.period, p.revision, p.is_draft) for p in history.points] == [
        (2023, 1, False),
        (2024, 1, False),
        (2025, 1, True),
    ]
    assert [p.score("alpha") for p in history.points] == [25.0, 50.0, 75.0]
    assert [p.score("beta") for p in history.points] == [50.0, 50.0, 75.0]  # N/A leaves out
    assert [p.overall for p in history.points] == [37.5, 50.0, 75.0]
    assert history.points[0].score("gamma") is None  # not in the catalog
    assert not history.has_targets
    assert history.points[0].target_score("alpha") is None


def test_progress_is_measured_from_the_first_assessment() -> None:
    history = build_history(RECORDS, CATALOG)
    assert history.baseline is not None and history.baseline.period == 2023
    assert history.progress("alpha").change == 50.0
    assert history.progress("beta").change == 25.0
    overall = history.progress(None)
    assert (overall.baseline, overall.current, overall.change) == (37.5, 75.0, 37.5)


def test_a_draft_only_first_period_is_shown_but_is_no_baseline() -> None:
    records = [
        record(1, 2023, {"alpha.a": lv(0), "alpha.b": lv(0)}, status=DRAFT),
        record(2, 2024, {"alpha.a": lv(1), "alpha.b": lv(1), "alpha.e": lv(1)}),
        record(3, 2025, {"alpha.a": lv(2), "alpha.b": lv(2), "alpha.e": lv(3)}),
    ]
    history = build_history(records, CATALOG)
    assert [(p.period, p.is_draft) for p in history.points] == [
        (2023, True),
        (2024, False),
        (2025, False),
    ]
    assert history.points[0].score("alpha") == 0.0
    assert history.baseline is not None and history.baseline.period == 2024
    progress = history.progress("alpha")
    assert (progress.baseline, progress.current) == (25.0, 7 / 12 * 100)
    assert progress.change == pytest.approx(7 / 12 * 100 - 25.0)
    assert history.progress("beta").change is None  # beta is not answered at all


def test_without_an_earlier_submitted_assessment_there_is_no_progress() -> None:
    only = build_history([RECORDS[0]], CATALOG)
    assert only.progress("alpha").change is None
    assert only.progress("alpha").current == 25.0
    assert build_history([], CATALOG).progress(None).change is None


def test_targets_give_a_target_score_and_the_gap_per_period() -> None:
    targets = {"alpha": 3, "beta.c": 4}  # a dimension's target and a criterion's own
    history = build_history(RECORDS, CATALOG, targets=targets)
    assert history.has_targets
    assert history.targets == targets
    first, _, latest = history.points
    # 2023: alpha 1,1,1 raised to 3 → 75 %; beta c 2 → 4, d stays 2 → 6/8 = 75 %
    assert first.target_score("alpha") == 75.0
    assert first.targets["alpha"].gap == 50.0
    assert first.targets["beta"].target_score == 75.0
    assert first.targets["beta"].gap == 25.0
    # 2025: alpha at its target; beta c 3 → 4 (d unanswered) → 100 %
    assert latest.targets["alpha"].gap == 0.0
    assert latest.targets["alpha"].percent_of_target == 100.0
    assert latest.targets["beta"].target_score == 100.0
    assert latest.targets["beta"].gap == 25.0
    assert latest.targets["beta"].percent_of_target == 75.0


def test_a_history_holds_one_municipality() -> None:
    with pytest.raises(ValueError, match="several municipalities"):
        build_history([RECORDS[0], record(9, 2024, {}, ags="05111000")], CATALOG)


# --- comparing two assessments ------------------------------------------------------------------


def test_compare_lists_level_na_evidence_and_comment_changes() -> None:
    before = assessment(
        {
            "alpha.a": lv(1),
            "alpha.b": lv(2, comment="alt"),
            "alpha.e": lv(2, comment=" gleich "),
            "beta.c": lv(2, evidence_status=EvidenceStatus.DOCUMENTED, evidence_reference="R1"),
            "beta.d": NA,
        },
        ("alpha", "beta"),
    )
    after = assessment(
        {
            "alpha.a": lv(2),
            "alpha.b": lv(1, comment="neu"),
            "alpha.e": lv(2, comment="gleich"),  # white space does not count
            "beta.c": lv(
                2, evidence_status=EvidenceStatus.EXTERNALLY_VERIFIED, evidence_reference="R2"
            ),
            "beta.d": lv(1),
            "gamma.g1": lv(2),
        },
        ("alpha", "beta", "gamma"),
    )
    comparison = compare(before, after, WITH_GAMMA)
    found = {c.criterion_id: (c.kind, c.aspects) for c in comparison.changes}
    assert found == {
        "alpha.a": (ChangeKind.IMPROVED, (Aspect.LEVEL,)),
        "alpha.b": (ChangeKind.WORSENED, (Aspect.LEVEL, Aspect.COMMENT)),
        "alpha.e": (ChangeKind.UNCHANGED, ()),
        "beta.c": (ChangeKind.CHANGED, (Aspect.EVIDENCE_STATUS, Aspect.EVIDENCE_REFERENCE)),
        "beta.d": (ChangeKind.CHANGED, (Aspect.NOT_APPLICABLE,)),
        "gamma.g1": (ChangeKind.NEW, (Aspect.ANSWERED,)),  # the plugin dimension came later
        "gamma.g2": (ChangeKind.UNCHANGED, ()),
    }
    assert [c.criterion_id for c in comparison.changes] == list(found)  # catalog order
    assert [c.criterion_id for c in comparison.changed] == [
        "alpha.a",
        "alpha.b",
        "beta.c",
        "beta.d",
        "gamma.g1",
    ]
    assert (comparison.improved, comparison.worsened, comparison.otherwise_changed) == (1, 1, 3)
    a = comparison.changes[0]
    assert (a.dimension_id, a.level_before, a.level_after, a.in_catalog) == ("alpha", 1, 2, True)
    d = comparison.changes[4]
    assert (d.level_before, d.level_after) == (None, 1)

    backwards = compare(after, before, WITH_GAMMA)
    kinds = {c.criterion_id: c.kind for c in backwards.changes}
    assert kinds["alpha.a"] is ChangeKind.WORSENED
    assert kinds["alpha.b"] is ChangeKind.IMPROVED
    assert kinds["gamma.g1"] is ChangeKind.DROPPED


def test_compare_sees_answers_given_cleared_and_justifications() -> None:
    other_reason = Response(not_applicable=True, justification="Anderer Grund.")
    before = assessment({"alpha.a": lv(1), "beta.d": NA}, ("alpha", "beta"))
    after = assessment({"alpha.b": lv(3), "beta.d": other_reason}, ("alpha", "beta"))
    found = {c.criterion_id: (c.kind, c.aspects) for c in compare(before, after, CATALOG).changed}
    assert found == {
        "alpha.a": (ChangeKind.CHANGED, (Aspect.CLEARED,)),
        "alpha.b": (ChangeKind.CHANGED, (Aspect.ANSWERED,)),
        "beta.d": (ChangeKind.CHANGED, (Aspect.JUSTIFICATION,)),
    }
    same = compare(before, before, CATALOG)
    assert same.changed == ()
    assert same.counts[ChangeKind.UNCHANGED] == len(same.changes) == 5


def test_compare_keeps_criteria_the_catalog_does_not_know() -> None:
    """A plugin removed since: its answers are compared too, after the catalog's criteria."""
    before = assessment({"zeta.z": lv(1)}, ("alpha", "beta", "zeta"))
    after = assessment({"zeta.z": lv(2), "gamma.g1": lv(1)}, ("alpha", "beta", "gamma", "zeta"))
    comparison = compare(before, after, CATALOG)
    extra = [c for c in comparison.changes if not c.in_catalog]
    assert [(c.criterion_id, c.kind) for c in extra] == [
        ("gamma.g1", ChangeKind.NEW),
        ("zeta.z", ChangeKind.IMPROVED),
    ]
    assert comparison.changes[-2:] == tuple(extra)


# --- from the store -----------------------------------------------------------------------------


def test_load_history_reads_one_municipality_with_its_targets(tmp_path: Path) -> None:
    catalog, host = load_catalog()
    first = catalog.dimensions[0]
    answers = {first.full_id(c): Response(level=2) for c in first.criteria}
    cologne = Municipality(ags=AGS, name="Köln", kind=MunicipalityKind.KREISFREIE_STADT)
    bonn = Municipality(ags="05314000", name="Bonn", kind=MunicipalityKind.KREISFREIE_STADT)
    with open_store(tmp_path / "nhm.duckdb") as store:
        for municipality in (cologne, bonn):
            store.municipalities.save(municipality, "test")
        for ags, period, submit in ((AGS, 2024, True), (bonn.ags, 2024, True), (AGS, 2025, False)):
            draft = store.assessments.create_draft(ags, period, catalog, "test")
            for criterion_id, response in answers.items():
                draft = store.assessments.save_response(
                    draft.id, criterion_id, response, 0, catalog, "test"
                )
            if submit:
                store.assessments.submit(draft.id, draft.version, "test")
        TargetRepository(store).set(AGS, first.id, 3, catalog, "test")

        history = load_history(store, AGS, catalog, host)
        assert history.ags == AGS
        assert [(p.period, p.is_draft) for p in history.points] == [(2024, False), (2025, True)]
        assert history.targets == {first.id: 3}
        assert history.latest is not None
        assert history.latest.score(first.id) == 50.0
        assert history.latest.target_score(first.id) == 75.0
        assert history.progress(first.id).change == 0.0
        assert load_history(store, "05111000", catalog, host).points == ()
