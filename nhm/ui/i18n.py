"""Every text of the app's interface, in German and English (the translation catalog).

Views never hold literal UI text: they call ``t("key", name=value)``. Domain texts
(dimensions, criteria, level descriptors) come from the catalog's own translations.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: dict[str, str] = {"de": "Deutsch", "en": "English"}

TEXTS: dict[str, tuple[str, str]] = {
    # frame and navigation
    "app.language": ("Sprache", "Language"),
    "app.chosen": ("Gewählt: {name} ({ags}), {period}", "Chosen: {name} ({ags}), {period}"),
    "app.database": ("Datenbank: {path}", "Database: {path}"),
    "app.auth_none": (
        "Lokaler Einzelbetrieb ohne Anmeldung: Änderungen werden unter Ihrem Benutzernamen "
        "gespeichert.",
        "Local single-user mode without sign-in: changes are recorded under your user name.",
    ),
    "app.demo_selected": (
        "DEMO – fiktive Kommune mit erfundenen Daten. Nichts hier beschreibt eine echte Kommune.",
        "DEMO – a fictional municipality with invented data. Nothing here describes a real "
        "municipality.",
    ),
    "app.demo_database": (
        "Diese Datenbank enthält fiktive Demo-Daten; sie sind mit „DEMO“ markiert.",
        "This database holds fictional demo data; it is marked “DEMO”.",
    ),
    "nav.start": ("Start", "Start"),
    "nav.assessment": ("Selbstbewertung", "Self-assessment"),
    "nav.results": ("Ergebnisse", "Results"),
    # shared
    "common.choose_first": (
        "Bitte wählen Sie zuerst auf der Startseite eine Kommune und ein Jahr.",
        "Please choose a municipality and a year on the start page first.",
    ),
    "common.demo_tag": ("DEMO", "DEMO"),
    "common.inhabitants": ("{count} Einwohner", "{count} inhabitants"),
    "common.size_class": ("KGSt-Größenklasse {size_class}", "KGSt size class {size_class}"),
    "common.unanswered": ("noch nicht beantwortet", "not answered yet"),
    "status.draft": ("Entwurf", "draft"),
    "status.submitted": ("eingereicht", "submitted"),
    "evidence.self_declared": ("Selbstauskunft", "self-declared"),
    "evidence.documented": ("dokumentiert", "documented"),
    "evidence.externally_verified": ("extern bestätigt", "externally verified"),
    "error.store": ("Nicht gespeichert: {message}", "Not saved: {message}"),
    "error.field": ("{field}: {message}", "{field}: {message}"),
    # form fields
    "field.record": ("Eingabe", "Input"),
    "field.ags": ("Amtlicher Gemeindeschlüssel (AGS)", "Official municipality key (AGS)"),
    "field.ags_help": (
        "8 Ziffern, z. B. 05315000 für Köln. Fiktive Demo-Kommunen haben 99 an Stelle 4–5.",
        "8 digits, e.g. 05315000 for Cologne. Fictional demo municipalities have 99 in digits 4–5.",
    ),
    "field.name": ("Name", "Name"),
    "field.kind": ("Art", "Kind"),
    "field.population": ("Einwohnerzahl (optional)", "Population (optional)"),
    "field.justification": ("Begründung", "Justification"),
    "field.evidence_reference": ("Nachweis", "Evidence"),
    "field.comment": ("Kommentar", "Comment"),
    # table columns
    "col.period": ("Jahr", "Year"),
    "col.revision": ("Revision", "Revision"),
    "col.status": ("Status", "Status"),
    "col.answered": ("beantwortet", "answered"),
    "col.updated": ("zuletzt geändert", "last changed"),
    "col.updated_by": ("von", "by"),
    "col.dimension": ("Dimension", "Dimension"),
    "col.score": ("Wert", "Score"),
    "col.band": ("Einstufung", "Band"),
    "col.gated": ("Reifestufe (alle Kriterien)", "Level (all criteria)"),
    "col.coverage": ("Abdeckung", "Coverage"),
    "col.target": ("Zielwert", "Target"),
    "col.progress": ("seit Erstbewertung", "since first assessment"),
    "col.criterion": ("Kriterium", "Criterion"),
    "col.answer": ("Antwort", "Answer"),
    "col.evidence": ("Nachweisstatus", "Evidence status"),
    "col.reference": ("Nachweis", "Evidence"),
    "col.comment": ("Kommentar", "Comment"),
    # start
    "start.title": (
        "Nachhaltigkeitsmanagement – Selbstbewertung",
        "Sustainability management – self-assessment",
    ),
    "start.intro": (
        "Wählen Sie Ihre Kommune und das Jahr. Danach bewerten Sie Schritt für Schritt die "
        "Dimensionen des kommunalen Nachhaltigkeitsmanagements; jede Antwort wird sofort "
        "gespeichert.",
        "Choose your municipality and the year. Then assess the dimensions of municipal "
        "sustainability management step by step; every answer is saved at once.",
    ),
    "start.empty_directory": (
        "Noch keine Kommunen in der Datenbank. Legen Sie Ihre Kommune rechts von Hand an oder "
        "laden Sie das amtliche Verzeichnis (nhm municipalities import).",
        "No municipalities in the database yet. Add yours by hand on the right or load the "
        "official directory (nhm municipalities import).",
    ),
    "start.continue": ("Weiterarbeiten", "Continue"),
    "start.continue_item": (
        "{name} ({ags}), {period}: {answered} beantwortet, zuletzt {updated}",
        "{name} ({ags}), {period}: {answered} answered, last {updated}",
    ),
    "start.choose": ("Kommune wählen", "Choose a municipality"),
    "start.search": ("Suche nach Name oder AGS", "Search by name or AGS"),
    "start.search_hint": ("z. B. Musterstadt oder 05199", "e.g. Musterstadt or 05199"),
    "start.no_match": ("Keine Kommune passt zu „{query}“.", "No municipality matches “{query}”."),
    "start.more_matches": (
        "Es werden die ersten {limit} Treffer gezeigt; verfeinern Sie die Suche.",
        "Showing the first {limit} matches; refine the search.",
    ),
    "start.municipality": ("Kommune", "Municipality"),
    "start.municipality_placeholder": ("Kommune auswählen …", "Choose a municipality …"),
    "start.period": ("Jahr der Bewertung", "Year of the assessment"),
    "start.period_help": (
        "Eine Bewertung je Kommune und Jahr; Änderungen nach dem Einreichen als neue Revision.",
        "One assessment per municipality and year; changes after submitting as a new revision.",
    ),
    "start.add_title": ("Kommune von Hand anlegen", "Add a municipality by hand"),
    "start.add_help": (
        "Falls Ihre Kommune nicht im Verzeichnis steht. Land und Kreis ergeben sich aus dem AGS.",
        "If your municipality is not in the directory. Land and county follow from the AGS.",
    ),
    "start.add_button": ("Anlegen", "Add"),
    "start.add_exists": (
        "Eine Kommune mit dem AGS {ags} gibt es schon; wählen Sie sie über die Suche.",
        "A municipality with AGS {ags} exists already; choose it with the search.",
    ),
    "start.added": (
        "{name} ({ags}, {land}) ist angelegt und gewählt.",
        "{name} ({ags}, {land}) was added and chosen.",
    ),
    "start.state_title": ("Bewertungen von {name} ({ags})", "Assessments of {name} ({ags})"),
    "start.none_for_period": (
        "Für {period} gibt es noch keine Bewertung.",
        "There is no assessment for {period} yet.",
    ),
    "start.begin": ("Bewertung {period} beginnen", "Start the {period} assessment"),
    "start.current": (
        "{period}: Revision {revision}, {status}, {answered} von {total} Kriterien beantwortet.",
        "{period}: revision {revision}, {status}, {answered} of {total} criteria answered.",
    ),
    "start.open_draft": ("Bewertung fortsetzen", "Continue the assessment"),
    "start.view_submitted": ("Eingereichte Bewertung ansehen", "View the submitted assessment"),
    "start.open_results": ("Ergebnisse ansehen", "View the results"),
    # wizard
    "wizard.title_plain": ("Selbstbewertung", "Self-assessment"),
    "wizard.title": ("Selbstbewertung {name} {period}", "Self-assessment {name} {period}"),
    "wizard.draft_caption": (
        "Entwurf, Revision {revision} · zuletzt geändert {updated} von {by} · jede Antwort "
        "wird sofort gespeichert",
        "Draft, revision {revision} · last changed {updated} by {by} · every answer is saved "
        "at once",
    ),
    "wizard.progress": (
        "{answered} von {total} Kriterien beantwortet",
        "{answered} of {total} criteria answered",
    ),
    "wizard.dimension_progress": (
        "{answered} von {total} in dieser Dimension",
        "{answered} of {total} in this dimension",
    ),
    "wizard.step": ("Schritt", "Step"),
    "wizard.submit_step": ("Prüfen und einreichen", "Review and submit"),
    "wizard.back": ("Zurück", "Back"),
    "wizard.next": ("Weiter", "Next"),
    "wizard.guidance": ("Hinweise zur Einstufung", "Guidance"),
    "wizard.level": ("Reifegrad", "Maturity level"),
    "wizard.level_option": ("Stufe {level} – {descriptor}", "Level {level} – {descriptor}"),
    "wizard.level_short": ("Stufe {level}", "level {level}"),
    "wizard.not_applicable": ("nicht anwendbar", "not applicable"),
    "wizard.justification": ("Begründung für „nicht anwendbar“", "Why it does not apply"),
    "wizard.justification_help": (
        "Pflichtangabe: warum das Kriterium für Ihre Kommune nicht zutrifft.",
        "Required: why the criterion does not apply to your municipality.",
    ),
    "wizard.justification_needed": (
        "Bitte begründen Sie „nicht anwendbar“; gespeichert wird erst mit Begründung.",
        "Please justify “not applicable”; it is saved once the justification is given.",
    ),
    "wizard.justification_required": (
        "Nicht gespeichert: „nicht anwendbar“ braucht eine Begründung.",
        "Not saved: “not applicable” needs a justification.",
    ),
    "wizard.evidence": ("Nachweisstatus", "Evidence status"),
    "wizard.reference": (
        "Nachweis (Dokument, Beschluss oder Link)",
        "Evidence (document, decision or link)",
    ),
    "wizard.reference_placeholder": ("z. B. Ratsbeschluss vom …", "e.g. council decision of …"),
    "wizard.reference_examples": ("z. B. {examples}", "e.g. {examples}"),
    "wizard.comment": ("Kommentar", "Comment"),
    "wizard.choose_level_first": (
        "Bitte zuerst eine Stufe wählen; Nachweis und Kommentar werden mit ihr gespeichert.",
        "Please choose a level first; evidence and comment are saved with it.",
    ),
    "wizard.saved_by": ("Gespeichert von {by} am {at}", "Saved by {by} on {at}"),
    "wizard.clear": ("Antwort löschen", "Clear answer"),
    "wizard.stale": (
        "Nicht gespeichert, weil die Antwort inzwischen geändert wurde: {message}. Angezeigt "
        "ist jetzt der gespeicherte Stand. Ihre Eingabe war: {mine}",
        "Not saved because the answer was changed meanwhile: {message}. The stored answer is "
        "shown now. Your input was: {mine}",
    ),
    "wizard.changed_by": ("zuletzt von {by} am {at}", "last by {by} on {at}"),
    "wizard.changed_cleared": ("sie wurde gelöscht", "it was cleared"),
    "wizard.stale_clear": (
        "Nicht gelöscht, weil die Antwort inzwischen geändert wurde: {message}",
        "Not cleared because the answer was changed meanwhile: {message}",
    ),
    "wizard.submit_title": ("Prüfen und einreichen", "Review and submit"),
    "wizard.gaps": (
        "{count} Kriterien sind noch nicht beantwortet:",
        "{count} criteria are not answered yet:",
    ),
    "wizard.complete": ("Alle Kriterien sind beantwortet.", "Every criterion is answered."),
    "wizard.findings": ("Hinweise zur Bewertung", "Notes on the assessment"),
    "wizard.submit_explained": (
        "Mit dem Einreichen wird diese Revision schreibgeschützt und zählt im Vergleich mit "
        "anderen Kommunen. Spätere Änderungen sind als neue Revision möglich.",
        "Submitting makes this revision read-only and counts it in comparisons with other "
        "municipalities. Later changes are possible as a new revision.",
    ),
    "wizard.submit_with_gaps": (
        "Trotz offener Kriterien einreichen",
        "Submit despite open criteria",
    ),
    "wizard.submit": ("Bewertung einreichen", "Submit the assessment"),
    "wizard.stale_submit": (
        "Nicht eingereicht, weil die Bewertung inzwischen geändert wurde: {message}. Bitte "
        "prüfen Sie die Antworten und reichen Sie erneut ein.",
        "Not submitted because the assessment was changed meanwhile: {message}. Please review "
        "the answers and submit again.",
    ),
    "wizard.submitted": ("Die Bewertung ist eingereicht.", "The assessment is submitted."),
    "wizard.read_only": (
        "Revision {revision} wurde am {at} von {by} eingereicht und ist schreibgeschützt.",
        "Revision {revision} was submitted on {at} by {by} and is read-only.",
    ),
    "wizard.new_revision": ("Neue Revision beginnen", "Start a new revision"),
    "wizard.revision_started": (
        "Revision {revision} ist begonnen; sie enthält alle bisherigen Antworten.",
        "Revision {revision} is started; it holds all previous answers.",
    ),
    # results
    "results.title_plain": ("Ergebnisse", "Results"),
    "results.title": ("Ergebnisse {name} {period}", "Results {name} {period}"),
    "results.none": (
        "Für {period} gibt es noch keine Bewertung.",
        "There is no assessment for {period} yet.",
    ),
    "results.revision": ("Revision", "Revision"),
    "results.revision_option": ("Revision {revision} ({status})", "Revision {revision} ({status})"),
    "results.draft_note": (
        "Entwurf: vorläufige Werte, die sich mit jeder Antwort ändern.",
        "Draft: provisional values that change with every answer.",
    ),
    "results.overall_help": (
        "Gewichteter Mittelwert der Dimensionswerte (0–100 %). Jeder Dimensionswert ist der "
        "Anteil der erreichbaren Punkte; „nicht anwendbar“ zählt nicht mit.",
        "Weighted mean of the dimension scores (0–100 %). Each dimension score is the share of "
        "achievable points; “not applicable” does not count.",
    ),
    "results.band": ("Einstufung: {band}", "Band: {band}"),
    "results.left_out": (
        "Ohne Wert (noch nichts beantwortet): {dimensions}",
        "No score yet (nothing answered): {dimensions}",
    ),
    "results.dimensions": ("Dimensionen", "Dimensions"),
    "results.scale_note": (
        "Wert: Anteil der erreichbaren Punkte. Reifestufe: die höchste Stufe, die jedes "
        "anwendbare Kriterium erreicht – das schwächste Glied bestimmt sie. Abdeckung: Anteil "
        "der beantworteten Kriterien.",
        "Score: share of achievable points. Level: the highest level every applicable "
        "criterion reaches – the weakest link sets it. Coverage: share of criteria answered.",
    ),
    "results.peer_group": ("Vergleichsgruppe im Diagramm", "Peer group in the chart"),
    "results.no_peers": ("Kein Vergleich: {reason}", "No comparison: {reason}"),
    "results.peers_suppressed": (
        "Vergleichsgruppe {group}: {reason}",
        "Peer group {group}: {reason}",
    ),
    "results.peers": (
        "Vergleichsgruppe {group}: {n} Kommunen mit eingereichter Bewertung",
        "Peer group {group}: {n} municipalities with a submitted assessment",
    ),
    "results.next_steps": ("Nächste Schritte", "Next steps"),
    "results.step_levels": (", Stufe {current} → {next}", ", level {current} → {next}"),
    "results.no_steps": ("Keine offenen Schritte.", "No open steps."),
    "results.no_steps_unanswered": (
        "Noch keine Antworten: Nächste Schritte ergeben sich aus der Selbstbewertung.",
        "No answers yet: next steps follow from the self-assessment.",
    ),
    "results.answers": ("Antworten je Kriterium", "Answers per criterion"),
    "results.downloads": ("Herunterladen", "Download"),
    "results.download_json": ("Als JSON herunterladen", "Download as JSON"),
    "results.download_xlsx": ("Als Excel (XLSX) herunterladen", "Download as Excel (XLSX)"),
    "reason.weakest_link": ("schwächstes Glied", "weakest link"),
    "reason.below_target": ("unter Ihrem Ziel", "below your target"),
    "reason.lowest": ("niedrigste Stufe", "lowest level"),
    "reason.plugin": ("Erweiterung", "extension"),
    "reason.plugin_named": ("Erweiterung {source}", "extension {source}"),
    "group.all": ("alle Kommunen", "all municipalities"),
    "group.size_class": ("gleiche KGSt-Größenklasse", "same KGSt size class"),
    "group.kind": (
        "gleiche Art (Kreis bzw. Stadt/Gemeinde)",
        "same kind (county or city/municipality)",
    ),
    "group.land": ("gleiches Land", "same Land"),
    "chart.own": ("Eigener Wert", "Own score"),
    "chart.target": ("Ziel", "Target"),
    "chart.peer_median": ("Median der Vergleichsgruppe (n = {n})", "Peer group median (n = {n})"),
    "chart.radar_title": ("Werte je Dimension (0–100 %)", "Scores per dimension (0–100 %)"),
    "chart.numbers": ("Zahlen zum Diagramm", "Numbers behind the chart"),
}


class Text:
    """The catalog in one language: ``t("key", **values)`` formats the text."""

    def __init__(self, lang: str, texts: Mapping[str, tuple[str, str]] = TEXTS) -> None:
        self.lang = lang if lang in LANGUAGES else "de"
        self._index = 0 if self.lang == "de" else 1
        self._texts = texts

    def __call__(self, key: str, **values: object) -> str:
        try:
            template = self._texts[key][self._index]
        except KeyError:
            raise KeyError(f"no UI text {key!r} in nhm.ui.i18n.TEXTS") from None
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in self._texts

    def number(self, value: float, digits: int = 1) -> str:
        """A number as the language writes it (German: 1.234,5)."""
        text = f"{value:,.{digits}f}"
        if self.lang == "de":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return text

    def percent(self, value: float | None, digits: int = 1) -> str:
        return "–" if value is None else f"{self.number(value, digits)} %"

    def signed(self, value: float | None) -> str:
        """A change in percentage points, with its sign."""
        if value is None:
            return "–"
        sign = "+" if value > 0 else ("±" if value == 0 else "−")
        return f"{sign}{self.number(abs(value))} {'Pp.' if self.lang == 'de' else 'pp'}"
