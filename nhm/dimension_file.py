"""Reading dimension files (YAML or JSON) with errors that name file, line and field.

A dimension file's mistakes are found by the pydantic model; the shared reader in
``nhm.structured_file`` maps each error's field path back to the line in the file, so an
author sees ``dimension.yaml:42: criteria[3].levels: …`` instead of a bare validation dump.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from nhm.model import ID_PATTERN, SEMVER_PATTERN, Dimension
from nhm.structured_file import (
    STRUCTURED_SUFFIXES,
    FieldError,
    StructuredFileError,
    describe_kind,
    format_loc,
    read_structured,
    validation_errors,
)

DIMENSION_FILE_SUFFIXES = STRUCTURED_SUFFIXES
MAX_FILE_BYTES = 2_000_000

_PATTERN_MESSAGES = {
    ID_PATTERN: "must start with a lower-case letter and contain only a-z, 0-9 and _",
    SEMVER_PATTERN: 'must be a version MAJOR.MINOR.PATCH such as "1.0.0"',
}

__all__ = [
    "DIMENSION_FILE_SUFFIXES",
    "DimensionFileError",
    "FieldError",
    "format_loc",
    "load_dimension_file",
]


class DimensionFileError(StructuredFileError):
    """A dimension file could not be read or is invalid; ``errors`` lists every problem."""

    noun = "dimension file"


def load_dimension_file(path: str | Path) -> Dimension:
    """Read and validate one dimension file; raise DimensionFileError with every problem."""
    path = Path(path)
    parsed = read_structured(
        path, DimensionFileError, max_bytes=MAX_FILE_BYTES, noun_plural="dimension files"
    )
    if not isinstance(parsed.data, dict):
        root = parsed.root
        line = root.start_mark.line + 1 if root is not None else 1
        raise DimensionFileError(
            path,
            [
                FieldError(
                    path,
                    line,
                    "",
                    "expected a mapping with the keys id, version, title, "
                    f"description, criteria … at the top level, found {describe_kind(parsed.data)}",
                )
            ],
        )
    try:
        return Dimension.model_validate(parsed.data)
    except ValidationError as exc:
        raise DimensionFileError(
            path,
            validation_errors(
                parsed,
                exc,
                schema_command="nhm schema dimension",
                pattern_messages=_PATTERN_MESSAGES,
            ),
        ) from None
