"""nhm's own next steps: the next level's descriptor of the criteria that matter most.

Per dimension, in this order:

1. the *weakest links*: every criterion at the gated level, since the gated level rises only
   when all of them rise;
2. criteria below the municipality's own target;
3. the lowest of the remaining criteria (heavier weight first), until ``limit`` steps exist.

Each step's text is the descriptor of the level above the current one, which is what the
municipality has to put in place next. Criteria at level 4, not applicable or unanswered
get no step (unanswered ones are listed when submitting, not here).
"""

from __future__ import annotations

from collections.abc import Mapping

from nhm.assessment import Response
from nhm.contributions import Recommendation, RecommendationReason
from nhm.model import Criterion, Dimension
from nhm.scoring import MAX_LEVEL, DimensionScore, applicable_levels, criterion_targets

DEFAULT_LIMIT = 3

_PRIORITY = {
    RecommendationReason.WEAKEST_LINK: 10,
    RecommendationReason.BELOW_TARGET: 20,
    RecommendationReason.LOWEST: 30,
}


def default_recommendations(
    dimension: Dimension,
    score: DimensionScore,
    responses: Mapping[str, Response],
    targets: Mapping[str, int] | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    """Steps for one dimension, most important first (see the module docstring)."""
    wanted = criterion_targets(dimension, targets or {})
    order = {c.id: index for index, c in enumerate(dimension.criteria)}
    gated = score.gated_level
    picked: list[tuple[RecommendationReason, Criterion, int]] = []
    rest: list[tuple[Criterion, int]] = []
    for criterion, level in applicable_levels(dimension, responses):
        if level >= MAX_LEVEL:
            continue
        if gated is not None and level == gated:
            picked.append((RecommendationReason.WEAKEST_LINK, criterion, level))
        elif level < wanted.get(criterion.id, -1):
            picked.append((RecommendationReason.BELOW_TARGET, criterion, level))
        else:
            rest.append((criterion, level))
    rest.sort(key=lambda item: (item[1], -item[0].weight, order[item[0].id]))
    picked += [(RecommendationReason.LOWEST, c, level) for c, level in rest][
        : max(0, limit - len(picked))
    ]
    picked.sort(key=lambda item: (_PRIORITY[item[0]], item[2], -item[1].weight, order[item[1].id]))
    return [
        Recommendation(
            dimension_id=dimension.id,
            criterion_id=criterion.id,
            text=criterion.level(level + 1),
            priority=_PRIORITY[reason],
            current_level=level,
            next_level=level + 1,
            reason=reason,
            source="nhm",
        )
        for reason, criterion, level in picked
    ]
