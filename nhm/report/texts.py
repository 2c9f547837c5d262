"""The council report's texts in German and English, and its number and date formats.

Numbers are written exactly as the app writes them (``nhm.ui.i18n.Text``): German "42,9 %",
English "42.9 %", changes as "+2,5 Pp." / "+2.5 pp". The report does not import the app's
catalog (``nhm.ui`` is the Streamlit app); ``tests/test_report.py`` checks that both format
alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from nhm import formatting

LOCAL_ZONE = ZoneInfo("Europe/Berlin")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

TEXTS: dict[str, tuple[str, str]] = {
    # cover and frame
    "title": (
        "Ratsbericht Nachhaltigkeitsmanagement",
        "Council report on sustainability management",
    ),
    "subtitle": (
        "Reifegrad-Selbstbewertung {period}",
        "Maturity self-assessment {period}",
    ),
    "document_title": (
        "Ratsbericht Nachhaltigkeitsmanagement {name} {period}",
        "Council report on sustainability management {name} {period}",
    ),
    "cover_facts": ("Angaben zum Bericht", "About this report"),
    "fact_ags": ("Amtlicher Gemeindeschlüssel (AGS)", "Municipality key (AGS)"),
    "fact_land": ("Land", "Land (federal state)"),
    "fact_kind": ("Art", "Kind"),
    "fact_population": ("Einwohner", "Inhabitants"),
    "fact_size_class": ("KGSt-Größenklasse", "KGSt size class"),
    "fact_period": ("Bewertungsjahr", "Assessment year"),
    "fact_status": ("Stand der Bewertung", "Status of the assessment"),
    "fact_report_date": ("Berichtsdatum", "Date of the report"),
    "status_submitted": (
        "eingereicht am {date} (Revision {revision})",
        "submitted on {date} (revision {revision})",
    ),
    "status_draft": (
        "Entwurf, zuletzt geändert am {date} (Revision {revision})",
        "draft, last changed on {date} (revision {revision})",
    ),
    "draft_mark": ("Entwurf – vorläufige Werte", "Draft – provisional figures"),
    "draft_note": (
        "Dieser Bericht beruht auf einem Entwurf: Die Werte sind vorläufig und ändern sich mit "
        "jeder weiteren Antwort. In Vergleichen zählt die Bewertung erst nach dem Einreichen.",
        "This report is based on a draft: the figures are provisional and change with every "
        "further answer. The assessment counts in comparisons only once it is submitted.",
    ),
    "demo_mark": ("DEMO – fiktive Daten", "DEMO – fictional data"),
    "demo_note": (
        "Diese Kommune und ihre Bewertung sind erfunden. Nichts in diesem Bericht beschreibt "
        "eine echte Kommune.",
        "This municipality and its assessment are invented. Nothing in this report describes "
        "a real municipality.",
    ),
    "page_word": ("Seite", "Page"),
    "of_word": ("von", "of"),
    "contents": ("Inhalt", "Contents"),
    # summary
    "summary": ("Zusammenfassung", "Summary"),
    "summary_intro": (
        "Grundlage dieses Berichts ist die Selbstbewertung des Nachhaltigkeitsmanagements "
        "durch {name} für {period}: {criteria} Kriterien in {dimensions} Dimensionen, jedes "
        "auf einer Reifegradskala von 0 (nicht vorhanden) bis 4 (integriert und optimierend).",
        "This report is based on the self-assessment of its sustainability management by "
        "{name} for {period}: {criteria} criteria in {dimensions} dimensions, each on a "
        "maturity scale from 0 (not in place) to 4 (integrated and optimising).",
    ),
    "band": ("Einstufung: {band}", "Band: {band}"),
    "no_overall": (
        "Noch kein Gesamtindex: Es ist noch kein Kriterium beantwortet.",
        "No overall index yet: no criterion is answered.",
    ),
    "left_out": (
        "Ohne Wert (noch nichts beantwortet): {dimensions}",
        "No score yet (nothing answered): {dimensions}",
    ),
    "dimensions_table": ("Dimensionen im Überblick", "Dimensions at a glance"),
    "scale_note": (
        "Wert: Anteil der erreichbaren Punkte. Reifestufe: die höchste Stufe, die jedes "
        "anwendbare Kriterium erreicht – das schwächste Glied bestimmt sie. Abdeckung: Anteil "
        "der beantworteten Kriterien.",
        "Score: share of achievable points. Level: the highest level every applicable "
        "criterion reaches – the weakest link sets it. Coverage: share of criteria answered.",
    ),
    "scale_note_target": (
        "Zielwert: der Wert, wenn jedes Kriterium sein Ziel erreicht.",
        "Target: the score if every criterion reached its target.",
    ),
    "chart_scores": ("Wert je Dimension (0–100 %)", "Score per dimension (0–100 %)"),
    "chart_scores_targets": (
        "Wert je Dimension (0–100 %); Raute: Zielwert",
        "Score per dimension (0–100 %); diamond: target",
    ),
    "chart_own": ("Eigener Wert", "Own score"),
    "chart_target": ("Zielwert", "Target"),
    "findings": ("Hinweise zur Bewertung", "Notes on the assessment"),
    "col_dimension": ("Dimension", "Dimension"),
    "col_score": ("Wert", "Score"),
    "col_band": ("Einstufung", "Band"),
    "col_gated": ("Reifestufe (alle Kriterien)", "Level (all criteria)"),
    "col_coverage": ("Abdeckung", "Coverage"),
    "col_answered": ("beantwortet", "answered"),
    "col_target": ("Zielwert", "Target"),
    "col_criterion": ("Kriterium", "Criterion"),
    "col_level": ("Stufe", "Level"),
    # dimension chapters
    "dimension_facts": ("Kennzahlen", "Key figures"),
    "fact_score": ("Wert", "Score"),
    "fact_gated": ("Reifestufe (alle Kriterien)", "Level (all criteria)"),
    "fact_coverage": ("Abdeckung", "Coverage"),
    "fact_target": ("Zielwert", "Target"),
    "fact_scorer": ("Bewertet von", "Scored by"),
    "coverage_value": (
        "{percent} ({answered} von {criteria} Kriterien beantwortet, davon {na} nicht anwendbar)",
        "{percent} ({answered} of {criteria} criteria answered, {na} of them not applicable)",
    ),
    "gated_value": ("{level} – {label}", "{level} – {label}"),
    "chart_levels": (
        "Reifestufe je Kriterium (0–4)",
        "Maturity level per criterion (0–4)",
    ),
    "chart_levels_targets": (
        "Reifestufe je Kriterium (0–4); Raute: Zielstufe",
        "Maturity level per criterion (0–4); diamond: target level",
    ),
    "chart_level_axis": ("Stufe", "Level"),
    "criteria": ("Kriterien", "Criteria"),
    "level_answer": ("Stufe {level} – {label}", "Level {level} – {label}"),
    "not_applicable": ("nicht anwendbar", "not applicable"),
    "not_applicable_short": ("n. a.", "n/a"),
    "unanswered": ("noch nicht beantwortet", "not answered yet"),
    "unanswered_short": ("offen", "open"),
    "justification": ("Begründung", "Justification"),
    "evidence_status": ("Nachweisstatus", "Evidence status"),
    "evidence_reference": ("Nachweis", "Evidence"),
    "comment": ("Kommentar", "Comment"),
    "target_level": ("Zielstufe", "Target level"),
    "question": ("Frage", "Question"),
    "answer": ("Antwort", "Answer"),
    "finding": ("Hinweis", "Note"),
    "weakest": ("Schwächste Glieder", "Weakest links"),
    "weakest_intro": (
        "Diese Kriterien stehen auf der Reifestufe {level}, der niedrigsten der Dimension; die "
        "Reifestufe der Dimension steigt erst, wenn alle von ihnen steigen:",
        "These criteria are at level {level}, the lowest of the dimension; the dimension's "
        "level rises only when all of them rise:",
    ),
    "weakest_none": (
        "Keine: Es ist noch kein anwendbares Kriterium beantwortet.",
        "None: no applicable criterion is answered yet.",
    ),
    "weakest_top": (
        "Keine: Jedes anwendbare Kriterium steht auf Stufe 4.",
        "None: every applicable criterion is at level 4.",
    ),
    "next_steps": ("Nächste Schritte", "Next steps"),
    "no_steps": ("Keine offenen Schritte.", "No open steps."),
    "step_levels": ("Stufe {current} → {next}", "level {current} → {next}"),
    "reason_weakest_link": ("schwächstes Glied", "weakest link"),
    "reason_below_target": ("unter dem Ziel", "below the target"),
    "reason_lowest": ("niedrigste Stufe", "lowest level"),
    "reason_plugin": ("Erweiterung {source}", "extension {source}"),
    "evidence_self_declared": ("Selbstauskunft", "self-declared"),
    "evidence_documented": ("dokumentiert", "documented"),
    "evidence_externally_verified": ("extern bestätigt", "externally verified"),
    # benchmark
    "benchmark": ("Vergleich mit anderen Kommunen", "Comparison with other municipalities"),
    "benchmark_group": ("Vergleichsgruppe: {group}", "Peer group: {group}"),
    "benchmark_size": (
        "n = {n} Kommunen mit eingereichter Bewertung für {period}",
        "n = {n} municipalities with a submitted assessment for {period}",
    ),
    "benchmark_demo": (
        "Demo-Kommunen werden nur mit Demo-Kommunen verglichen.",
        "Demo municipalities are compared only with demo municipalities.",
    ),
    "benchmark_error": ("Kein Vergleich möglich: {reason}", "No comparison possible: {reason}"),
    "benchmark_no_size_class": (
        "Für {name} ist keine Einwohnerzahl erfasst, daher keine KGSt-Größenklasse.",
        "{name} has no recorded population, hence no KGSt size class.",
    ),
    "benchmark_table": (
        "Eigener Wert und Vergleichsgruppe je Dimension",
        "Own score and peer group per dimension",
    ),
    "benchmark_chart": (
        "Box: mittlere Hälfte der Vergleichsgruppe (1. bis 3. Quartil), Strich: Median, "
        "Punkt: eigener Wert",
        "Box: middle half of the peer group (1st to 3rd quartile), line: median, dot: own score",
    ),
    "benchmark_group_legend": ("Vergleichsgruppe (1. bis 3. Quartil)", "Peer group (Q1 to Q3)"),
    "benchmark_median": ("Median", "Median"),
    "col_own": ("Eigener Wert", "Own score"),
    "col_q1": ("1. Quartil", "1st quartile"),
    "col_median": ("Median", "Median"),
    "col_q3": ("3. Quartil", "3rd quartile"),
    "col_rank": ("Perzentilrang", "Percentile rank"),
    "col_n": ("n", "n"),
    "percentile_note": (
        "Perzentilrang: der Anteil der Gruppe unterhalb des eigenen Werts plus die Hälfte des "
        "Anteils mit gleichem Wert – 50 % ist die Mitte der Gruppe.",
        "Percentile rank: the share of the group below the own score plus half the share level "
        "with it – 50 % is the middle of the group.",
    ),
    "benchmark_own_draft": (
        "Der eigene Wert stammt aus einem Entwurf; er zählt in der Gruppe erst nach dem "
        "Einreichen mit.",
        "The own score comes from a draft; it counts in the group once it is submitted.",
    ),
    "benchmark_no_rank": (
        "Ohne Perzentilrang: Der Bericht zeigt Revision {revision}, in der Gruppe zählt eine "
        "andere Revision dieses Jahres.",
        "No percentile rank: the report shows revision {revision}, while another revision of "
        "this year counts in the group.",
    ),
    # development
    "development": (
        "Entwicklung seit der ersten Bewertung",
        "Development since the first assessment",
    ),
    "development_single": (
        "Bisher liegt nur die Bewertung für {period} vor. Die Entwicklung zeigt dieser "
        "Abschnitt ab der zweiten Bewertung.",
        "So far there is only the assessment for {period}. This section shows the development "
        "from the second assessment on.",
    ),
    "development_intro": (
        "Je Jahr zählt die zuletzt eingereichte Revision, sonst der Entwurf (markiert). "
        "Veränderung: Punkte seit der ersten eingereichten Bewertung ({first}).",
        "Per year the latest submitted revision counts, else the draft (marked). Change: "
        "points since the first submitted assessment ({first}).",
    ),
    "development_intro_no_baseline": (
        "Je Jahr zählt die zuletzt eingereichte Revision, sonst der Entwurf (markiert). Ohne "
        "eingereichte frühere Bewertung gibt es keine Veränderung zu berechnen.",
        "Per year the latest submitted revision counts, else the draft (marked). Without a "
        "submitted earlier assessment there is no change to compute.",
    ),
    "development_table": ("Werte je Jahr", "Scores per year"),
    "development_chart": (
        "Werte je Jahr (0–100 %); schwarz: Gesamtindex",
        "Scores per year (0–100 %); black: overall index",
    ),
    "period_draft": ("{period} (Entwurf)", "{period} (draft)"),
    "col_series": ("Reihe", "Series"),
    "col_change": ("Veränderung seit {first}", "Change since {first}"),
    "overall_short": ("Gesamtindex", "Overall index"),
    # method
    "method": ("Methode und Datengrundlage", "Method and data"),
    "method_scale": (
        "Jedes Kriterium wird auf einer fünfstufigen Reifegradskala beantwortet:",
        "Each criterion is answered on a five-level maturity scale:",
    ),
    "method_score": (
        "Wert (Erfüllungsgrad) einer Dimension: die gewichteten Punkte der beantworteten, "
        "anwendbaren Kriterien geteilt durch die erreichbaren Punkte (Stufe 4 bei jedem dieser "
        "Kriterien), in Prozent.",
        "Score of a dimension: the weighted points of the answered, applicable criteria divided "
        "by the achievable points (level 4 in each of these criteria), in percent.",
    ),
    "method_na": (
        "„Nicht anwendbar“ ist nur bei Kriterien möglich, die das vorsehen, und braucht eine "
        "Begründung; solche Kriterien zählen weder bei den erreichten noch bei den erreichbaren "
        "Punkten. Unbeantwortete Kriterien zählen ebenfalls nicht mit und senken stattdessen "
        "die Abdeckung.",
        "“Not applicable” is possible only where a criterion allows it and needs a "
        "justification; such criteria count neither in the points reached nor in the "
        "achievable points. Unanswered criteria do not count either and lower the coverage "
        "instead.",
    ),
    "method_gated": (
        "Reifestufe (alle Kriterien): die höchste Stufe, die jedes beantwortete, anwendbare "
        "Kriterium erreicht. Sie zeigt das schwächste Glied, das ein Durchschnitt verdeckt.",
        "Level (all criteria): the highest level every answered, applicable criterion reaches. "
        "It shows the weakest link an average hides.",
    ),
    "method_bands": (
        "Einstufung: ab 75 % fortgeschritten, ab 50 % etabliert, darunter im Aufbau.",
        "Band: from 75 % advanced, from 50 % established, below that developing.",
    ),
    "method_overall": (
        "{label}: Die Dimensionen sind gleich gewichtet, sofern eine Dimension kein eigenes "
        "Gewicht hat; Dimensionen ohne Wert bleiben außen vor und werden genannt.",
        "{label}: the dimensions count equally unless a dimension has a weight of its own; "
        "dimensions without a score are left out and named.",
    ),
    "method_steps": (
        "Nächste Schritte: zuerst die schwächsten Glieder, dann Kriterien unter dem Ziel, dann "
        "die niedrigsten übrigen; jeder Schritt beschreibt die nächste Stufe des Kriteriums.",
        "Next steps: the weakest links first, then criteria below their target, then the lowest "
        "of the others; each step describes the criterion's next level.",
    ),
    "method_benchmark": (
        "Vergleich: Es zählen nur eingereichte Bewertungen (je Kommune und Jahr die zuletzt "
        "eingereichte Revision). Eine Gruppe mit weniger als {min} Kommunen zeigt keine Werte, "
        "nur den Grund; ebenso jede einzelne Dimension mit weniger als {min} Werten. Eine "
        "Gruppe, die sich von einer größeren Gruppe derselben Kommune um weniger als {min} "
        "Kommunen unterscheidet, wird nicht gezeigt (Differenzbildung). Demo-Kommunen und echte "
        "Kommunen werden nie gemischt.",
        "Comparison: only submitted assessments count (per municipality and year the latest "
        "submitted revision). A group of fewer than {min} municipalities shows no figures, only "
        "the reason; so does each single dimension with fewer than {min} scores. A group that "
        "differs from a broader group of the same municipality by fewer than {min} "
        "municipalities is not shown (differencing). Demo and real municipalities are never "
        "mixed.",
    ),
    "method_sources": ("Datengrundlage", "Data"),
    "method_source_text": (
        "Selbstbewertung durch {name}, Bewertungsjahr {period}, Revision {revision}, Stand "
        "{date} ({status}). Die Antworten, Nachweise und Kommentare stammen von der Kommune "
        "selbst und sind nicht extern geprüft, sofern ein Nachweis nicht als „extern bestätigt“ "
        "markiert ist.",
        "Self-assessment by {name}, assessment year {period}, revision {revision}, as of {date} "
        "({status}). The answers, evidence and comments come from the municipality itself and "
        "are not checked externally unless evidence is marked “externally verified”.",
    ),
    "method_generated": (
        "Erstellt am {date} mit nhm {version}.",
        "Produced on {date} with nhm {version}.",
    ),
    "status_word_submitted": ("eingereicht", "submitted"),
    "status_word_draft": ("Entwurf", "draft"),
}


class ReportText(formatting.Texts):
    """The report's texts and formats in one language: ``t("key", **values)``."""

    kind = "report text in nhm.report.texts.TEXTS"

    def __init__(self, lang: str, texts: Mapping[str, tuple[str, str]] = TEXTS) -> None:
        super().__init__(lang, texts)

    def date(self, value: date | datetime | None) -> str:
        """A day (a stored UTC time in German local time): 14.05.2025 / 14 May 2025."""
        if value is None:
            return "–"
        if isinstance(value, datetime):
            moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
            value = moment.astimezone(LOCAL_ZONE).date()
        if self.lang == "de":
            return value.strftime("%d.%m.%Y")
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
