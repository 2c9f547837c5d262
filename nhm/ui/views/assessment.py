"""The self-assessment wizard: one step per dimension, every answer saved when it changes.

Widget keys carry the stored version of the answer. When the answer changes in the database
(here or in another tab), the next run draws fresh widgets with the stored value, and a
write based on an older version is refused by the store ("changed meanwhile") while the
user's own input is shown in the message, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from nhm.assessment import EvidenceStatus, Response
from nhm.auth import access
from nhm.evaluation import check_assessment, unanswered
from nhm.model import Criterion, Dimension
from nhm.store import ConflictError, StaleWriteError, StoreError
from nhm.store.assessments import AssessmentRecord
from nhm.ui import context, signin, widgets
from nhm.ui.i18n import Text

NOT_APPLICABLE = "na"
SUBMIT_STEP = "__submit__"
STEP_KEY = "wizard-step"
MESSAGES_KEY = "wizard-messages"  # criterion id -> (kind, text), shown once after a save


def render() -> None:
    t = context.text()
    chosen = context.selection()
    if chosen is None:
        st.title(t("wizard.title_plain"))
        st.info(t("common.choose_first"))
        st.page_link(widgets.page("start"), label=t("nav.start"), icon=":material/home:")
        return
    municipality = chosen.municipality
    st.title(t("wizard.title", name=widgets.inert(municipality.name), period=chosen.period))
    record = context.store().assessments.get(municipality.ags, chosen.period)
    if record is None:
        _page_messages(t)
        st.info(t("start.none_for_period", period=chosen.period))
        if not context.principal().can_edit(municipality.ags):
            st.caption(t("access.begin_needs_editor"))
        elif st.button(t("start.begin", period=chosen.period), type="primary"):
            _begin(t, municipality.ags, chosen.period)
        return
    _page_messages(t)
    if not record.is_draft:
        _read_only(t, record)
        return
    if not context.principal().can_edit(municipality.ags):
        _draft_read_only(t, record)
        return
    _draft(t, record)


def _may_edit(t: Text, ags: str, via: str, unsaved: str | None = None) -> bool:
    """The server-side check before every write: the signed-in user edits ``ags``. A refusal
    is logged and shown (the page offers no writing controls to readers anyway). When the
    session has ended meanwhile, nothing is refused: the sign-in page follows, showing the
    ``unsaved`` input so that it is not lost."""
    who = signin.verified_principal()
    if who is None:
        if unsaved:
            signin.keep_unsaved(unsaved)
        return False
    try:
        access.require_edit(context.store(), who, ags, via=via)
    except access.AccessDenied:
        st.session_state["wizard-page-messages"] = [("error", t("access.refused_edit", ags=ags))]
        return False
    return True


def _may_edit_assessment(t: Text, assessment_id: int, via: str, unsaved: str | None = None) -> bool:
    try:
        ags = context.store().assessments.get_by_id(assessment_id).ags
    except StoreError:
        return True  # gone: the store's own error follows and says so
    return _may_edit(t, ags, via, unsaved)


def _begin(t: Text, ags: str, period: int) -> None:
    if not _may_edit(t, ags, "view bewertung: begin"):
        st.rerun()
    try:
        context.store().assessments.create_draft(ags, period, context.catalog(), context.actor())
    except StoreError as exc:
        st.error(t("error.store", message=widgets.inert(str(exc))))
        return
    st.rerun()


def _page_messages(t: Text) -> None:
    for kind, message in st.session_state.pop("wizard-page-messages", []):
        getattr(st, kind)(message)


def _say(criterion_id: str, kind: str, message: str) -> None:
    st.session_state.setdefault(MESSAGES_KEY, {})[criterion_id] = (kind, message)


# --- the draft -------------------------------------------------------------------------------


def _draft(t: Text, record: AssessmentRecord) -> None:
    catalog = context.catalog()
    total = sum(len(d.criteria) for d in catalog.dimensions)
    answered = sum(1 for d, c in catalog.iter_criteria() if d.full_id(c) in record.responses)
    st.caption(
        t(
            "wizard.draft_caption",
            revision=record.revision,
            updated=widgets.local_time(record.updated_at),
            by=widgets.inert(record.updated_by),
        )
    )
    st.progress(
        answered / total if total else 0.0,
        text=t("wizard.progress", answered=answered, total=total),
    )
    steps = [d.id for d in catalog.dimensions] + [SUBMIT_STEP]
    if st.session_state.get(STEP_KEY) not in steps:
        st.session_state[STEP_KEY] = steps[0]
    step = st.radio(
        t("wizard.step"),
        options=steps,
        format_func=lambda s: _step_label(t, record, s),
        horizontal=True,
        key=STEP_KEY,
    )
    if step == SUBMIT_STEP:
        _submit_step(t, record)
    else:
        _dimension_step(t, record, catalog.dimension(step))
    _step_buttons(t, steps, step)


def _step_label(t: Text, record: AssessmentRecord, step: str) -> str:
    if step == SUBMIT_STEP:
        return t("wizard.submit_step")
    dimension = context.catalog().dimension(step)
    done = sum(1 for c in dimension.criteria if dimension.full_id(c) in record.responses)
    return f"{dimension.title.get(t.lang)} ({done}/{len(dimension.criteria)})"


def _step_buttons(t: Text, steps: list[str], step: str) -> None:
    index = steps.index(step)
    left, _, right = st.columns([1, 3, 1])
    if index > 0:
        left.button(
            t("wizard.back"),
            on_click=_go,
            args=(steps[index - 1],),
            icon=":material/arrow_back:",
            key="wizard-back",
        )
    if index < len(steps) - 1:
        right.button(
            t("wizard.next"),
            on_click=_go,
            args=(steps[index + 1],),
            icon=":material/arrow_forward:",
            type="primary",
            key="wizard-next",
        )


def _go(step: str) -> None:
    st.session_state[STEP_KEY] = step


def _dimension_step(t: Text, record: AssessmentRecord, dimension: Dimension) -> None:
    st.header(dimension.title.get(t.lang))
    st.write(dimension.description.get(t.lang))
    done = sum(1 for c in dimension.criteria if dimension.full_id(c) in record.responses)
    st.progress(
        done / len(dimension.criteria),
        text=t("wizard.dimension_progress", answered=done, total=len(dimension.criteria)),
    )
    for number, criterion in enumerate(dimension.criteria, start=1):
        _criterion(t, record, dimension, criterion, number)


def _keys(record: AssessmentRecord, full_id: str) -> dict[str, str]:
    base = f"{record.id}:{full_id}:{record.response_version(full_id)}"
    return {
        name: f"{name}:{base}"
        for name in ("level", "justification", "evidence", "reference", "comment")
    }


def _criterion(
    t: Text, record: AssessmentRecord, dimension: Dimension, criterion: Criterion, number: int
) -> None:
    full_id = dimension.full_id(criterion)
    response = record.responses.get(full_id)
    keys = _keys(record, full_id)
    args = (record.id, full_id, record.response_version(full_id), keys)
    with st.container(border=True):
        st.subheader(f"{number}. {criterion.title.get(t.lang)}")
        st.write(criterion.question.get(t.lang))
        if criterion.guidance is not None:
            with st.expander(t("wizard.guidance")):
                st.write(criterion.guidance.get(t.lang))
        options: list[Any] = [0, 1, 2, 3, 4]
        if criterion.na_allowed:
            options.append(NOT_APPLICABLE)
        current: Any = None
        if response is not None:
            current = NOT_APPLICABLE if response.not_applicable else response.level
        choice = st.radio(
            t("wizard.level"),
            options=options,
            index=options.index(current) if current is not None else None,
            format_func=lambda o: _option_label(t, criterion, o),
            key=keys["level"],
            on_change=_save,
            args=args,
        )
        if choice == NOT_APPLICABLE:
            st.text_area(
                t("wizard.justification"),
                value=(response.justification or "") if response is not None else "",
                help=t("wizard.justification_help"),
                key=keys["justification"],
                on_change=_save,
                args=args,
                max_chars=5_000,
            )
        left, right = st.columns([1, 2])
        statuses = list(EvidenceStatus)
        left.selectbox(
            t("wizard.evidence"),
            options=statuses,
            index=statuses.index(response.evidence_status) if response is not None else 0,
            format_func=lambda s: t(f"evidence.{s.value}"),
            key=keys["evidence"],
            on_change=_save,
            args=args,
        )
        right.text_input(
            t("wizard.reference"),
            value=(response.evidence_reference or "") if response is not None else "",
            placeholder=_examples(t, criterion),
            key=keys["reference"],
            on_change=_save,
            args=args,
            max_chars=2_000,
        )
        st.text_area(
            t("wizard.comment"),
            value=(response.comment or "") if response is not None else "",
            key=keys["comment"],
            on_change=_save,
            args=args,
            height=68,
            max_chars=10_000,
        )
        message = st.session_state.get(MESSAGES_KEY, {}).pop(full_id, None)
        if message is not None:
            getattr(st, message[0])(message[1])
        if response is not None:
            footer, clear = st.columns([4, 1])
            footer.caption(
                t(
                    "wizard.saved_by",
                    by=widgets.inert(response.answered_by or "–"),
                    at=widgets.local_time(response.answered_at),
                )
            )
            clear.button(
                t("wizard.clear"),
                key=f"clear:{keys['level']}",
                on_click=_clear,
                args=(record.id, full_id, record.response_version(full_id)),
                icon=":material/backspace:",
            )


def _option_label(t: Text, criterion: Criterion, option: Any) -> str:
    if option == NOT_APPLICABLE:
        return t("wizard.not_applicable")
    return t("wizard.level_option", level=option, descriptor=criterion.level(option).get(t.lang))


def _examples(t: Text, criterion: Criterion) -> str:
    if not criterion.evidence_examples:
        return t("wizard.reference_placeholder")
    names = ", ".join(e.get(t.lang) for e in criterion.evidence_examples[:3])
    return t("wizard.reference_examples", examples=names)


def _save(assessment_id: int, full_id: str, version: int, keys: dict[str, str]) -> None:
    """Build the answer from the criterion's widgets and store it (a widget callback)."""
    t = context.text()
    state = st.session_state
    choice = state.get(keys["level"])
    if choice is None:
        _say(full_id, "info", t("wizard.choose_level_first"))
        return
    not_applicable = choice == NOT_APPLICABLE
    justification = (state.get(keys["justification"]) or "").strip()
    if not_applicable and not justification:
        if keys["justification"] in state:  # the field was shown and left empty
            _say(full_id, "error", t("wizard.justification_required"))
        else:
            _say(full_id, "info", t("wizard.justification_needed"))
        return
    try:
        response = Response(
            level=None if not_applicable else int(choice),
            not_applicable=not_applicable,
            justification=justification if not_applicable else None,
            evidence_status=state.get(keys["evidence"]) or EvidenceStatus.SELF_DECLARED,
            evidence_reference=(state.get(keys["reference"]) or "").strip() or None,
            comment=(state.get(keys["comment"]) or "").strip() or None,
        )
    except ValidationError as exc:
        _say(full_id, "error", " ".join(widgets.validation_lines(exc, t)))
        return
    unsaved = t(
        "wizard.unsaved_answer",
        criterion=widgets.criterion_title(context.catalog(), full_id, t.lang),
        answer=_describe(t, response),
    )
    if not _may_edit_assessment(t, assessment_id, "view bewertung: answer", unsaved):
        return
    try:
        context.store().assessments.save_response(
            assessment_id, full_id, response, version, context.catalog(), context.actor()
        )
    except StaleWriteError:
        stored = _stored(assessment_id, full_id)
        if stored is not None and _same_answer(stored, response):
            return  # two changes reached one run: the first callback stored both already
        _say(
            full_id,
            "warning",
            t("wizard.stale", message=_changed_by(t, stored), mine=_describe(t, response)),
        )
    except (ConflictError, StoreError, ValueError) as exc:
        _say(full_id, "error", t("error.store", message=widgets.inert(str(exc))))


