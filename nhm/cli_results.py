"""``nhm score`` and ``nhm benchmark``: an assessment's results and its peer comparison.

Exit codes as for the other data commands: 0 done, 1 invalid input or unknown data, 2 the
database cannot be used.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from nhm.auth.access import Right
from nhm.cli_data import (
    AsOption,
    DbOption,
    JsonOption,
    Lang,
    acting_principal,
    fail,
    opened_store,
    require,
)
from nhm.model import LEVEL_LABELS, Catalog, MaturityLevel

_AGS = re.compile(r"^[0-9]{8}$")
_DEMO_NOTE = {
    "de": "DEMO – fiktive Daten, keine echte Kommune",
    "en": "DEMO – fictional data, not a real municipality",
}

AgsOption = Annotated[str, typer.Option("--ags", help="8-digit AGS.", show_default=False)]
PeriodOption = Annotated[
    int, typer.Option("--period", help="Year of the assessment.", show_default=False)
]
LangOption = Annotated[Lang, typer.Option("--lang", help="Language of texts.")]


def _check_ags(ags: str) -> str:
    if not _AGS.match(ags):
        raise fail(f"--ags: expected 8 digits (Amtlicher Gemeindeschlüssel), found {ags!r}")
    return ags


def jsonable(value: Any) -> Any:
    """Results (dataclasses, pydantic models, enums, dates) as plain JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _load_catalog() -> tuple[Catalog, Any]:
    from nhm.catalog import load_catalog

    return load_catalog()


# --- score ---------------------------------------------------------------------------------


