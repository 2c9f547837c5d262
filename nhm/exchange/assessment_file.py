"""The assessment exchange file (JSON or YAML): one municipality, one period, its answers.

Format ``nhm-assessment/1``::

    format: nhm-assessment/1
    municipality: {ags: "05916000", name: "Herne", kind: kreisfreie_stadt}
    period: 2025
    revision: 1            # optional: without it, the import picks the next revision
    status: submitted      # draft | submitted
    demo: false            # true only for fictional municipalities (AGS digits 4–5 = 99)
    dimension_versions: {governance_actors: "1.0.0"}
    responses:
      - criterion: governance_actors.council_mandate
        level: 3
        evidence_status: documented
        evidence_reference: "Ratsbeschluss 2021/123"
      - criterion: governance_actors.municipal_companies
        not_applicable: true
        justification: "Die Gemeinde hat keine Beteiligungen."

Writing is deterministic (fixed key order, responses in catalog order), so export → import →
export gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from nhm.assessment import NO_CONTROL_CHARACTERS, Assessment, AssessmentStatus, Response
from nhm.model import Catalog
from nhm.municipality import AGS, AGS_PATTERN, Municipality, MunicipalityKind, is_demo_ags
from nhm.structured_file import (
    FieldError,
    ParsedFile,
    StructuredFileError,
    describe_kind,
    read_structured,
    validation_errors,
)

FORMAT = "nhm-assessment/1"
MAX_FILE_BYTES = 5_000_000
MAX_RESPONSES = 2_000

CriterionId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=130),
    Field(description="Full criterion id: dimension.criterion"),
]

_PATTERN_MESSAGES = {
    NO_CONTROL_CHARACTERS: "must not contain control characters (such as NUL)",
    AGS_PATTERN: "must be the 8-digit AGS, written in quotes",
    r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$": (
        "must be a full criterion id 'dimension.criterion' such as "
        "'governance_actors.council_mandate'"
    ),
}


class AssessmentFileError(StructuredFileError):
    noun = "assessment file"


class MunicipalityRef(BaseModel):
    """Who the assessment belongs to. Only ``ags`` and ``name`` are required; the rest is
    used when the municipality is not in the database yet."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ags: AGS
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: MunicipalityKind | None = None
    population: int | None = Field(default=None, ge=0, le=10_000_000)
    population_date: date | None = None


class ResponseEntry(Response):
    """A response with the full id of the criterion it answers."""

    criterion: CriterionId


class AssessmentFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["nhm-assessment/1"] = Field(
        description="File format and version; an nhm that does not know it refuses the file."
    )
    municipality: MunicipalityRef
    period: int = Field(ge=1990, le=2100, description="The year assessed.")
    revision: int | None = Field(default=None, ge=1, le=10_000)
    status: AssessmentStatus = AssessmentStatus.DRAFT
    demo: bool = Field(default=False, description="Fictional demo data.")
    dimension_versions: dict[str, Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=dict, description="Dimension id -> content version answered."
    )
    responses: list[ResponseEntry] = Field(default_factory=list, max_length=MAX_RESPONSES)

    @model_validator(mode="after")
    def _demo_matches_ags(self) -> Self:
        if self.demo != is_demo_ags(self.municipality.ags):
            if self.demo:
                raise ValueError(
                    "demo: true is only allowed for fictional municipalities, whose AGS has 99 "
                    f"in digits 4–5 (found {self.municipality.ags})"
                )
            raise ValueError(
                f"AGS {self.municipality.ags} is in the fictional demo range (digits 4–5 = 99): "
                "set demo: true"
            )
        return self

    def to_assessment(self) -> Assessment:
        return Assessment(
            ags=self.municipality.ags,
            period=self.period,
            revision=self.revision or 1,
            status=self.status,
            # entries are Responses (a subclass); already validated, so they are used as they are
            responses={entry.criterion: entry for entry in self.responses},
            dimension_versions=dict(self.dimension_versions),
        )

    def to_municipality(self) -> Municipality:
        """The municipality to create when the database does not know the AGS yet."""
        ref = self.municipality
        kind = ref.kind or (
            MunicipalityKind.GEMEINDE if self.demo else None  # demo files may omit it
        )
        if kind is None:
            raise ValueError("kind is required for a municipality the database does not know")
        return Municipality(
            ags=ref.ags,
            name=ref.name,
            kind=kind,
            population=ref.population,
            population_date=ref.population_date,
            is_demo=self.demo,
            source="assessment file",
        )


def read_assessment_data(path: Path) -> ParsedFile:
    return read_structured(
        path, AssessmentFileError, max_bytes=MAX_FILE_BYTES, noun_plural="assessment files"
    )


def parse_assessment(parsed: ParsedFile) -> AssessmentFile:
    """Validate parsed data as an assessment file; raise AssessmentFileError with every error."""
    path = parsed.path
    data = parsed.data
    if not isinstance(data, dict):
        raise AssessmentFileError(
            path,
            [
                FieldError(
                    path,
                    parsed.line_of(()),
                    "",
                    "expected a mapping with the keys format, municipality, period, responses … "
                    f"at the top level, found {describe_kind(data)}",
                )
            ],
        )
    found = data.get("format")
    if found != FORMAT:
        if found is None:
            message = f"required key 'format' is missing (expected {FORMAT!r})"
        elif isinstance(found, str) and found.startswith("nhm-assessment/"):
            message = (
                f"this nhm reads {FORMAT!r}, found {found!r} (written by a newer nhm? update "
                "nhm to read it)"
            )
        else:
            message = f"expected {FORMAT!r}, found {found!r}: is this an nhm assessment file?"
        raise AssessmentFileError(path, [parsed.error(("format",), "format", message)])
    try:
        return AssessmentFile.model_validate(data)
    except ValidationError as exc:
        raise AssessmentFileError(
            path,
            validation_errors(
                parsed,
                exc,
                schema_command="nhm schema assessment",
                pattern_messages=_PATTERN_MESSAGES,
            ),
        ) from None