def _stored(assessment_id: int, full_id: str) -> Response | None:
    """The answer as stored now (None when there is none)."""
    try:
        return context.store().assessments.get_by_id(assessment_id).responses.get(full_id)
    except StoreError:
        return None


def _same_answer(stored: Response, mine: Response) -> bool:
    stamp = {"answered_by", "answered_at"}
    return stored.model_dump(exclude=stamp) == mine.model_dump(exclude=stamp)


def _changed_by(t: Text, stored: Response | None) -> str:
    """Who changed the answer meanwhile, in the user's language (the store's message is an
    English log line with criterion ids and UTC times)."""
    if stored is None:
        return t("wizard.changed_cleared")
    return t(
        "wizard.changed_by",
        by=widgets.inert(stored.answered_by or "–"),
        at=widgets.local_time(stored.answered_at),
    )


def _describe(t: Text, response: Response) -> str:
    """The user's own input, repeated in a conflict message so it is not lost (the typed
    texts shown as typed: the message is Markdown)."""
    what = (
        t("wizard.not_applicable") + f" ({widgets.inert(response.justification or '')})"
        if response.not_applicable
        else t("wizard.level_short", level=response.level)
    )
    parts = [what, t(f"evidence.{response.evidence_status.value}")]
    if response.evidence_reference:
        parts.append(widgets.inert(response.evidence_reference))
    if response.comment:
        parts.append(f"„{widgets.inert(response.comment)}“")
    return " · ".join(parts)