def score_command(
    ags: AgsOption,
    period: PeriodOption,
    revision: Annotated[
        int | None, typer.Option("--revision", help="Revision (default: the latest).")
    ] = None,
    lang: LangOption = Lang.de,
    as_json: JsonOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Scores, gated levels, coverage, targets and next steps of one assessment.

    With --as, the account must be allowed to read the municipality."""
    from nhm.evaluation import evaluate
    from nhm.results import baseline_assessment, municipality_targets
    from nhm.scoring import band

    _check_ags(ags)
    catalog, host = _load_catalog()
    with opened_store(db) as store:
        require(store, acting_principal(store, as_user), Right.read, "nhm score", ags)
        record = store.assessments.get(ags, period, revision)
        if record is None:
            which = f"revision {revision}" if revision else "assessment"
            raise fail(f"{ags} has no {which} for {period} in {store.path}")
        municipality = store.municipalities.get(ags)
        baseline = baseline_assessment(store, ags, period)
        targets = municipality_targets(store, ags)
    result = evaluate(record.to_assessment(), catalog, host, targets, baseline)
    code = lang.value
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ags": ags,
                    "name": municipality.name if municipality else None,
                    "is_demo": record.is_demo,
                    "period": period,
                    "revision": record.revision,
                    "status": record.status.value,
                    "overall_index": jsonable(result.scores.overall),
                    "dimensions": jsonable(result.scores.dimensions),
                    "targets": jsonable(targets),
                    "progress": jsonable(result.progress),
                    "recommendations": jsonable(result.recommendations),
                    "findings": jsonable(result.findings),
                },
                ensure_ascii=False,
                indent=2,
                allow_nan=False,
            )
        )
        return
    name = municipality.name if municipality else ags
    typer.echo(f"{name} ({ags}) {period}, revision {record.revision}, {record.status.value}")
    if record.is_demo:
        typer.echo(_DEMO_NOTE[code])
    typer.echo("")
    typer.echo(f"{'dimension':<44} {'score':>6}  {'band':<16} {'gated':>5}  {'answered':>8}")
    for dimension in catalog.dimensions:
        score = result.score(dimension.id)
        label = band(score.score)
        typer.echo(
            f"{dimension.title.get(code)[:44]:<44} {_number(score.score):>6}  "
            f"{(label.get(code) if label else '–'):<16} "
            f"{'–' if score.gated_level is None else score.gated_level:>5}  "
            f"{score.answered:>3}/{score.criteria:<4}"
            + (f"  ({score.scorer})" if score.scorer != "nhm" else "")
        )
    overall = result.scores.overall
    typer.echo(f"\n{overall.label.get(code)}: {_number(overall.value)}")
    if overall.left_out:
        typer.echo(f"  without (no score yet): {', '.join(overall.left_out)}")
    _echo_progress(result, catalog, code, bool(targets), baseline is not None)
    _echo_steps(result, catalog, code)


def _echo_progress(result: Any, catalog: Catalog, code: str, targets: bool, base: bool) -> None:
    if not targets and not base:
        return
    typer.echo(
        f"\n{'dimension':<44} {'target':>6} {'gap':>6} {'% of target':>11} {'since first':>11}"
    )
    for dimension in catalog.dimensions:
        p = result.progress[dimension.id]
        typer.echo(
            f"{dimension.title.get(code)[:44]:<44} {_number(p.target_score):>6} "
            f"{_number(p.gap):>6} {_number(p.percent_of_target, 0):>11} "
            f"{('+' if (p.progress or 0) > 0 else '') + _number(p.progress):>11}"
        )


def _echo_steps(result: Any, catalog: Catalog, code: str) -> None:
    reasons = {
        "weakest_link": {"de": "schwächstes Glied", "en": "weakest link"},
        "below_target": {"de": "unter dem Ziel", "en": "below target"},
        "lowest": {"de": "niedrigste Stufe", "en": "lowest level"},
        "plugin": {"de": "Plugin", "en": "plugin"},
    }
    typer.echo("\nnext steps:" if code == "en" else "\nnächste Schritte:")
    for dimension in catalog.dimensions:
        steps = result.recommendations[dimension.id]
        if not steps:
            continue
        typer.echo(f"  {dimension.title.get(code)}")
        for step in steps:
            where = ""
            if step.criterion_id is not None:
                criterion = dimension.criterion(step.criterion_id)
                where = f"{criterion.title.get(code)}"
                if step.next_level is not None:
                    level = LEVEL_LABELS[MaturityLevel(step.next_level)].get(code)
                    where += f" → {step.next_level} {level}"
            typer.echo(f"    - [{reasons[step.reason.value][code]}] {where}")
            typer.echo(f"      {step.text.get(code)}")
    if result.findings:
        typer.echo("\nfindings:" if code == "en" else "\nHinweise:")
        for finding in result.findings:
            typer.echo(
                f"  - {finding.severity.value}: {finding.criterion_id or ''} "
                f"{finding.message.get(code)}"
            )


# --- benchmark -----------------------------------------------------------------------------


def benchmark_command(
    ags: AgsOption,
    period: PeriodOption,
    group: Annotated[
        str,
        typer.Option(
            "--group",
            help="Peer group: all, size_class, kind, land, ring:ID, or a combination such as "
            "size_class+land.",
        ),
    ] = "all",
    min_group_size: Annotated[
        int,
        typer.Option("--min-group-size", help="Smallest group that shows statistics (≥ 3)."),
    ] = 5,
    criteria: Annotated[
        bool, typer.Option("--criteria", help="Also list every criterion.")
    ] = False,
    lang: LangOption = Lang.de,
    as_json: JsonOption = False,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Compare a municipality with its peer group (only submitted assessments count).

    With --as, the account must be allowed to read the municipality; the peers are shown only
    as statistics (or under their ring labels), as without --as."""
    from nhm.benchmark import (
        DEFAULT_MIN_GROUP_SIZE,
        BenchmarkError,
        BenchmarkService,
        PeerGroupSpec,
        PluginScores,
    )
    from nhm.store import NotFoundError

    _check_ags(ags)
    try:
        spec = PeerGroupSpec.parse(group)
    except BenchmarkError as exc:
        raise fail(f"--group: {exc}") from None
    catalog, host = _load_catalog()
    with opened_store(db) as store:
        who = acting_principal(store, as_user)
        require(store, who, Right.read, "nhm benchmark", ags)
        if min_group_size < DEFAULT_MIN_GROUP_SIZE and not who.is_admin:
            # a smaller minimum shows groups the app keeps hidden from this account
            raise fail(
                f"--min-group-size: below {DEFAULT_MIN_GROUP_SIZE} only for administrators "
                f"(--as {who.username} is none)"
            )
        try:
            service = BenchmarkService(
                store, catalog, PluginScores.from_host(host, catalog), min_group_size
            )
            result = service.benchmark(ags, period, spec)
        except BenchmarkError as exc:
            raise fail(str(exc)) from None
        except NotFoundError as exc:
            raise fail(str(exc)) from None
        municipality = store.municipalities.require(ags)
    code = lang.value
    if as_json:
        data = jsonable(result)
        data["name"] = municipality.name
        data["is_demo"] = municipality.is_demo
        data["group"].pop("ring", None)
        if result.group.ring is not None:
            data["group"]["ring"] = {"id": result.group.ring.id, "name": result.group.ring.name}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
        return
    typer.echo(f"{municipality.name} ({ags}) {period}: own assessment {result.own_status or '–'}")
    if municipality.is_demo:
        typer.echo(_DEMO_NOTE[code])
    typer.echo(f"peer group: {result.group.label.get(code)}")
    if result.suppressed is not None:
        typer.echo(f"\n{result.suppressed.get(code)}")
        typer.echo(
            "\nown scores: "
            + ", ".join(
                f"{catalog.dimension(d.dimension_id).title.get(code)} {_number(d.own_score)}"
                for d in result.dimensions
            )
        )
        return
    typer.echo(f"n = {result.group_size} (minimum {result.group.min_group_size})\n")
    typer.echo(
        f"{'dimension':<40} {'own':>6} {'rank':>5} {'n':>5} {'Q1':>6} {'median':>6} "
        f"{'Q3':>6} {'mean':>6} {'min':>6} {'max':>6}"
    )
    for item in result.dimensions:
        title = catalog.dimension(item.dimension_id).title.get(code)[:40]
        s = item.statistics
        if s is None:
            typer.echo(f"{title:<40} {_number(item.own_score):>6}  {item.suppressed.get(code)}")  # type: ignore[union-attr]
            continue
        typer.echo(
            f"{title:<40} {_number(item.own_score):>6} {_number(item.percentile_rank, 0):>5} "
            f"{s.n:>5} {_number(s.q1):>6} {_number(s.median):>6} {_number(s.q3):>6} "
            f"{_number(s.mean):>6} {_number(s.minimum):>6} {_number(s.maximum):>6}"
        )
    typer.echo("\ntrend (median / own):")
    for dimension in catalog.dimensions:
        points = result.trends.get(dimension.id, [])
        line = "  ".join(
            f"{p.period}: {_number(p.median)} / {_number(p.own_score)}" for p in points
        )
        typer.echo(f"  {dimension.title.get(code)[:38]:<38} {line}")
    if result.members:
        typer.echo("\nring members:")
        for member in result.members:
            mark = " (you)" if member.is_self else ""
            values = "  ".join(_number(member.scores.get(d.id)) for d in catalog.dimensions)
            typer.echo(f"  {member.label + mark:<36} {values}")
    if criteria:
        typer.echo(f"\n{'criterion':<52} {'own':>4} {'n':>5} {'median':>6}  levels 0/1/2/3/4")
        for c in result.criteria:
            title = catalog.criterion(c.criterion_id).title.get(code)[:52]
            own = "N/A" if c.own_not_applicable else ("–" if c.own_level is None else c.own_level)
            if c.statistics is None or c.distribution is None:
                typer.echo(f"{title:<52} {own:>4}  (suppressed)")
                continue
            spread = "/".join(str(c.distribution[level]) for level in range(5))
            typer.echo(
                f"{title:<52} {own:>4} {c.statistics.n:>5} {_number(c.statistics.median):>6}  "
                f"{spread}"
            )


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)
    app.command("benchmark")(benchmark_command)
