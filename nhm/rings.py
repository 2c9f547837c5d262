"""The Vergleichsring workflow: what a ring's coordinator does once a year.

A Vergleichsring (KGSt-style benchmarking ring) is a working group of 10–30 municipalities. Its
coordinator creates the ring for a period, adds the members, records which members agree to be
shown by name, collects their assessment files, imports them and hands every member the ring's
overview and report.

Rules (``docs/rings.md`` explains them for users):

* Members must be in the municipality directory. Consent to be shown by name is recorded with
  who and when (the store's audit log keeps every change).
* Files are imported one by one: an invalid file, a file of a municipality that is not a
  member, a file for another period and a second file for the same municipality in one batch
  are rejected with the reason, and nothing of a rejected file is written; the others stay
  imported.
* The overview is the ring's benchmark (:mod:`nhm.benchmark`): only submitted assessments
  count; members appear as "Kommune A", "Kommune B" … in an order set by a secret of the ring,
  by name only where they consented; below the ring's minimum group size there are no figures
  at all, only the reason. A coordinator who is not a member sees the same overview without
  an own municipality.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from nhm.benchmark import (
    BenchmarkError,
    BenchmarkService,
    PeerGroupSpec,
    PluginScores,
    RingMemberScores,
    Statistics,
    suppression_reason,
)
from nhm.model import Catalog, LocalizedText
from nhm.municipality import AGS_PATTERN
from nhm.store import ConflictError, InvalidDataError, NotFoundError, Store
from nhm.store.assessments import AssessmentRecord, AssessmentSummary
from nhm.store.rings import MIN_GROUP_SIZE_FLOOR, Ring, RingMember
from nhm.structured_file import FieldError, StructuredFileError

DEFAULT_MIN_GROUP_SIZE = 5
MAX_NAME_LENGTH = 200

ProgressCallback = Callable[[int, int, str], None]
"""Called after each file: (files done, files in all, name of the file just done)."""


class RingError(ValueError):
    """Input the ring workflow refuses; ``field`` names what was wrong (``name``, ``period``,
    ``min_group_size``, ``coordinator``, ``ring``, ``ags``, ``viewer``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class MemberError(RingError):
    """Members that cannot be added, by kind of problem (the app words each kind itself)."""

    def __init__(
        self,
        malformed: list[str],
        unknown: list[str],
        already: list[str],
        twice: list[str],
    ) -> None:
        problems = []
        if malformed:
            problems.append(
                "expected 8-digit AGS (Amtlicher Gemeindeschlüssel), found "
                + ", ".join(repr(a) for a in malformed)
            )
        if unknown:
            problems.append(
                f"not in the municipality directory: {', '.join(unknown)} (import the official "
                "directory with `nhm municipalities import FILE` or add it with "
                "`nhm municipalities add`)"
            )
        if already:
            problems.append(f"already members: {', '.join(already)}")
        if twice:
            problems.append(f"given more than once: {', '.join(twice)}")
        super().__init__("; ".join(problems), "ags")
        self.malformed = malformed
        self.unknown = unknown
        self.already = already
        self.twice = twice


class SubmissionStatus(StrEnum):
    SUBMITTED = "submitted"  # a submitted revision for the period: it counts
    DRAFT = "draft"  # only drafts: it does not count yet
    MISSING = "missing"  # nothing for the period


@dataclass(frozen=True)
class MemberStatus:
    """A member as the coordinator sees it: name, consent and what it has handed in."""

    ags: str
    name: str
    consent_named: bool
    consent_at: datetime | None
    consent_by: str | None
    joined_at: datetime
    status: SubmissionStatus
    revision: int | None  # the revision that counts (submitted) or the latest draft


class Rejection(StrEnum):
    INVALID = "invalid"  # the file itself: unreadable, wrong format, refused by the catalog
    NOT_MEMBER = "not_member"
    WRONG_PERIOD = "wrong_period"
    DUPLICATE = "duplicate"  # another file of the batch has the same AGS and period
    CONFLICT = "conflict"  # the database refuses it (e.g. differs from a submitted revision)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file of an import: imported, or rejected with the reason."""

    name: str
    path: Path
    key: str | None = None  # AGS/period/revision, when imported
    action: str | None = None  # created, replaced draft, unchanged
    rejection: Rejection | None = None
    ags: str | None = None
    period: int | None = None
    expected_period: int | None = None
    errors: tuple[FieldError, ...] = ()
    other: str | None = None  # for a duplicate: the file of the batch that was taken

    @property
    def imported(self) -> bool:
        return self.rejection is None

    def reason(self) -> str:
        """Why the file was rejected, in English (the CLI's language)."""
        if self.rejection is Rejection.NOT_MEMBER:
            return f"{self.ags} is not a member of this ring (add it first: nhm ring add)"
        if self.rejection is Rejection.WRONG_PERIOD:
            return f"the file is for {self.period}, the ring compares {self.expected_period}"
        if self.rejection is Rejection.DUPLICATE:
            return (
                f"{self.ags}/{self.period} is also in {self.other}, which comes first in this "
                "batch: one file per municipality and period"
            )
        return "; ".join(describe_error(error) for error in self.errors) or "rejected"

    def line(self) -> str:
        """One line for the command line."""
        if self.imported:
            return f"imported {self.name}: {self.key} ({self.action})"
        return f"rejected {self.name}: {self.reason()}"


def describe_error(error: FieldError) -> str:
    """An importer error without the file (the caller names the file): where, field, what."""
    parts = []
    if error.cell:
        parts.append(f"cell {error.cell}")
    elif error.line:
        parts.append(f"line {error.line}")
    if error.field:
        parts.append(error.field)
    parts.append(error.message)
    return ": ".join(parts)


@dataclass(frozen=True)
class MemberScore:
    label: str
    named: bool
    is_self: bool
    score: float


@dataclass(frozen=True)
class DimensionOverview:
    dimension_id: str
    statistics: Statistics | None
    suppressed: LocalizedText | None
    scores: list[MemberScore]  # empty where suppressed
    own_score: float | None  # only when the viewer is a member


@dataclass(frozen=True)
class CriterionOverview:
    criterion_id: str
    statistics: Statistics | None
    suppressed: LocalizedText | None
    distribution: dict[int, int] | None  # level → members; None where suppressed
    not_applicable: int | None
    own_level: int | None  # only when the viewer is a member
    own_not_applicable: bool


@dataclass(frozen=True)
class RingOverview:
    """A ring's comparison for one period, as one viewer may see it."""

    ring: Ring
    period: int
    viewer_is_member: bool
    members_total: int
    status_counts: dict[str, int]  # submitted / draft / missing
    group_size: int | None  # members that count; None where suppressed
    suppressed: LocalizedText | None
    refusal: str | None
    dimensions: list[DimensionOverview]
    criteria: list[CriterionOverview]
    members: list[RingMemberScores]  # labels in the ring's order; empty where suppressed
    is_demo: bool = False  # the peers compared are demo municipalities

    def dimension(self, dimension_id: str) -> DimensionOverview:
        for item in self.dimensions:
            if item.dimension_id == dimension_id:
                return item
        raise KeyError(dimension_id)


@dataclass(frozen=True)
class MemberLevels:
    """One member's answers (for the report's sheets), under its label."""

    label: str
    named: bool
    is_self: bool
    levels: dict[str, int | None] = field(default_factory=dict)  # criterion → level
    not_applicable: frozenset[str] = frozenset()


class RingService:
    """The coordinator's operations on the rings of one store."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog | None = None,
        plugin_scores: PluginScores | None = None,
    ) -> None:
        """Without a catalog, the installed plugins' catalog is loaded when first needed (to
        import files or compare); managing rings and members does not need it."""
        self.store = store
        self._catalog = catalog
        self.plugin_scores = plugin_scores

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            from nhm.catalog import load_catalog

            self._catalog, host = load_catalog()
            self.plugin_scores = PluginScores.from_host(host, self._catalog)
        return self._catalog

    # -- rings ----------------------------------------------------------------------------
    def create(
        self,
        name: str,
        period: int,
        actor: str,
        *,
        min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
        coordinator: str | None = None,
        is_demo: bool = False,
    ) -> Ring:
        """A new ring; RingError names the field that is wrong."""
        name = (name or "").strip()
        if not name:
            raise RingError("a ring needs a name", "name")
        if len(name) > MAX_NAME_LENGTH:
            raise RingError(f"the name is longer than {MAX_NAME_LENGTH} characters", "name")
        if isinstance(period, bool) or not isinstance(period, int) or not 1990 <= period <= 2100:
            raise RingError(f"expected a year 1990–2100, found {period!r}", "period")
        if (
            isinstance(min_group_size, bool)
            or not isinstance(min_group_size, int)
            or min_group_size < MIN_GROUP_SIZE_FLOOR
        ):
            raise RingError(
                f"must be at least {MIN_GROUP_SIZE_FLOOR} (below that a statistic reveals "
                f"single municipalities), found {min_group_size!r}",
                "min_group_size",
            )
        coordinator = (coordinator or actor).strip()
        if not coordinator:
            raise RingError("a ring needs a coordinator", "coordinator")
        if any(r.name.casefold() == name.casefold() for r in self.store.rings.list()):
            raise RingError(f"a ring named {name!r} already exists", "name")
        try:
            return self.store.rings.create(
                name,
                coordinator,
                actor,
                period=period,
                min_group_size=min_group_size,
                is_demo=is_demo,
            )
        except (InvalidDataError, ConflictError) as exc:
            raise RingError(str(exc), "name") from None

    def list(self) -> list[Ring]:
        return self.store.rings.list()

    def find(self, text: str | int) -> Ring:
        """A ring by its id or its name (exact, else ignoring case)."""
        value = str(text).strip()
        if value.isdigit():
            ring = self.store.rings.get(int(value))
            if ring is not None:
                return ring
        rings = self.store.rings.list()
        for candidates in (
            [r for r in rings if r.name == value],
            [r for r in rings if r.name.casefold() == value.casefold()],
        ):
            if len(candidates) == 1:
                return candidates[0]
        known = ", ".join(f"{r.id} {r.name!r}" for r in rings) or "none yet"
        raise RingError(f"no ring with the id or name {value!r} (rings: {known})", "ring")

    def require(self, ring_id: int) -> Ring:
        ring = self.store.rings.get(ring_id)
        if ring is None:
            raise RingError(f"there is no ring with id {ring_id}", "ring")
        return ring

    # -- members --------------------------------------------------------------------------
    def members(self, ring_id: int) -> list[RingMember]:
        return self.store.rings.members(ring_id)

    def add_members(
        self, ring_id: int, ags_values: Sequence[str], actor: str, *, consent_named: bool = False
    ) -> list[str]:
        """Add members by AGS, all or none; returns the AGS added. Every problem (a malformed
        AGS, one not in the directory, one already a member) is named in one RingError."""
        self.require(ring_id)
        wanted = [a.strip() for a in ags_values if a and a.strip()]
        if not wanted:
            raise RingError("no AGS given", "ags")
        malformed = [a for a in wanted if not re.match(AGS_PATTERN, a)]
        valid = [a for a in wanted if a not in malformed]
        known = self.store.municipalities.existing(valid)
        unknown = [a for a in valid if a not in known]
        current = {m.ags for m in self.store.rings.members(ring_id)}
        already = [a for a in dict.fromkeys(valid) if a in current]
        twice = sorted({a for a in valid if valid.count(a) > 1})
        if malformed or unknown or already or twice:
            raise MemberError(malformed, unknown, already, twice)

        def unit(cursor: object) -> None:
            for ags in valid:
                self.store.rings.add_member_on(
                    cursor,  # type: ignore[arg-type]
                    ring_id,
                    ags,
                    actor,
                    consent_named=consent_named,
                )

        try:
            self.store.write(unit)
        except (NotFoundError, ConflictError) as exc:  # changed meanwhile by someone else
            raise RingError(str(exc), "ags") from None
        return valid

    def set_consent(self, ring_id: int, ags: str, consent_named: bool, actor: str) -> None:
        """Record whether a member may be shown by name (the store keeps who and when)."""
        self.require(ring_id)
        try:
            self.store.rings.set_consent(ring_id, ags, consent_named, actor)
        except NotFoundError as exc:
            raise RingError(str(exc), "ags") from None

    def remove_member(self, ring_id: int, ags: str, actor: str) -> None:
        self.require(ring_id)
        try:
            self.store.rings.remove_member(ring_id, ags, actor)
        except NotFoundError as exc:
            raise RingError(str(exc), "ags") from None

    def status(self, ring_id: int, period: int | None = None) -> list[MemberStatus]:
        """Every member with its consent and what it has handed in for the period."""
        ring = self.require(ring_id)
        period = self._period(ring, period)
        members = self.store.rings.members(ring_id)
        summaries = [
            s
            for s in self.store.assessments.list(period=period)
            if s.ags in {m.ags for m in members}
        ]
        by_ags: dict[str, list[AssessmentSummary]] = {}
        for summary in summaries:
            by_ags.setdefault(summary.ags, []).append(summary)
        found = []
        for member in members:
            revisions = by_ags.get(member.ags, [])
            submitted = [s.revision for s in revisions if not s.is_draft]
            if submitted:
                status, revision = SubmissionStatus.SUBMITTED, max(submitted)
            elif revisions:
                status, revision = SubmissionStatus.DRAFT, max(s.revision for s in revisions)
            else:
                status, revision = SubmissionStatus.MISSING, None
            found.append(
                MemberStatus(
                    ags=member.ags,
                    name=member.name or member.ags,
                    consent_named=member.consent_named,
                    consent_at=member.consent_at,
                    consent_by=member.consent_by,
                    joined_at=member.joined_at,
                    status=status,
                    revision=revision,
                )
            )
        return found

    # -- files ----------------------------------------------------------------------------
    def import_files(
        self,
        ring_id: int,
        files: Sequence[Path],
        actor: str,
        *,
        names: Sequence[str] | None = None,
        period: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> list[FileOutcome]:
        """Import each file on its own: a rejected file is reported with its reason and
        nothing of it is written; every other file is imported. ``names`` are the names to
        report (the uploaded names, when the files were saved under others)."""
        from nhm.exchange.importer import import_assessment_files, load_assessment_file

        ring = self.require(ring_id)
        expected = period if period is not None else ring.period
        member_ags = {m.ags for m in self.store.rings.members(ring_id)}
        labels = list(names) if names is not None else [p.name for p in files]
        if len(labels) != len(files):
            raise ValueError("names must name every file")
        taken: dict[tuple[str, int], str] = {}
        outcomes: list[FileOutcome] = []
        for index, (path, name) in enumerate(zip(files, labels, strict=True)):
            outcome: FileOutcome
            try:
                document = load_assessment_file(path, self.catalog)
            except StructuredFileError as exc:
                outcome = FileOutcome(
                    name, path, rejection=Rejection.INVALID, errors=_named(exc.errors, name)
                )
            except OSError as exc:
                error = FieldError(Path(name), None, "", f"cannot read: {exc.strerror or exc}")
                outcome = FileOutcome(name, path, rejection=Rejection.INVALID, errors=(error,))
            else:
                ags, year = document.municipality.ags, document.period
                base = FileOutcome(name, path, ags=ags, period=year, expected_period=expected)
                if ags not in member_ags:
                    outcome = _replace(base, rejection=Rejection.NOT_MEMBER)
                elif expected is not None and year != expected:
                    outcome = _replace(base, rejection=Rejection.WRONG_PERIOD)
                elif (ags, year) in taken:
                    outcome = _replace(
                        base, rejection=Rejection.DUPLICATE, other=taken[(ags, year)]
                    )
                else:
                    taken[(ags, year)] = name
                    report = import_assessment_files(self.store, [path], self.catalog, actor)
                    if report.ok and report.results:
                        result = report.results[0]
                        outcome = _replace(base, key=result.key, action=result.action)
                    else:
                        outcome = _replace(
                            base,
                            rejection=Rejection.CONFLICT,
                            errors=_named(report.errors, name),
                        )
            outcomes.append(outcome)
            if progress is not None:
                progress(index + 1, len(files), name)
        return outcomes

    # -- the overview ---------------------------------------------------------------------
    def overview(
        self, ring_id: int, period: int | None = None, viewer: str | None = None
    ) -> RingOverview:
        """The ring's comparison for ``period`` (default: the ring's) as ``viewer`` sees it:
        a member (its own scores marked) or, with None, the coordinator (no own marks)."""
        ring = self.require(ring_id)
        period = self._period(ring, period)
        members = self.store.rings.members(ring_id)
        member_ags = [m.ags for m in members]
        if viewer is not None and viewer not in member_ags:
            raise RingError(
                f"{viewer} is not a member of the ring {ring.name!r}: a ring is compared only "
                "among its members (leave the viewer out for the coordinator's anonymous view)",
                "viewer",
            )
        counts = dict.fromkeys((s.value for s in SubmissionStatus), 0)
        for item in self.status(ring_id, period):
            counts[item.status.value] += 1
        min_size = max(ring.min_group_size, MIN_GROUP_SIZE_FLOOR)
        reference = viewer or self._reference(ring, member_ags)
        if reference is None:  # no members yet
            return self._empty(ring, period, counts, suppression_reason(min_size))
        service = BenchmarkService(self.store, self.catalog, self.plugin_scores)
        try:
            result = service.benchmark(reference, period, PeerGroupSpec(ring_id=ring.id))
        except (BenchmarkError, NotFoundError) as exc:
            raise RingError(str(exc), "ring") from None
        is_member = viewer is not None
        dimensions = []
        for item in result.dimensions:
            shown = item.statistics is not None and result.suppressed is None
            scores = [
                MemberScore(m.label, m.named, m.is_self and is_member, value)
                for m in result.members
                if (value := m.scores.get(item.dimension_id)) is not None
            ]
            dimensions.append(
                DimensionOverview(
                    dimension_id=item.dimension_id,
                    statistics=item.statistics if shown else None,
                    suppressed=None if shown else (item.suppressed or result.suppressed),
                    scores=scores if shown else [],
                    own_score=item.own_score if is_member else None,
                )
            )
        criteria = [
            CriterionOverview(
                criterion_id=c.criterion_id,
                statistics=c.statistics,
                suppressed=c.suppressed,
                distribution=c.distribution,
                not_applicable=c.not_applicable,
                own_level=c.own_level if is_member else None,
                own_not_applicable=c.own_not_applicable and is_member,
            )
            for c in result.criteria
        ]
        hidden = {d.dimension_id for d in dimensions if d.statistics is None}
        listed = [  # a member's score only where the dimension's figures are shown
            RingMemberScores(
                m.label,
                m.named,
                m.is_self and is_member,
                {k: None if k in hidden else v for k, v in m.scores.items()},
            )
            for m in result.members
        ]
        municipality = self.store.municipalities.get(reference)
        return RingOverview(
            ring=ring,
            period=period,
            viewer_is_member=is_member,
            members_total=len(members),
            status_counts=counts,
            group_size=result.group_size,
            suppressed=result.suppressed,
            refusal=result.refusal,
            dimensions=dimensions,
            criteria=criteria,
            members=listed,
            is_demo=bool(municipality and municipality.is_demo),
        )

    def member_levels(self, overview: RingOverview) -> list[MemberLevels]:
        """Each listed member's answers for the report, under the same label as in the
        overview (empty where the overview is suppressed).

        The labels are matched to the members the way :mod:`nhm.benchmark` gives them; every
        match is checked against the member's scores, so a report never puts one member's
        answers under another's label."""
        if not overview.members:
            return []
        ring = overview.ring
        catalog = self.catalog  # loads the plugins' scorers too, when not given
        counted = self._counted(ring.id, overview.period, overview.is_demo)
        labels = ring_labels(self.store, ring.id, list(counted))
        by_label = {label: ags for ags, label in labels.items()}
        skip = set(self.plugin_scores.dimensions if self.plugin_scores else ())
        skip |= {d.dimension_id for d in overview.dimensions if d.statistics is None}
        found = []
        for member in overview.members:
            ags = by_label.get(member.label)
            record = self.store.assessments.get(ags, overview.period, counted[ags]) if ags else None
            if record is None or not _same_scores(catalog, record, member, skip):
                raise RingError("the ring's data changed meanwhile; please try again", "ring")
            responses = record.responses
            found.append(
                MemberLevels(
                    label=member.label,
                    named=member.named,
                    is_self=member.is_self,
                    levels={cid: r.level for cid, r in responses.items() if not r.not_applicable},
                    not_applicable=frozenset(
                        cid for cid, r in responses.items() if r.not_applicable
                    ),
                )
            )
        return found

    # -- internals ------------------------------------------------------------------------
    def _period(self, ring: Ring, period: int | None) -> int:
        if period is not None:
            return period
        if ring.period is None:
            raise RingError(f"the ring {ring.name!r} has no period: give one", "period")
        return ring.period

    def _reference(self, ring: Ring, member_ags: list[str]) -> str | None:
        """A member to compute the coordinator's view with (the figures do not depend on
        which; its own marks are dropped): one of the ring's kind, demo or real."""
        if not member_ags:
            return None
        municipalities = {a: self.store.municipalities.get(a) for a in member_ags}
        for ags in member_ags:
            municipality = municipalities[ags]
            if municipality is not None and municipality.is_demo == ring.is_demo:
                return ags
        return member_ags[0]

    def _counted(self, ring_id: int, period: int, is_demo: bool) -> dict[str, int]:
        """Members whose assessment counts → the revision that counts (latest submitted)."""
        member_ags = {m.ags for m in self.store.rings.members(ring_id)}
        found: dict[str, int] = {}
        for summary in self.store.assessments.list(period=period):
            if summary.ags in member_ags and not summary.is_draft:
                found[summary.ags] = max(found.get(summary.ags, 0), summary.revision)
        demo = {a for a in found if (m := self.store.municipalities.get(a)) and m.is_demo}
        return {a: r for a, r in found.items() if (a in demo) == is_demo}

    def _empty(
        self, ring: Ring, period: int, counts: dict[str, int], reason: LocalizedText
    ) -> RingOverview:
        return RingOverview(
            ring=ring,
            period=period,
            viewer_is_member=False,
            members_total=0,
            status_counts=counts,
            group_size=None,
            suppressed=reason,
            refusal=None,
            dimensions=[
                DimensionOverview(d.id, None, reason, [], None) for d in self.catalog.dimensions
            ],
            criteria=[
                CriterionOverview(d.full_id(c), None, reason, None, None, None, False)
                for d, c in self.catalog.iter_criteria()
            ],
            members=[],
            is_demo=ring.is_demo,
        )


