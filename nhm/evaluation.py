"""An assessment's results with plugins taken in: scores, target progress, steps, findings.

:mod:`nhm.scoring` and :mod:`nhm.recommendations` are pure; this module adds what plugins
contribute (``nhm_score_dimension``, ``nhm_recommendations``, ``nhm_check_assessment``) and
nhm's own consistency checks. A plugin that fails or returns something unusable is recorded
against that plugin (``nhm plugins``) and the default is used instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from nhm.assessment import Assessment, EvidenceStatus, Response
from nhm.contributions import Finding, Recommendation, RecommendationReason, Severity
from nhm.model import Catalog, Dimension, LocalizedText
from nhm.plugins import PluginHost
from nhm.recommendations import default_recommendations
from nhm.scoring import (
    AssessmentScore,
    DimensionScore,
    Scorer,
    TargetProgress,
    score_assessment,
    score_dimension,
    target_progress,
)

SCORE_HOOK = "nhm_score_dimension"
RECOMMENDATION_HOOK = "nhm_recommendations"
CHECK_HOOK = "nhm_check_assessment"
NHM_SOURCE = "nhm"


@dataclass(frozen=True)
class Evaluation:
    """Everything the results view and the report show for one assessment."""

    assessment: Assessment
    scores: AssessmentScore
    progress: dict[str, TargetProgress]
    recommendations: dict[str, list[Recommendation]]
    findings: list[Finding]

    def score(self, dimension_id: str) -> DimensionScore:
        return self.scores.dimensions[dimension_id]


def plugin_scorer(host: PluginHost) -> Scorer:
    """A scorer that asks the plugins first (``nhm_score_dimension``) and checks the answer."""

    def scorer(dimension: Dimension, responses: dict[str, Response]) -> DimensionScore | None:
        hit = host.call_first(SCORE_HOOK, dimension=dimension, responses=responses)
        if hit is None:
            return None
        name, value = hit
        if not isinstance(value, DimensionScore):
            problems = [f"returned {type(value).__name__}, expected an nhm.DimensionScore"]
        else:
            problems = value.problems()
            if value.dimension_id != dimension.id:
                problems.append(
                    f"returned a score for {value.dimension_id!r} when asked for {dimension.id!r}"
                )
        if problems:
            host.add_error(
                name,
                SCORE_HOOK,
                f"unusable score for dimension {dimension.id!r}: {'; '.join(problems)}; "
                "the default score is used",
            )
            return None
        assert isinstance(value, DimensionScore)
        return replace(value, scorer=name)

    return scorer


def plugin_scored_dimensions(host: PluginHost, catalog: Catalog) -> set[str]:
    """Dimensions a plugin scores: asked once per dimension with no answers (see hookspecs)."""
    scorer = plugin_scorer(host)
    return {d.id for d in catalog.dimensions if scorer(d, {}) is not None}


def evaluate(
    assessment: Assessment,
    catalog: Catalog,
    host: PluginHost | None = None,
    targets: Mapping[str, int] | None = None,
    baseline: Assessment | None = None,
) -> Evaluation:
    """Score ``assessment``; compare with ``targets`` and the ``baseline`` (first) assessment."""
    custom = plugin_scorer(host) if host is not None else None

    def rescore(dimension: Dimension, responses: dict[str, Response]) -> DimensionScore:
        return (custom and custom(dimension, responses)) or score_dimension(dimension, responses)

    scores = score_assessment(assessment, catalog, custom)
    base_scores = score_assessment(baseline, catalog, custom) if baseline is not None else None
    progress: dict[str, TargetProgress] = {}
    recommendations: dict[str, list[Recommendation]] = {}
    for dimension in catalog.dimensions:
        responses = assessment.responses_for(dimension.id)
        score = scores.dimensions[dimension.id]
        progress[dimension.id] = target_progress(
            dimension,
            responses,
            score,
            targets or {},
            base_scores.dimensions[dimension.id] if base_scores is not None else None,
            scorer=rescore,
        )
        steps = default_recommendations(dimension, score, responses, targets)
        if host is not None:
            steps += _plugin_recommendations(host, dimension, score, responses)
        recommendations[dimension.id] = sorted(steps, key=lambda r: r.priority)
    return Evaluation(
        assessment=assessment,
        scores=scores,
        progress=progress,
        recommendations=recommendations,
        findings=check_assessment(assessment, catalog, host),
    )


def _plugin_recommendations(
    host: PluginHost, dimension: Dimension, score: DimensionScore, responses: dict[str, Response]
) -> list[Recommendation]:
    steps: list[Recommendation] = []
    for name, value in host.call_each(
        RECOMMENDATION_HOOK, dimension=dimension, score=score, responses=responses
    ):
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if not isinstance(item, Recommendation) or item.dimension_id != dimension.id:
                host.add_error(
                    name,
                    RECOMMENDATION_HOOK,
                    f"ignored {type(item).__name__} for dimension {dimension.id!r}: expected "
                    "nhm.Recommendation objects for this dimension",
                )
                continue
            steps.append(replace(item, reason=RecommendationReason.PLUGIN, source=name))
    return steps


def check_assessment(
    assessment: Assessment, catalog: Catalog, host: PluginHost | None = None
) -> list[Finding]:
    """nhm's own findings, then every plugin's ``nhm_check_assessment`` findings."""
    findings = own_findings(assessment, catalog)
    if host is None:
        return findings
    for name, value in host.call_each(CHECK_HOOK, assessment=assessment, catalog=catalog):
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, Finding):
                findings.append(replace(item, source=name))
            else:
                host.add_error(
                    name, CHECK_HOOK, f"ignored {type(item).__name__}: expected nhm.Finding"
                )
    return findings


def own_findings(assessment: Assessment, catalog: Catalog) -> list[Finding]:
    """Answers that would not stand up in a review, and answers to outdated content."""
    findings: list[Finding] = []
    for dimension in catalog.dimensions:
        answered_version = assessment.dimension_versions.get(dimension.id)
        if answered_version is not None and answered_version != dimension.version:
            findings.append(
                Finding(
                    message=LocalizedText(
                        de=f"„{dimension.title.de}“ wurde mit Version {answered_version} "
                        f"beantwortet; aktuell ist Version {dimension.version}.",
                        en=f"“{dimension.title.get('en')}” was answered against version "
                        f"{answered_version}; the current version is {dimension.version}.",
                    ),
                    severity=Severity.INFO,
                    source=NHM_SOURCE,
                )
            )
    for full_id, response in sorted(assessment.responses.items()):
        if (
            response.level is not None
            and response.level >= 3
            and response.evidence_status is EvidenceStatus.SELF_DECLARED
            and not (response.evidence_reference or "").strip()
        ):
            findings.append(
                Finding(
                    message=LocalizedText(
                        de=f"Stufe {response.level} ohne Nachweis: Nennen Sie ein Dokument "
                        "(Ratsbeschluss, Dienstanweisung, Bericht), das die Stufe belegt.",
                        en=f"Level {response.level} without evidence: name a document "
                        "(council decision, directive, report) that shows the level.",
                    ),
                    criterion_id=full_id,
                    severity=Severity.WARNING,
                    source=NHM_SOURCE,
                )
            )
    return findings


def unanswered(assessment: Assessment, catalog: Catalog) -> list[str]:
    """Full ids of the catalog's criteria that have no answer yet, in catalog order."""
    return [
        dimension.full_id(criterion)
        for dimension, criterion in catalog.iter_criteria()
        if dimension.full_id(criterion) not in assessment.responses
    ]
