"""Assessment data types: responses to criteria and the assessment that holds them.

These are plain validated values; storing them and their history is the store's job.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from nhm.model import Criterion
from nhm.municipality import AGS

NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
FreeText = Annotated[str, StringConstraints(pattern=NO_CONTROL_CHARACTERS)]
"""Text typed by a person: line breaks and tabs are fine, other control characters are not."""


class EvidenceStatus(StrEnum):
    """How well an answer is backed."""

    SELF_DECLARED = "self_declared"
    DOCUMENTED = "documented"
    EXTERNALLY_VERIFIED = "externally_verified"


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Response(BaseModel):
    """The answer to one criterion: a level 0-4, or not applicable with a justification."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: int | None = Field(default=None, ge=0, le=4, strict=True)
    not_applicable: bool = Field(default=False, strict=True)
    justification: FreeText | None = Field(
        default=None,
        max_length=5_000,
        description="Why the criterion does not apply (required for N/A).",
    )
    evidence_status: EvidenceStatus = EvidenceStatus.SELF_DECLARED
    evidence_reference: FreeText | None = Field(
        default=None,
        max_length=2_000,
        description="Document title, file reference or URL backing the answer.",
    )
    comment: FreeText | None = Field(default=None, max_length=10_000)
    answered_by: FreeText | None = Field(default=None, max_length=200)
    answered_at: datetime | None = None

    @field_validator("answered_at")
    @classmethod
    def _as_utc(cls, value: datetime | None) -> datetime | None:
        """Times are kept in UTC; a time without a zone is taken to be UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("the time is out of range") from None

    @model_validator(mode="after")
    def _level_or_not_applicable(self) -> Self:
        if self.not_applicable:
            if self.level is not None:
                raise ValueError("a response is either a level or not applicable, not both")
            if not (self.justification or "").strip():
                raise ValueError("not applicable needs a justification")
        elif self.level is None:
            raise ValueError("a response needs a level 0-4 or not applicable")
        return self

    def check_against(self, criterion: Criterion) -> None:
        """Raise ValueError if this response is not allowed for ``criterion``."""
        if self.not_applicable and not criterion.na_allowed:
            raise ValueError(
                f"criterion {criterion.id!r} must be answered; not applicable is not allowed"
            )


class Assessment(BaseModel):
    """One municipality's self-assessment for one period (year), in one revision."""

    model_config = ConfigDict(extra="forbid")

    ags: AGS
    period: int = Field(ge=1990, le=2100)
    revision: int = Field(default=1, ge=1)
    status: AssessmentStatus = AssessmentStatus.DRAFT
    responses: dict[str, Response] = Field(
        default_factory=dict, description="Full criterion id ('dimension.criterion') -> response."
    )
    dimension_versions: dict[str, str] = Field(
        default_factory=dict, description="Dimension id -> the content version answered."
    )

    def responses_for(self, dimension_id: str) -> dict[str, Response]:
        """The responses of one dimension, keyed by the criterion's short id."""
        prefix = f"{dimension_id}."
        return {
            key.removeprefix(prefix): response
            for key, response in self.responses.items()
            if key.startswith(prefix)
        }