def ring_labels(store: Store, ring_id: int, ags_values: Sequence[str]) -> dict[str, str]:
    """The labels :mod:`nhm.benchmark` gives these members: the name of a consenting member,
    else "Kommune A" … in the order of the ring's secret salt. ``RingService.member_labels``
    checks them against the benchmark's own list before using them."""
    from nhm.benchmark import anonymous_label

    with store.cursor() as cursor:
        row = cursor.execute("SELECT label_salt FROM ring WHERE id = ?", [ring_id]).fetchone()
    salt = row[0] if row and row[0] else ""
    consent = {m.ags: m.consent_named for m in store.rings.members(ring_id)}
    names = store.municipalities.names(list(ags_values))
    named = [a for a in ags_values if consent.get(a)]
    anonymous = sorted(
        (a for a in ags_values if not consent.get(a)),
        key=lambda a: hashlib.sha256(f"{salt}:{a}".encode()).hexdigest(),
    )
    labels = {a: names.get(a, a) for a in named}
    labels.update({a: anonymous_label(i) for i, a in enumerate(anonymous)})
    return labels


def _same_scores(
    catalog: Catalog, record: AssessmentRecord, member: RingMemberScores, skip: set[str]
) -> bool:
    """Whether the record's dimension scores (those nhm scores itself) are the member's."""
    from nhm.scoring import score_dimension

    assessment = record.to_assessment()
    for dimension in catalog.dimensions:
        if dimension.id in skip:
            continue
        score = score_dimension(dimension, assessment.responses_for(dimension.id)).score
        shown = member.scores.get(dimension.id)
        if (score is None) != (shown is None):
            return False
        if score is not None and shown is not None and abs(score - shown) > 1e-4:
            return False
    return True


def _named(errors: Sequence[FieldError], name: str) -> tuple[FieldError, ...]:
    """The errors with the file's reported name instead of where it was saved."""
    return tuple(FieldError(Path(name), e.line, e.field, e.message, e.cell) for e in errors)


def _replace(outcome: FileOutcome, **changes: object) -> FileOutcome:
    from dataclasses import replace

    return replace(outcome, **changes)  # type: ignore[arg-type]
