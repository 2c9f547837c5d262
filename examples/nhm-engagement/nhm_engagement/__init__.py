"""nhm-engagement: an example third-party plugin for nhm.

It adds the dimension "Engagement & Netzwerke" (civic initiatives and networking between the
municipality and initiatives), whose content is data in ``dimension.yaml``, and recommends
the next step for every criterion of that dimension answered below level 2.

The module imports only pluggy, so importing it never needs nhm; nhm's types are imported
inside the hook, where nhm is always present because nhm is the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from nhm import Dimension, Recommendation, Response

hookimpl = pluggy.HookimplMarker("nhm")

DIMENSION_ID = "engagement"
DIMENSION_FILE = Path(__file__).with_name("dimension.yaml")
NEXT_LEVEL = 2
"""Criteria answered below this level get its descriptor as the next step."""


@hookimpl
def nhm_register_dimensions(register: Callable[[object], None]) -> None:
    register(DIMENSION_FILE)


# The spec is nhm_recommendations(dimension, score, responses); nhm passes an implementation
# only the arguments it names, so this one leaves out ``score``, which it does not use.
@hookimpl
def nhm_recommendations(
    dimension: Dimension, responses: Mapping[str, Response]
) -> list[Recommendation] | None:
    if dimension.id != DIMENSION_ID:
        return None
    from nhm import LocalizedText, Recommendation

    steps: list[Recommendation] = []
    for criterion in dimension.criteria:
        response = responses.get(criterion.id)
        if response is None or response.not_applicable or response.level is None:
            continue  # unanswered or not applicable: nothing to recommend
        if response.level >= NEXT_LEVEL:
            continue
        target = criterion.level(NEXT_LEVEL)
        steps.append(
            Recommendation(
                dimension_id=dimension.id,
                criterion_id=criterion.id,
                text=LocalizedText(
                    de=f"{criterion.title.de}, nächster Schritt (Stufe {NEXT_LEVEL}): {target.de}",
                    en=(
                        f"{criterion.title.get('en')}, next step (level {NEXT_LEVEL}): "
                        f"{target.get('en')}"
                    ),
                ),
                priority=10 + response.level,  # level 0 before level 1
            )
        )
    return steps
