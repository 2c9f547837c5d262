"""Free text that would act if it were rendered as Markdown or HTML: a script tag, a
``javascript:`` link, Streamlit's colour and formula syntax. The tests that show such text in
the app, the browser and the reports (``test_*_inert.py``) share it from here."""

from __future__ import annotations

from nhm.assessment import EvidenceStatus, Response

SCRIPT = "<script>alert('x')</script>"
EVIDENCE = "[klick](javascript:alert(1))"
JUSTIFICATION = "**bold** :red[x] $x$"
RING_NAME = "Ring <i>kursiv</i> [r](javascript:alert(2))"
MANDATE = "governance_actors.council_mandate"  # criterion 1 of the first dimension
COMPANIES = "governance_actors.municipal_companies"  # may be not applicable
TOWN_AGS = "05162099"


def hostile_answers(
    comment: str = SCRIPT, justification: str = JUSTIFICATION
) -> dict[str, Response]:
    """Criterion 1 answered with the hostile comment and evidence, a not-applicable criterion
    with the hostile justification."""
    return {
        MANDATE: Response(
            level=3,
            evidence_status=EvidenceStatus.DOCUMENTED,
            evidence_reference=EVIDENCE,
            comment=comment,
        ),
        COMPANIES: Response(not_applicable=True, justification=justification),
    }
