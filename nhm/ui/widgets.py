"""Small helpers the views share: labels, times, validation messages, page paths."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from nhm.assessment import Response
from nhm.benchmark import Statistics
from nhm.model import Catalog, Dimension
from nhm.municipality import Municipality
from nhm.ui.i18n import Text

PAGES_DIR = Path(__file__).resolve().parent / "screens"
LOCAL_ZONE = ZoneInfo("Europe/Berlin")


def page(name: str) -> str:
    """The script of one of the app's pages, as ``st.switch_page`` wants it."""
    return str(PAGES_DIR / f"{name}.py")


TIME_FORMATS = {"de": "%d.%m.%Y %H:%M", "en": "%Y-%m-%d %H:%M"}


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'])")


def inert(text: str) -> str:
    """Free text (a name, a comment, evidence) made safe to put into Markdown: every character
    Markdown, HTML or Streamlit's extensions (``:red[…]``, ``$…$``) would act on is escaped, so
    the text shows exactly as typed and never becomes a link, markup or script."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def chart_text(text: str) -> str:
    """Free text made safe for a Plotly title, legend entry or hover text: Plotly reads a few
    HTML tags there (``<b>``, ``<br>``, ``<a href>``) and decodes entities, so ``<``, ``>`` and
    ``&`` are written as entities and the text shows exactly as typed."""
    return html.escape(text, quote=False)


def local_time(moment: datetime | None, lang: str | None = None, *, seconds: bool = False) -> str:
    """A stored UTC time in German local time (the users' time zone), written as the
    interface language writes dates (German by default); ``seconds`` adds them."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:  # the store's TIMESTAMP columns hold naive UTC
        moment = moment.replace(tzinfo=UTC)
    if lang is None:
        from nhm.ui import context  # the current session's language

        lang = context.lang()
    pattern = TIME_FORMATS.get(lang, TIME_FORMATS["de"])
    return moment.astimezone(LOCAL_ZONE).strftime(pattern + (":%S" if seconds else ""))


def municipality_label(municipality: Municipality, t: Text) -> str:
    demo = f" · {t('common.demo_tag')}" if municipality.is_demo else ""
    return (
        f"{municipality.name} ({municipality.ags}) · {municipality.kind.label[t.lang]} · "
        f"{municipality.land_name}{demo}"
    )


def municipality_facts(municipality: Municipality, t: Text) -> str:
    parts = [municipality.kind.label[t.lang], municipality.land_name]
    if municipality.population is not None:
        parts.append(t("common.inhabitants", count=t.number(municipality.population, 0)))
    if municipality.size_class is not None:
        parts.append(t("common.size_class", size_class=municipality.size_class))
    if municipality.is_demo:
        parts.append(t("common.demo_tag"))
    return " · ".join(parts)


def validation_lines(exc: ValidationError, t: Text) -> list[str]:
    """One line per problem, naming the field (as the form labels it) and what was wrong."""
    lines = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or t("field.record")
        label = t(f"field.{field}") if t.has(f"field.{field}") else field
        lines.append(t("error.field", field=label, message=_validation_message(error, field, t)))
    return lines


def _validation_message(error: Mapping[str, object], field: str, t: Text) -> str:
    """pydantic's message in the user's language where nhm knows the kind of error; nhm's own
    checks (value errors) keep their wording."""
    kind = str(error.get("type", ""))
    context = error.get("ctx")
    values = dict(context) if isinstance(context, Mapping) else {}
    specific = f"validation.{kind}.{field}"
    if t.has(specific):
        return t(specific)
    if t.has(f"validation.{kind}"):
        try:
            return t(f"validation.{kind}", **values)
        except (KeyError, IndexError):
            pass
    return inert(str(error.get("msg", "")).removeprefix("Value error, "))  # may echo the input


def answer_rows(
    t: Text, dimension: Dimension, responses: Mapping[str, Response]
) -> list[dict[str, object]]:
    """A dimension's answers as table rows: level with its descriptor, evidence, comment."""
    rows = []
    for criterion in dimension.criteria:
        response = responses.get(dimension.full_id(criterion))
        if response is None:
            answer = t("common.unanswered")
        elif response.not_applicable:
            answer = f"{t('wizard.not_applicable')}: {response.justification}"
        else:
            level = response.level if response.level is not None else 0
            answer = t(
                "wizard.level_option", level=level, descriptor=criterion.level(level).get(t.lang)
            )
        rows.append(
            {
                t("col.criterion"): criterion.title.get(t.lang),
                t("col.answer"): answer,
                t("col.evidence"): t(f"evidence.{response.evidence_status.value}")
                if response is not None
                else "",
                t("col.reference"): (response.evidence_reference or "") if response else "",
                t("col.comment"): (response.comment or "") if response else "",
            }
        )
    return rows


def criterion_title(catalog: Catalog, full_id: str, lang: str) -> str:
    """A criterion's title by its full id; an id a plugin made up is shown as it is."""
    try:
        return catalog.criterion(full_id).title.get(lang)
    except KeyError:
        return full_id


def statistics_cells(t: Text, stats: Statistics | None, extremes: bool) -> dict[str, str]:
    """A group's statistics as table cells: n, quartiles and mean, and minimum and maximum
    when ``extremes`` (shown only from a group size of 10); dashes where there are none."""
    cells = {
        t("benchmark.col_n"): t.number(stats.n, 0) if stats else "–",
        t("benchmark.col_q1"): t.percent(stats.q1 if stats else None),
        t("benchmark.col_median"): t.percent(stats.median if stats else None),
        t("benchmark.col_q3"): t.percent(stats.q3 if stats else None),
        t("benchmark.col_mean"): t.percent(stats.mean if stats else None),
    }
    if extremes:
        cells[t("benchmark.col_min")] = t.percent(stats.minimum if stats else None)
        cells[t("benchmark.col_max")] = t.percent(stats.maximum if stats else None)
    return cells