def catalog_errors(
    parsed: ParsedFile, document: AssessmentFile, catalog: Catalog
) -> list[FieldError]:
    """What the catalog refuses: unknown criteria, N/A where it is not allowed, duplicates."""
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document.responses):
        field = f"responses[{index}]"
        if entry.criterion in seen:
            first = seen[entry.criterion]
            errors.append(
                parsed.error(
                    ("responses", index, "criterion"),
                    f"{field}.criterion",
                    f"{entry.criterion} is answered twice (first in responses[{first}])",
                )
            )
            continue
        seen[entry.criterion] = index
        dimension_id, short_id = entry.criterion.split(".", 1)
        try:
            criterion = catalog.criterion(entry.criterion)
        except KeyError:
            reason = (
                f"dimension {dimension_id!r} has no criterion {short_id!r}"
                if _has_dimension(catalog, dimension_id)
                else f"no installed dimension {dimension_id!r} (see `nhm catalog`)"
            )
            errors.append(
                parsed.error(
                    ("responses", index, "criterion"),
                    f"{field}.criterion",
                    f"unknown criterion {entry.criterion!r}: {reason}",
                )
            )
            continue
        if entry.not_applicable and not criterion.na_allowed:
            errors.append(
                parsed.error(
                    ("responses", index, "not_applicable"),
                    f"{field}.not_applicable",
                    f"{entry.criterion} must be answered with a level 0–4; not applicable is "
                    "not allowed for this criterion",
                )
            )
    for dimension_id in document.dimension_versions:
        if not _has_dimension(catalog, dimension_id):
            errors.append(
                parsed.error(
                    ("dimension_versions", dimension_id),
                    f"dimension_versions.{dimension_id}",
                    f"no installed dimension {dimension_id!r} (see `nhm catalog`)",
                )
            )
    return errors


def _has_dimension(catalog: Catalog, dimension_id: str) -> bool:
    return any(d.id == dimension_id for d in catalog.dimensions)


def complete_versions(document: AssessmentFile, catalog: Catalog) -> AssessmentFile:
    """The document with the installed version for every answered dimension it does not name."""
    versions = dict(document.dimension_versions)
    for entry in document.responses:
        dimension_id = entry.criterion.split(".", 1)[0]
        if dimension_id not in versions:
            versions[dimension_id] = catalog.dimension(dimension_id).version
    if versions == document.dimension_versions:
        return document
    return document.model_copy(update={"dimension_versions": versions})


# --- writing ---------------------------------------------------------------------------------


def build_document(
    municipality: Municipality,
    assessment: Assessment,
    catalog: Catalog,
    *,
    is_demo: bool,
) -> AssessmentFile:
    """The exchange document of a stored assessment, responses in catalog order."""
    order = {
        dimension.full_id(criterion): index
        for index, (dimension, criterion) in enumerate(catalog.iter_criteria())
    }
    ordered = sorted(assessment.responses.items(), key=lambda kv: (order.get(kv[0], 10**9), kv[0]))
    return AssessmentFile(
        format=FORMAT,
        municipality=MunicipalityRef(
            ags=municipality.ags,
            name=municipality.name,
            kind=municipality.kind,
            population=municipality.population,
            population_date=municipality.population_date,
        ),
        period=assessment.period,
        revision=assessment.revision,
        status=assessment.status,
        demo=is_demo,
        dimension_versions=dict(sorted(assessment.dimension_versions.items())),
        responses=[
            ResponseEntry(criterion=criterion_id, **response.model_dump())
            for criterion_id, response in ordered
        ],
    )


def document_data(document: AssessmentFile) -> dict[str, Any]:
    """Plain data in the file's key order, without empty optional values."""
    data = document.model_dump(mode="json", exclude_none=True)
    data["responses"] = [_response_data(entry) for entry in document.responses]
    return data


def _response_data(entry: ResponseEntry) -> dict[str, Any]:
    data = entry.model_dump(mode="json", exclude_none=True)
    ordered = {"criterion": data.pop("criterion")}
    if not entry.not_applicable:
        data.pop("not_applicable", None)
    ordered.update(data)
    return ordered


def dump_json(document: AssessmentFile) -> str:
    return json.dumps(document_data(document), ensure_ascii=False, indent=2) + "\n"


class _Dumper(yaml.SafeDumper):
    """Quotes digit-only strings such as an AGS, which YAML 1.2 readers would take as numbers."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if value.isdigit():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(document: AssessmentFile) -> str:
    return yaml.dump(
        document_data(document), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )


def json_schema() -> dict[str, Any]:
    schema = AssessmentFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "nhm assessment file"
    schema["description"] = (
        f"One municipality's self-assessment for one period, format {FORMAT}. Responses name "
        "the full criterion id (dimension.criterion) and give a level 0–4 or not_applicable "
        "with a justification."
    )
    return schema