def _clear(assessment_id: int, full_id: str, version: int) -> None:
    t = context.text()
    if not _may_edit_assessment(t, assessment_id, "view bewertung: clear answer"):
        return
    try:
        context.store().assessments.clear_response(assessment_id, full_id, version, context.actor())
    except StaleWriteError:
        stored = _stored(assessment_id, full_id)
        if stored is None:
            return  # cleared meanwhile already: what the user wanted
        _say(full_id, "warning", t("wizard.stale_clear", message=_changed_by(t, stored)))
    except StoreError as exc:
        _say(full_id, "error", t("error.store", message=widgets.inert(str(exc))))


# --- submitting ------------------------------------------------------------------------------


def _submit_step(t: Text, record: AssessmentRecord) -> None:
    catalog = context.catalog()
    st.header(t("wizard.submit_title"))
    assessment = record.to_assessment()
    missing = unanswered(assessment, catalog)
    findings = check_assessment(assessment, catalog, context.plugin_host())
    if missing:
        st.warning(t("wizard.gaps", count=len(missing)))
        for full_id in missing:
            dimension_id = full_id.split(".", 1)[0]
            st.markdown(
                f"- {catalog.dimension(dimension_id).title.get(t.lang)}: "
                f"{catalog.criterion(full_id).title.get(t.lang)}"
            )
    else:
        st.success(t("wizard.complete"))
    if findings:
        st.subheader(t("wizard.findings"))
        for finding in findings:
            where = ""
            if finding.criterion_id:
                where = widgets.criterion_title(catalog, finding.criterion_id, t.lang) + ": "
            kind = st.warning if finding.severity.value == "warning" else st.info
            kind(where + finding.message.get(t.lang))
    st.write(t("wizard.submit_explained"))
    confirmed = True
    if missing:
        confirmed = st.checkbox(t("wizard.submit_with_gaps"), key=f"gaps-ok:{record.id}")
    if st.button(
        t("wizard.submit"),
        type="primary",
        disabled=not confirmed,
        icon=":material/task_alt:",
        key=f"submit:{record.id}",
    ):
        if not _may_edit(t, record.ags, "view bewertung: submit"):
            st.rerun()
        try:
            context.store().assessments.submit(record.id, record.version, context.actor())
        except StaleWriteError:
            st.warning(t("wizard.stale_submit", message=_assessment_changed_by(t, record.id)))
            return
        except StoreError as exc:
            st.error(t("error.store", message=widgets.inert(str(exc))))
            return
        st.session_state["wizard-page-messages"] = [("success", t("wizard.submitted"))]
        st.rerun()


def _assessment_changed_by(t: Text, assessment_id: int) -> str:
    try:
        current = context.store().assessments.get_by_id(assessment_id)
    except StoreError:
        return t("wizard.changed_cleared")
    return t(
        "wizard.changed_by",
        by=widgets.inert(current.updated_by),
        at=widgets.local_time(current.updated_at),
    )


# --- a submitted revision ----------------------------------------------------------------------


def _read_only(t: Text, record: AssessmentRecord) -> None:
    st.info(
        t(
            "wizard.read_only",
            revision=record.revision,
            at=widgets.local_time(record.submitted_at),
            by=widgets.inert(record.submitted_by or "–"),
        )
    )
    left, right = st.columns(2)
    may_edit = context.principal().can_edit(record.ags)
    if may_edit and left.button(
        t("wizard.new_revision"), icon=":material/edit:", key="new-revision"
    ):
        if not _may_edit(t, record.ags, "view bewertung: new revision"):
            st.rerun()
        try:
            context.store().assessments.start_revision(
                record.ags, record.period, record.version, context.catalog(), context.actor()
            )
        except StoreError as exc:
            st.error(t("error.store", message=widgets.inert(str(exc))))
            return
        st.session_state["wizard-page-messages"] = [
            ("success", t("wizard.revision_started", revision=record.revision + 1))
        ]
        st.rerun()
    if right.button(t("start.open_results"), icon=":material/insights:", key="to-results"):
        st.switch_page(widgets.page("results"))
    _answer_tables(t, record)


def _draft_read_only(t: Text, record: AssessmentRecord) -> None:
    """A draft for a reader (viewer role): its answers so far, without controls."""
    st.info(t("access.read_only"), icon=":material/visibility:")
    st.caption(
        t(
            "wizard.draft_caption_read_only",
            revision=record.revision,
            answered=len(record.responses),
            updated=widgets.local_time(record.updated_at),
        )
    )
    _answer_tables(t, record)


def _answer_tables(t: Text, record: AssessmentRecord) -> None:
    for dimension in context.catalog().dimensions:
        with st.expander(dimension.title.get(t.lang), expanded=False):
            st.dataframe(
                widgets.answer_rows(t, dimension, record.responses),
                hide_index=True,
                width="stretch",
            )
