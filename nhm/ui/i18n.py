"""Every text of the app's interface, in German and English (the translation catalog).

Views never hold literal UI text: they call ``t("key", name=value)``. Domain texts
(dimensions, criteria, level descriptors) come from the catalog's own translations.
"""

from __future__ import annotations

from collections.abc import Mapping

from nhm import formatting

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
    "app.auth_invalid": (
        "Die Einstellung für die Anmeldung ist ungültig: {message}",
        "The sign-in setting is invalid: {message}",
    ),
    # signing in, roles and refusals
    "signin.title": ("Anmelden", "Sign in"),
    "signin.intro": (
        "Melden Sie sich mit dem Benutzernamen und dem Passwort Ihres nhm-Kontos an. Ein "
        "Konto legt die Administration an.",
        "Sign in with the user name and password of your nhm account. Accounts are created by "
        "the administration.",
    ),
    "signin.username": ("Benutzername", "User name"),
    "signin.password": ("Passwort", "Password"),
    "signin.submit": ("Anmelden", "Sign in"),
    "signin.missing": (
        "Bitte Benutzername und Passwort eingeben.",
        "Please enter your user name and password.",
    ),
    "signin.refused": (
        "Benutzername oder Passwort ist falsch.",
        "The user name or the password is wrong.",
    ),
    "signin.refused_locked": (
        "Benutzername oder Passwort ist falsch. Nach zu vielen Fehlversuchen ist das Konto "
        "gesperrt bis {until}.",
        "The user name or the password is wrong. After too many failed attempts the account "
        "is locked until {until}.",
    ),
    "signin.locked": (
        "Zu viele Fehlversuche: Das Konto ist gesperrt bis {until}. Danach können Sie es "
        "erneut versuchen, oder die Administration hebt die Sperre auf.",
        "Too many failed attempts: the account is locked until {until}. Try again after that, "
        "or ask the administration to unlock it.",
    ),
    "signin.disabled": (
        "Dieses Konto ist deaktiviert. Wenden Sie sich an die Administration.",
        "This account is disabled. Ask the administration.",
    ),
    "signin.expired": (
        "Ihre Sitzung ist abgelaufen (30 Minuten ohne Aktivität oder 12 Stunden nach der "
        "Anmeldung). Bitte melden Sie sich erneut an.",
        "Your session has ended (30 minutes without activity or 12 hours after signing in). "
        "Please sign in again.",
    ),
    "signin.unsaved": (
        "Nicht gespeichert, weil die Sitzung inzwischen abgelaufen war – bitte nach der "
        "Anmeldung erneut eingeben: {input}",
        "Not saved because the session had ended meanwhile – please enter it again after "
        "signing in: {input}",
    ),
    "wizard.unsaved_answer": ("{criterion}: {answer}", "{criterion}: {answer}"),
    "signin.session_ended": (
        "Ihre Sitzung wurde beendet: abgemeldet in einem anderen Fenster, Passwort geändert "
        "oder Konto deaktiviert. Bitte melden Sie sich erneut an.",
        "Your session has ended: signed out in another window, password changed or account "
        "disabled. Please sign in again.",
    ),
    "signin.account_unavailable": (
        "Ihr Konto ist nicht mehr verfügbar (deaktiviert oder entfernt). Wenden Sie sich an "
        "die Administration.",
        "Your account is no longer available (disabled or removed). Ask the administration.",
    ),
    "signin.signed_out": ("Sie haben sich abgemeldet.", "You have signed out."),
    "signin.sign_out": ("Abmelden", "Sign out"),
    "signin.signed_in_as": (
        "Angemeldet als {name} ({username})",
        "Signed in as {name} ({username})",
    ),
    "signin.signed_in_as_plain": ("Angemeldet als {username}", "Signed in as {username}"),
    "signin.role_admin": (
        "Rolle: Administration (alle Rechte)",
        "Role: administrator (all rights)",
    ),
    "signin.role_editor": ("Bearbeiten: {ags}", "Edit: {ags}"),
    "signin.role_viewer": ("Lesen: {ags}", "Read: {ags}"),
    "signin.role_coordinator": ("Ring koordinieren: {rings}", "Coordinate ring: {rings}"),
    "signin.no_roles": (
        "Ihrem Konto sind noch keine Rechte zugeordnet.",
        "Your account has no rights assigned yet.",
    ),
    "signin.oidc_intro": (
        "Melden Sie sich über den Anmeldedienst Ihrer Organisation an. nhm ordnet Sie über "
        "Ihre E-Mail-Adresse Ihrem Konto zu.",
        "Sign in through your organisation's sign-in service. nhm matches you to your account "
        "by your e-mail address.",
    ),
    "signin.oidc_button": ("Anmelden über den Anmeldedienst", "Sign in with the sign-in service"),
    "signin.oidc_unconfigured": (
        "NHM_AUTH=oidc, aber es ist kein Anmeldedienst eingerichtet: Der Abschnitt [auth] "
        "fehlt in .streamlit/secrets.toml (siehe docs/accounts.md).",
        "NHM_AUTH=oidc, but no sign-in service is set up: the [auth] section is missing from "
        ".streamlit/secrets.toml (see docs/accounts.md).",
    ),
    "signin.oidc_no_account": (
        "Zu Ihrer E-Mail-Adresse gibt es kein nhm-Konto. Bitten Sie die Administration, "
        "eines anzulegen; der Versuch wurde protokolliert.",
        "There is no nhm account for your e-mail address. Ask the administration to create "
        "one; the attempt has been logged.",
    ),
    "access.refused_municipality": (
        "Kein Zugriff auf die Daten der Kommune {ags}. Der Versuch wurde protokolliert.",
        "No access to the data of municipality {ags}. The attempt has been logged.",
    ),
    "access.refused_edit": (
        "Sie dürfen die Bewertungen der Kommune {ags} lesen, aber nicht ändern. Der Versuch "
        "wurde protokolliert.",
        "You may read the assessments of municipality {ags} but not change them. The attempt "
        "has been logged.",
    ),
    "wizard.draft_caption_read_only": (
        "Entwurf, Revision {revision}: {answered} Kriterien beantwortet, zuletzt geändert "
        "{updated}.",
        "Draft, revision {revision}: {answered} criteria answered, last changed {updated}.",
    ),
    "access.refused_ring": (
        "Nur die Koordination dieses Rings darf das. Der Versuch wurde protokolliert.",
        "Only this ring's coordinator may do this. The attempt has been logged.",
    ),
    "ring.members_by_admin": (
        "Mitglieder aufnehmen und entfernen kann die Administration.",
        "Members are added and removed by the administration.",
    ),
    "ring.consent_by_member": (
        "Die Einwilligung trägt jede Kommune selbst ein (wer ihre Bewertungen bearbeiten darf) "
        "oder die Administration.",
        "Each municipality records its consent itself (whoever may edit its assessments), or "
        "the administration does.",
    ),
    "ring.none_visible": (
        "Sie koordinieren keinen Vergleichsring, und keine Ihrer Kommunen ist Mitglied eines "
        "Rings.",
        "You coordinate no benchmarking ring, and none of your municipalities is a member of one.",
    ),
    "ring.member_view": (
        "Sie sehen diesen Ring als Mitglied: die anonyme Übersicht und den Bericht, Ihre "
        "Kommune hervorgehoben. Die Mitglieder nimmt die Administration auf, die Dateien liest "
        "die Koordination ein.",
        "You see this ring as a member: the anonymous overview and the report, with your "
        "municipality highlighted. The administration adds the members, the coordinator "
        "imports the files.",
    ),
    "access.read_only": (
        "Nur lesen: Ihr Konto darf diese Bewertung ansehen, aber nicht bearbeiten.",
        "Read only: your account may view this assessment but not edit it.",
    ),
    "access.admin_only": (
        "Nur die Administration darf das. Der Versuch wurde protokolliert.",
        "Only administrators may do this. The attempt has been logged.",
    ),
    "access.coordinator_only": (
        "Ihr Konto koordiniert Vergleichsringe ({rings}); Ihre Arbeit finden Sie auf der Seite "
        "Vergleichsringe.",
        "Your account coordinates benchmarking rings ({rings}); your work is on the page "
        "Benchmarking rings.",
    ),
    "access.begin_needs_editor": (
        "Eine Bewertung beginnen kann, wer die Bewertungen dieser Kommune bearbeiten darf.",
        "An assessment can be begun by whoever may edit this municipality's assessments.",
    ),
    "access.no_municipalities": (
        "Ihrem Konto ist noch keine Kommune zugeordnet. Wenden Sie sich an die Administration.",
        "Your account has no municipality assigned yet. Ask the administration.",
    ),
    "nav.assessment": ("Selbstbewertung", "Self-assessment"),
    "nav.results": ("Ergebnisse", "Results"),
    "nav.benchmark": ("Vergleich", "Benchmark"),
    "nav.history": ("Verlauf", "History"),
    "nav.plugins": ("Plugins", "Plugins"),
    "nav.section_nhm": ("Nachhaltigkeitsmanagement", "Sustainability management"),
    "nav.plugin_section": ("Plugin {plugin}", "Plugin {plugin}"),
    "plugin_page.failed": (
        "Die Seite des Plugins „{plugin}“ ist mit einem Fehler abgebrochen: {message}",
        "The page of the plugin “{plugin}” stopped with an error: {message}",
    ),
    # administration (nhm/ui/views/admin.py)
    "nav.admin": ("Verwaltung", "Administration"),
    "admin.title": ("Verwaltung", "Administration"),
    "admin.intro": (
        "Das Audit-Protokoll zeigt, wer wann was geändert, exportiert oder versucht hat; unter "
        "„Konten“ legen Sie Benutzerkonten an und vergeben Rollen.",
        "The audit log shows who changed, exported or tried what and when; under “Accounts” "
        "you add user accounts and grant roles.",
    ),
    "admin.denied": (
        "Diese Seite ist nur für die Administration. Der Zugriffsversuch wurde protokolliert.",
        "This page is for administrators only. The attempt has been logged.",
    ),
    "admin.tab_audit": ("Audit-Protokoll", "Audit log"),
    "admin.tab_accounts": ("Konten", "Accounts"),
    # administration: the audit log
    "admin.audit_intro": (
        "Jede Änderung, jede Anmeldung, jeder abgewiesene Zugriff und jeder Export wird "
        "protokolliert. Zeiten in deutscher Ortszeit.",
        "Every change, sign-in, refused access and export is logged. Times in German local time.",
    ),
    "admin.audit_denied_recent": (
        "Abgewiesene Zugriffe ({days} Tage)",
        "Refused accesses ({days} days)",
    ),
    "admin.audit_failed_recent": (
        "Fehlgeschlagene Anmeldungen ({days} Tage)",
        "Failed sign-ins ({days} days)",
    ),
    "admin.audit_show_denied": ("Abgewiesene Zugriffe zeigen", "Show refused accesses"),
    "admin.audit_show_failed": ("Fehlgeschlagene Anmeldungen zeigen", "Show failed sign-ins"),
    "admin.audit_show_all": ("Alle Aktionen zeigen", "Show all actions"),
    "admin.audit_action": ("Aktion", "Action"),
    "admin.audit_all_actions": ("Alle Aktionen", "All actions"),
    "admin.audit_action_option": ("{label} ({prefix})", "{label} ({prefix})"),
    "admin.action.access.denied": ("Abgewiesene Zugriffe", "Refused accesses"),
    "admin.action.auth.sign_in_failed": ("Fehlgeschlagene Anmeldungen", "Failed sign-ins"),
    "admin.action.auth": ("An- und Abmeldungen", "Sign-ins and sign-outs"),
    "admin.action.user": ("Konten", "Accounts"),
    "admin.action.role": ("Rollen", "Roles"),
    "admin.action.export": ("Exporte und Downloads", "Exports and downloads"),
    "admin.action.assessment": ("Selbstbewertungen", "Self-assessments"),
    "admin.action.municipality": ("Kommunen", "Municipalities"),
    "admin.action.ring": ("Vergleichsringe", "Benchmarking rings"),
    "admin.action.target": ("Zielwerte", "Targets"),
    "admin.action.demo": ("Demo-Daten", "Demo data"),
    "admin.audit_action_text": ("Oder: Aktion beginnt mit", "Or: action starts with"),
    "admin.audit_action_text_help": (
        "Zum Beispiel user.removed oder export. – hat Vorrang vor der Auswahl links.",
        "For example user.removed or export. – takes precedence over the choice on the left.",
    ),
    "admin.audit_actor": ("Wer (enthält)", "Who (contains)"),
    "admin.audit_actor_help": (
        "Ein Teil des Benutzernamens; Groß- und Kleinschreibung zählen nicht.",
        "Part of the user name; upper and lower case do not matter.",
    ),
    "admin.audit_from": ("Von (Datum)", "From (date)"),
    "admin.audit_to": ("Bis (Datum)", "To (date)"),
    "admin.audit_limit": ("Höchstens Einträge", "At most entries"),
    "admin.audit_dates_reversed": (
        "Das Datum „Von“ liegt nach dem Datum „Bis“.",
        "The “from” date is after the “to” date.",
    ),
    "admin.audit_none": ("Keine Einträge zu diesem Filter.", "No entries match this filter."),
    "admin.audit_count": ("{count} Einträge, die neuesten zuerst", "{count} entries, newest first"),
    "admin.audit_maybe_more": (
        "Die Höchstzahl von {limit} Einträgen ist erreicht – ältere Einträge fehlen womöglich.",
        "The limit of {limit} entries is reached – older entries may be missing.",
    ),
    "admin.audit_highlight_note": (
        "Hervorgehoben: abgewiesene Zugriffe und fehlgeschlagene Anmeldungen.",
        "Highlighted: refused accesses and failed sign-ins.",
    ),
    "admin.col_time": ("Zeit", "Time"),
    "admin.col_actor": ("Wer", "Actor"),
    "admin.col_action": ("Aktion", "Action"),
    "admin.col_object": ("Objekt", "Object"),
    "admin.col_details": ("Details", "Details"),
    "admin.csv_make": ("CSV-Datei erstellen", "Create CSV file"),
    "admin.csv_help": (
        "Die Datei enthält die gefilterten Einträge; der Export wird im Audit-Protokoll vermerkt.",
        "The file holds the filtered entries; the export is recorded in the audit log.",
    ),
    "admin.csv_download": (
        "Audit-Protokoll als CSV herunterladen",
        "Download the audit log as CSV",
    ),
    "admin.csv_failed": (
        "Die CSV-Datei wurde nicht erstellt: {message}",
        "The CSV file was not created: {message}",
    ),
    "admin.csv_id": ("Nr.", "No."),
    "admin.csv_time": ("Zeit (UTC)", "Time (UTC)"),
    "admin.csv_entity": ("Objektart", "Object type"),
    "admin.csv_key": ("Objekt", "Object"),
    # administration: accounts
    "admin.local_note": (
        "Lokaler Einzelbetrieb ohne Anmeldung (`NHM_AUTH=none`): Konten und Rollen wirken "
        "erst, wenn nhm mit `NHM_AUTH=accounts` oder `NHM_AUTH=oidc` läuft.",
        "Local single-user mode without sign-in (`NHM_AUTH=none`): accounts and roles take "
        "effect only when nhm runs with `NHM_AUTH=accounts` or `NHM_AUTH=oidc`.",
    ),
    "admin.accounts_heading": ("Benutzerkonten", "User accounts"),
    "admin.accounts_none": (
        "Es gibt noch keine Benutzerkonten.",
        "There are no user accounts yet.",
    ),
    "admin.col_username": ("Benutzername", "User name"),
    "admin.col_display_name": ("Anzeigename", "Display name"),
    "admin.col_email": ("E-Mail", "E-mail"),
    "admin.col_roles": ("Rollen", "Roles"),
    "admin.col_password": ("Passwort", "Password"),
    "admin.col_disabled": ("deaktiviert", "disabled"),
    "admin.col_locked_until": ("gesperrt bis", "locked until"),
    "admin.col_failed": ("Fehlversuche", "failed sign-ins"),
    "admin.col_last_sign_in": ("letzte Anmeldung", "last sign-in"),
    "admin.col_created": ("angelegt", "created"),
    "admin.no_roles": ("keine", "none"),
    "admin.grant.admin": ("Administration", "admin"),
    "admin.grant.editor": ("Bearbeiten: {ags}", "editor of {ags}"),
    "admin.grant.viewer": ("Lesen: {ags}", "viewer of {ags}"),
    "admin.grant.coordinator": ("Koordination: {ring}", "coordinator of {ring}"),
    "admin.role.admin": ("Administration (alle Rechte)", "Admin (all rights)"),
    "admin.role.editor": (
        "Bearbeiten (Selbstbewertungen einer Kommune)",
        "Editor (self-assessments of one municipality)",
    ),
    "admin.role.viewer": ("Lesen (Daten einer Kommune)", "Viewer (data of one municipality)"),
    "admin.role.coordinator": (
        "Koordination (eines Vergleichsrings)",
        "Coordinator (of one benchmarking ring)",
    ),
    "admin.ring_option": ("{name} (Nr. {id})", "{name} (no. {id})"),
    "admin.add_heading": ("Konto anlegen", "Add an account"),
    "admin.field_username": ("Benutzername", "User name"),
    "admin.field_username_help": (
        "3–64 Zeichen aus a–z, 0–9 und . _ @ - (Großbuchstaben werden klein geschrieben).",
        "3–64 characters of a–z, 0–9 and . _ @ - (capitals are stored in lower case).",
    ),
    "admin.field_display_name": ("Anzeigename (optional)", "Display name (optional)"),
    "admin.field_email": ("E-Mail-Adresse (optional)", "E-mail address (optional)"),
    "admin.email_note": (
        "Mit OIDC-Anmeldung ordnet nhm die Person über die E-Mail-Adresse dem Konto zu.",
        "With OIDC sign-in, nhm maps the person to the account by the e-mail address.",
    ),
    "admin.field_password": ("Passwort", "Password"),
    "admin.field_password_repeat": ("Passwort wiederholen", "Repeat the password"),
    "admin.field_password_help": (
        "Mindestens {min} Zeichen, nicht nur Ziffern, nicht der Benutzername.",
        "At least {min} characters, not digits only, not the user name.",
    ),
    "admin.field_no_password": (
        "Ohne Passwort – Anmeldung nur über OIDC",
        "No password – sign-in through OIDC only",
    ),
    "admin.add_submit": ("Konto anlegen", "Add account"),
    "admin.added": (
        "Das Konto {username} ist angelegt. Es hat noch keine Rolle.",
        "The account {username} has been added. It has no role yet.",
    ),
    "admin.added_no_password": (
        "Das Konto {username} ist ohne Passwort angelegt (Anmeldung nur über OIDC). Es hat "
        "noch keine Rolle.",
        "The account {username} has been added without a password (sign-in through OIDC "
        "only). It has no role yet.",
    ),
    "admin.edit_heading": ("Konto bearbeiten", "Change an account"),
    "admin.edit_none": (
        "Legen Sie zuerst ein Konto an.",
        "Add an account first.",
    ),
    "admin.field_account": ("Konto", "Account"),
    "admin.account_option": ("{username} ({name})", "{username} ({name})"),
    "admin.own_account": (
        "Mit diesem Konto sind Sie angemeldet: Sie können es weder entfernen noch deaktivieren "
        "und sich die Administration nicht selbst entziehen.",
        "You are signed in with this account: you can neither remove nor disable it, nor take "
        "away your own admin role.",
    ),
    "admin.roles_heading": ("Rollen", "Roles"),
    "admin.field_role": ("Rolle", "Role"),
    "admin.field_ags": ("AGS der Kommune", "AGS of the municipality"),
    "admin.field_ring": ("Vergleichsring", "Benchmarking ring"),
    "admin.admin_scope_note": (
        "Die Administration gilt für alle Kommunen und Ringe.",
        "The admin role holds for all municipalities and rings.",
    ),
    "admin.no_rings": (
        "Es gibt noch keinen Vergleichsring; legen Sie zuerst einen an.",
        "There is no benchmarking ring yet; create one first.",
    ),
    "admin.grant_submit": ("Rolle vergeben", "Grant role"),
    "admin.granted": ("{username} hat jetzt die Rolle {grant}.", "{username} is now {grant}."),
    "admin.field_grant": ("Vergebene Rolle", "Granted role"),
    "admin.no_grants": ("{username} hat noch keine Rolle.", "{username} has no role yet."),
    "admin.revoke_submit": ("Rolle entziehen", "Revoke role"),
    "admin.revoked": (
        "{username} hat die Rolle {grant} nicht mehr.",
        "{username} is no longer {grant}.",
    ),
    "admin.self_revoke_admin": (
        "Sie können sich die Administration nicht selbst entziehen – sonst könnte niemand mehr "
        "die Konten verwalten. Bitten Sie eine andere Person mit Administration darum.",
        "You cannot take away your own admin role – nobody might be left to manage the "
        "accounts. Ask another admin to do it.",
    ),
    "admin.password_heading": ("Passwort setzen", "Set the password"),
    "admin.field_new_password": ("Neues Passwort", "New password"),
    "admin.field_new_password_repeat": ("Neues Passwort wiederholen", "Repeat the new password"),
    "admin.password_submit": ("Passwort setzen", "Set password"),
    "admin.password_note": (
        "Eine Sperre nach Fehlversuchen bleibt bestehen; heben Sie sie unten auf.",
        "A lock-out after failed sign-ins stays; end it below.",
    ),
    "admin.password_set": (
        "Das Passwort von {username} ist gesetzt.",
        "The password of {username} has been set.",
    ),
    "admin.status_heading": ("Sperre und Status", "Lock-out and status"),
    "admin.state_active": ("Das Konto ist aktiv.", "The account is active."),
    "admin.state_disabled": (
        "Das Konto ist deaktiviert: Es kann sich nicht anmelden, seine Rollen bleiben.",
        "The account is disabled: it cannot sign in; its roles are kept.",
    ),
    "admin.state_locked": (
        "Das Konto ist nach {count} Fehlversuchen gesperrt bis {until}.",
        "The account is locked after {count} failed sign-ins until {until}.",
    ),
    "admin.state_failures": (
        "Das Konto ist aktiv; {count} Fehlversuche seit der letzten Anmeldung.",
        "The account is active; {count} failed sign-ins since the last sign-in.",
    ),
    "admin.unlock_submit": ("Sperre aufheben", "End lock-out"),
    "admin.unlocked": (
        "Die Sperre von {username} ist aufgehoben.",
        "The lock-out of {username} has ended.",
    ),
    "admin.disable_submit": ("Konto deaktivieren", "Disable account"),
    "admin.enable_submit": ("Konto wieder aktivieren", "Enable account again"),
    "admin.disabled_done": (
        "Das Konto {username} ist deaktiviert.",
        "The account {username} is disabled.",
    ),
    "admin.enabled_done": (
        "Das Konto {username} ist wieder aktiv.",
        "The account {username} is enabled again.",
    ),
    "admin.self_disable": (
        "Sie können Ihr eigenes Konto nicht deaktivieren – sonst könnten Sie sich nicht mehr "
        "anmelden. Bitten Sie eine andere Person mit Administration darum.",
        "You cannot disable your own account – you could not sign in any more. Ask another "
        "admin to do it.",
    ),
    "admin.remove_heading": ("Konto entfernen", "Remove the account"),
    "admin.remove_note": (
        "Das Konto und alle seine Rollen werden entfernt; das Audit-Protokoll behält seine "
        "Einträge.",
        "The account and all its roles are removed; the audit log keeps its entries.",
    ),
    "admin.remove_confirm": (
        "Ja, das Konto {username} endgültig entfernen",
        "Yes, remove the account {username} for good",
    ),
    "admin.remove_submit": ("Konto entfernen", "Remove account"),
    "admin.removed": (
        "Das Konto {username} ist entfernt.",
        "The account {username} has been removed.",
    ),
    "admin.self_remove": (
        "Sie können Ihr eigenes Konto nicht entfernen – sonst könnten Sie sich nicht mehr "
        "anmelden. Bitten Sie eine andere Person mit Administration darum.",
        "You cannot remove your own account – you could not sign in any more. Ask another "
        "admin to do it.",
    ),
    # administration: what was wrong, by kind of error and field (nhm.auth.accounts)
    "admin.error.invalid.username": (
        "erwartet werden 3–64 Zeichen aus a–z, 0–9 und . _ @ -",
        "expected 3–64 characters of a–z, 0–9 and . _ @ -",
    ),
    "admin.error.invalid.email": ("ist keine gültige E-Mail-Adresse", "is not an e-mail address"),
    "admin.error.invalid.display_name": (
        "darf höchstens {max} Zeichen haben",
        "must have at most {max} characters",
    ),
    "admin.error.invalid.role": ("ist keine bekannte Rolle", "is not a known role"),
    "admin.error.invalid.ags": (
        "erwartet werden genau 8 Ziffern, z. B. 05315000",
        "expected exactly 8 digits, e.g. 05315000",
    ),
    "admin.error.invalid.ring": ("bitte einen Vergleichsring wählen", "please choose a ring"),
    "admin.error.conflict.username": ("dieses Konto gibt es schon", "this account exists already"),
    "admin.error.conflict.email": (
        "gehört schon zu einem anderen Konto",
        "belongs to another account already",
    ),
    "admin.error.conflict.role": (
        "das Konto hat diese Rolle schon",
        "the account has this role already",
    ),
    "admin.error.not_found.username": (
        "dieses Konto gibt es nicht (mehr)",
        "this account does not exist (any more)",
    ),
    "admin.error.not_found.ags": (
        "keine Kommune mit diesem AGS im Verzeichnis",
        "no municipality with this AGS in the directory",
    ),
    "admin.error.not_found.ring": (
        "diesen Vergleichsring gibt es nicht (mehr)",
        "this ring does not exist (any more)",
    ),
    "admin.error.not_found.role": (
        "das Konto hat diese Rolle nicht (mehr)",
        "the account does not have this role (any more)",
    ),
    "admin.error.password.short": (
        "braucht mindestens {min} Zeichen (eingegeben: {length})",
        "needs at least {min} characters (entered: {length})",
    ),
    "admin.error.password.long": (
        "darf höchstens {max} Zeichen haben",
        "must have at most {max} characters",
    ),
    "admin.error.password.digits": (
        "darf nicht nur aus Ziffern bestehen",
        "must not consist of digits only",
    ),
    "admin.error.password.username": (
        "darf nicht der Benutzername sein",
        "must not be the user name",
    ),
    "admin.error.password_mismatch": (
        "die beiden Eingaben stimmen nicht überein",
        "the two entries differ",
    ),
    "admin.error.password_unwanted": (
        "für ein Konto ohne Passwort leer lassen",
        "leave empty for an account without a password",
    ),
    # plugins
    "plugins.title": ("Plugins", "Plugins"),
    "plugins.intro": (
        "nhm ist aus Plugins gebaut: auch die eingebauten Dimensionen sind Plugins. Hier steht, "
        "welche Plugins geladen sind, was sie beitragen und was bei ihnen fehlgeschlagen ist.",
        "nhm is built from plugins: the built-in dimensions are plugins too. This page shows "
        "which plugins are loaded, what they contribute and what failed in them.",
    ),
    "plugins.installed": ("Installierte Plugins", "Installed plugins"),
    "plugins.none": (
        "Es ist kein Plugin geladen, daher gibt es keine Dimensionen zu bewerten.",
        "No plugin is loaded, so there are no dimensions to assess.",
    ),
    "plugins.summary": (
        "{total} Plugins: {ok} in Ordnung, {failed} mit Fehlern, {disabled} abgeschaltet",
        "{total} plugins: {ok} ok, {failed} with errors, {disabled} disabled",
    ),
    "plugins.col_name": ("Name", "Name"),
    "plugins.col_version": ("Version", "Version"),
    "plugins.col_distribution": ("Paket", "Package"),
    "plugins.col_source": ("Quelle", "Source"),
    "plugins.col_origin": ("Herkunft", "Origin"),
    "plugins.col_status": ("Status", "Status"),
    "plugins.col_dimensions": ("Dimensionen", "Dimensions"),
    "plugins.col_hooks": ("Hooks", "Hooks"),
    "plugins.col_location": ("Ort", "Location"),
    "plugins.col_plugin": ("Plugin", "Plugin"),
    "plugins.col_page": ("Seite", "Page"),
    "plugins.col_address": ("Adresse", "Address"),
    "plugins.source_entry_point": ("Entry Point (installiertes Paket)", "entry point (package)"),
    "plugins.source_folder": ("Plugin-Ordner", "plugin folder"),
    "plugins.source_in_process": ("im Prozess registriert", "registered in process"),
    "plugins.status_ok": ("in Ordnung", "ok"),
    "plugins.status_error": ("Fehler", "error"),
    "plugins.status_disabled": ("abgeschaltet", "disabled"),
    "plugins.builtin": ("eingebaut", "built-in"),
    "plugins.third_party": ("Drittanbieter", "third-party"),
    "plugins.errors_title": ("Fehler von Plugins", "Plugin errors"),
    "plugins.no_errors": ("Kein Plugin meldet einen Fehler.", "No plugin reports an error."),
    "plugins.errors_intro": (
        "Diese Plugins sind ganz oder teilweise fehlgeschlagen; alle anderen arbeiten weiter. "
        "Jede Meldung nennt den Schritt, in dem der Fehler auftrat, und wo möglich Datei und "
        "Zeile im Plugin.",
        "These plugins failed in whole or in part; all others keep working. Each message names "
        "the stage in which the error happened and, where possible, the file and line in the "
        "plugin.",
    ),
    "plugins.failed": (
        "Plugin „{name}“ ({source}: {location}) – Fehler: {count}",
        "Plugin “{name}” ({source}: {location}) – errors: {count}",
    ),
    "plugins.error_stage": ("Schritt", "Stage"),
    "plugins.disabled_title": ("Abgeschaltete Plugins", "Disabled plugins"),
    "plugins.disabled_by": (
        "„{name}“ ({location}) ist abgeschaltet: {env} nennt „{matched}“. Es wird nicht "
        "importiert; streichen Sie den Namen aus {env} und starten Sie die App neu, um es zu "
        "laden.",
        "“{name}” ({location}) is disabled: {env} names “{matched}”. It is not imported; remove "
        "the name from {env} and restart the app to load it.",
    ),
    "plugins.disabled": (
        "„{name}“ ({location}) wurde beim Start der App abgeschaltet und nicht importiert.",
        "“{name}” ({location}) was disabled when the app started and is not imported.",
    ),
    "plugins.unmatched_disabled": (
        "{env} nennt „{name}“, aber kein Plugin heißt so.",
        "{env} names “{name}”, but no plugin has that name.",
    ),
    "plugins.pages_title": ("Seiten von Plugins", "Pages added by plugins"),
    "plugins.pages_none": ("Kein Plugin fügt eine Seite hinzu.", "No plugin adds a page."),
    "plugins.pages_note": (
        "Jede Seite steht in der Navigation unter dem Namen ihres Plugins.",
        "Each page is in the navigation under the name of its plugin.",
    ),
    "plugins.open_view": (
        "Alle Plugins und ihre Fehler ansehen",
        "See all plugins and their errors",
    ),
    "plugins.howto_title": ("Ein Plugin hinzufügen", "Adding a plugin"),
    "plugins.howto_docs": (
        "Wie ein Plugin aufgebaut ist – Dimensionsdatei, Hooks, Paket, Tests –, beschreibt "
        "{doc} im Quellcode von nhm.",
        "{doc} in nhm's source explains how a plugin is built: dimension file, hooks, package, "
        "tests.",
    ),
    "plugins.howto_package": (
        "Als Paket: nhm legt es mit einem Entry Point in der Gruppe „{group}“ an; prüfen Sie "
        "es und installieren Sie es in die Umgebung, in der nhm läuft:",
        "As a package: nhm creates it with an entry point in the group “{group}”; check it and "
        "install it into the environment nhm runs in:",
    ),
    "plugins.howto_folder": (
        "Ohne Paket: Legen Sie Dimensionsdateien (`*.yaml`, `*.yml`, `*.json`) oder "
        "Python-Module (`*.py`) in einen Ordner und nennen Sie ihn in der Umgebungsvariablen "
        "{env} (mehrere Ordner getrennt durch „{separator}“):",
        "Without a package: put dimension files (`*.yaml`, `*.yml`, `*.json`) or Python modules "
        "(`*.py`) into a folder and name it in the environment variable {env} (several folders "
        "separated by “{separator}”):",
    ),
    "plugins.howto_folders_now": (
        "Jetzt in {env} genannte Ordner: {folders}",
        "Folders named in {env} now: {folders}",
    ),
    "plugins.howto_no_folders": (
        "{env} nennt derzeit keinen Ordner.",
        "{env} names no folder at the moment.",
    ),
    "plugins.howto_disable": (
        "Abschalten lässt sich ein Plugin mit {env}=name,anderer (Plugin-, Paket- oder "
        "Dateiname); es wird dann nicht einmal importiert.",
        "Switch a plugin off with {env}=name,other (plugin, package or file name); it is then "
        "not even imported.",
    ),
    "plugins.howto_restart": (
        "Plugins werden beim Start der App geladen: Starten Sie nhm nach jeder Änderung neu.",
        "Plugins are loaded when the app starts: restart nhm after every change.",
    ),
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
    # pydantic's kinds of error (nhm.ui.widgets.validation_lines), by kind and kind.field
    "validation.string_pattern_mismatch": (
        "hat nicht die erwartete Form",
        "does not have the expected form",
    ),
    "validation.string_pattern_mismatch.ags": (
        "erwartet werden genau 8 Ziffern, z. B. 05315000",
        "expected exactly 8 digits, e.g. 05315000",
    ),
    "validation.string_too_short": ("darf nicht leer sein", "must not be empty"),
    "validation.string_too_long": (
        "ist zu lang (höchstens {max_length} Zeichen)",
        "is too long (at most {max_length} characters)",
    ),
    "validation.missing": ("fehlt", "is missing"),
    "validation.greater_than_equal": ("muss mindestens {ge} sein", "must be at least {ge}"),
    "validation.less_than_equal": ("darf höchstens {le} sein", "must be at most {le}"),
    "validation.int_parsing": ("erwartet wird eine ganze Zahl", "expected a whole number"),
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
    "start.view_draft": ("Entwurf ansehen (nur lesen)", "View the draft (read only)"),
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
    "report.download_pdf": ("Ratsbericht (PDF)", "Council report (PDF)"),
    "report.download_html": ("Ratsbericht (HTML)", "Council report (HTML)"),
    "report.download_help": (
        "Bericht für den Rat zu dieser Revision, mit dem Vergleich in der oben gewählten "
        "Vergleichsgruppe. Er wird erst beim Klick erstellt (für das PDF einige Sekunden).",
        "A report for the council on this revision, compared with the peer group chosen "
        "above. It is made only when you click (a few seconds for the PDF).",
    ),
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
    # history
    "history.title_plain": ("Verlauf", "History"),
    "history.title": ("Verlauf {name}", "History of {name}"),
    "history.none": (
        "Für {name} gibt es noch keine Bewertung. Beginnen Sie auf der Startseite eine "
        "Selbstbewertung; ihr Verlauf erscheint dann hier.",
        "There is no assessment for {name} yet. Start a self-assessment on the start page; "
        "its history appears here then.",
    ),
    "history.counting_note": (
        "Je Jahr zählt die zuletzt eingereichte Revision; ein Jahr mit nur einem Entwurf "
        "erscheint als Entwurf.",
        "Per year the latest submitted revision counts; a year with a draft only appears as a "
        "draft.",
    ),
    "history.scores": ("Werte im Verlauf", "Scores over time"),
    "history.chart_title": (
        "{name}: Werte je Dimension im Verlauf (0–100 %)",
        "{name}: scores per dimension over time (0–100 %)",
    ),
    "history.period_draft": ("{period} (Entwurf)", "{period} (draft)"),
    "history.target_line": ("Ziel: {dimension}", "Target: {dimension}"),
    "history.draft_periods": (
        "Entwurf, noch nicht eingereicht – vorläufige Werte: {periods}",
        "Draft, not submitted yet – provisional values: {periods}",
    ),
    "history.target_note": (
        "Gestrichelt: Zielwert – der Wert, den die Dimension hätte, wenn jedes beantwortete "
        "Kriterium sein Ziel erreichte.",
        "Dashed: target score – the score the dimension would have if every answered criterion "
        "reached its target.",
    ),
    "history.col_series": ("Reihe", "Series"),
    "history.targets_heading": ("Ziel und Stand {period}", "Target and actual {period}"),
    "history.targets_caption": (
        "Stand: {period}, Revision {revision} ({status}). Fortschritt seit der Erstbewertung "
        "{first} in Prozentpunkten.",
        "Actual: {period}, revision {revision} ({status}). Progress since the first assessment "
        "{first} in percentage points.",
    ),
    "history.targets_caption_no_baseline": (
        "Stand: {period}, Revision {revision} ({status}). Fortschritt zeigt sich ab einem "
        "zweiten Jahr mit eingereichter Bewertung.",
        "Actual: {period}, revision {revision} ({status}). Progress shows from a second year "
        "with a submitted assessment on.",
    ),
    "history.latest_draft": (
        "Der Stand ist ein Entwurf: vorläufige Werte, die sich mit jeder Antwort ändern.",
        "The actual values come from a draft: provisional, they change with every answer.",
    ),
    "history.col_current": ("Stand", "Actual"),
    "history.col_gap": ("Abstand zum Ziel", "Gap to target"),
    "history.col_of_target": ("Zielerreichung", "Share of target"),
    "history.col_first": ("Erstbewertung", "First assessment"),
    "history.points": ("{value} Pp.", "{value} pp"),
    "history.no_targets": (
        "Keine Ziele gesetzt. Zielniveaus je Dimension oder Kriterium legen Sie mit "
        "„nhm targets set“ fest.",
        "No targets set. Set target levels per dimension or criterion with “nhm targets set”.",
    ),
    "history.compare": ("Was hat sich geändert?", "What changed?"),
    "history.compare_single": (
        "Es gibt erst eine Bewertung. Sobald eine weitere Revision oder ein weiteres Jahr "
        "vorliegt, steht hier, was sich geändert hat.",
        "There is only one assessment so far. Once there is another revision or another year, "
        "this shows what changed.",
    ),
    "history.before": ("Vorher", "Before"),
    "history.after": ("Nachher", "After"),
    "history.assessment_option": (
        "{period} · Revision {revision} · {status} · {date}",
        "{period} · revision {revision} · {status} · {date}",
    ),
    "history.compare_same": (
        "Wählen Sie zwei verschiedene Bewertungen.",
        "Choose two different assessments.",
    ),
    "history.summary": (
        "{improved} besser, {worsened} schlechter, {changed} anders geändert (von {total} "
        "Kriterien).",
        "{improved} improved, {worsened} worse, {changed} otherwise changed (of {total} criteria).",
    ),
    "history.show_unchanged": ("Unveränderte Kriterien auch zeigen", "Show unchanged criteria too"),
    "history.no_changes": (
        "Keine Unterschiede zwischen den beiden Bewertungen.",
        "No differences between the two assessments.",
    ),
    "history.col_before": ("Vorher", "Before"),
    "history.col_after": ("Nachher", "After"),
    "history.col_change": ("Veränderung", "Change"),
    "history.col_details": ("Was sich geändert hat", "What changed"),
    "history.kind.improved": ("besser", "improved"),
    "history.kind.worsened": ("schlechter", "worse"),
    "history.kind.changed": ("geändert", "changed"),
    "history.kind.new": ("neu (Dimension hinzugekommen)", "new (dimension added)"),
    "history.kind.dropped": (
        "entfallen (Dimension nicht mehr bewertet)",
        "dropped (dimension no longer assessed)",
    ),
    "history.kind.unchanged": ("unverändert", "unchanged"),
    "history.aspect.level": ("Stufe {before} → {after}", "level {before} → {after}"),
    "history.aspect.not_applicable": ("Anwendbarkeit geändert", "applicability changed"),
    "history.aspect.justification": (
        "Begründung für „nicht anwendbar“ geändert",
        "justification for “not applicable” changed",
    ),
    "history.aspect.evidence_status": (
        "Nachweisstatus: {before} → {after}",
        "evidence status: {before} → {after}",
    ),
    "history.aspect.evidence_reference": (
        "Nachweis: {before} → {after}",
        "evidence: {before} → {after}",
    ),
    "history.aspect.comment": ("Kommentar geändert", "comment changed"),
    "history.aspect.answered": ("neu beantwortet", "newly answered"),
    "history.aspect.cleared": ("Antwort entfernt", "answer removed"),
    # benchmark
    "benchmark.title_plain": ("Vergleich", "Benchmark"),
    "benchmark.title": ("Vergleich {name} {period}", "Benchmark {name} {period}"),
    "benchmark.intro": (
        "Wo steht Ihre Kommune in einer Vergleichsgruppe? Gezeigt werden nur Kennzahlen der "
        "Gruppe (Quartile, Median, Mittelwert), nie die Werte einzelner Kommunen; gezählt werden "
        "eingereichte Bewertungen.",
        "Where does your municipality stand in a peer group? Only figures of the group are "
        "shown (quartiles, median, mean), never the values of single municipalities; submitted "
        "assessments count.",
    ),
    "benchmark.no_assessment": (
        "Für {name} gibt es noch keine Bewertung; verglichen wird eine begonnene oder "
        "eingereichte Bewertung.",
        "There is no assessment for {name} yet; a started or submitted assessment is compared.",
    ),
    "benchmark.period": ("Jahr des Vergleichs", "Year of the comparison"),
    "benchmark.period_help": (
        "Die Jahre, für die Ihre Kommune eine Bewertung hat.",
        "The years your municipality has an assessment for.",
    ),
    "benchmark.group_heading": ("Vergleichsgruppe", "Peer group"),
    "benchmark.group_help": (
        "Ohne Auswahl: alle Kommunen. Jede Auswahl beschränkt die Gruppe auf Kommunen, die "
        "diese Eigenschaft mit {name} teilen.",
        "Nothing chosen: all municipalities. Each choice narrows the group to municipalities "
        "that share this property with {name}.",
    ),
    "benchmark.by_size_class": (
        "gleiche KGSt-Größenklasse ({size_class})",
        "same KGSt size class ({size_class})",
    ),
    "benchmark.by_size_class_unknown": (
        "gleiche KGSt-Größenklasse (ohne Einwohnerzahl unbekannt)",
        "same KGSt size class (unknown without a population)",
    ),
    "benchmark.size_class_help": (
        "Größenklassen gelten je Art: verglichen wird mit {kind} derselben Klasse.",
        "Size classes are defined per kind: the comparison is with {kind} of the same class.",
    ),
    "benchmark.by_kind": ("gleiche Art ({kind})", "same kind ({kind})"),
    "benchmark.kind_help": (
        "Kreise oder Städte und Gemeinden; mit der Größenklasse schon enthalten.",
        "Counties or cities and municipalities; already part of the size class.",
    ),
    "benchmark.kind_county": ("Kreise", "counties"),
    "benchmark.kind_towns": ("Städte und Gemeinden", "cities and municipalities"),
    "benchmark.by_land": ("gleiches Land ({land})", "same Land ({land})"),
    "benchmark.ring": ("Vergleichsring", "Benchmarking ring"),
    "benchmark.no_ring": ("kein Vergleichsring", "no benchmarking ring"),
    "benchmark.ring_help": (
        "Nur Ringe, in denen {name} Mitglied ist; ein Ring wird nur unter seinen Mitgliedern "
        "verglichen.",
        "Only rings {name} is a member of; a ring is compared only among its members.",
    ),
    "benchmark.error": ("Kein Vergleich möglich: {reason}", "No comparison possible: {reason}"),
    "benchmark.suppressed": (
        "Vergleichsgruppe {group}: {reason}",
        "Peer group {group}: {reason}",
    ),
    "benchmark.refused": (
        "Vergleichsgruppe {group} – {reason}",
        "Peer group {group} – {reason}",
    ),
    "benchmark.group": ("Vergleichsgruppe: {group}", "Peer group: {group}"),
    "benchmark.group_size": (
        "n = {n} Kommunen mit eingereichter Bewertung für {period}",
        "n = {n} municipalities with a submitted assessment for {period}",
    ),
    "benchmark.own_draft": (
        "Ihr eigener Wert stammt aus einem Entwurf; er zählt in der Gruppe erst nach dem "
        "Einreichen mit.",
        "Your own score comes from a draft; it counts in the group once it is submitted.",
    ),
    "benchmark.own_none": (
        "{name} hat für {period} keine Bewertung: gezeigt wird nur die Gruppe.",
        "{name} has no assessment for {period}: only the group is shown.",
    ),
    "benchmark.percentile_note": (
        "Perzentilrang: der Anteil der Gruppe unterhalb Ihres Werts plus die Hälfte des "
        "Anteils mit gleichem Wert – 50 % ist die Mitte der Gruppe, 90 % liegt vor fast allen.",
        "Percentile rank: the share of the group below your score plus half the share level "
        "with it – 50 % is the middle of the group, 90 % is ahead of nearly all.",
    ),
    "benchmark.dimensions": ("Dimensionen im Vergleich", "Dimensions compared"),
    "benchmark.box_title": (
        "Werte je Dimension – {group} (n = {n})",
        "Scores per dimension – {group} (n = {n})",
    ),
    "benchmark.box_legend": ("Vergleichsgruppe", "Peer group"),
    "benchmark.own_marker": ("{name} (eigener Wert)", "{name} (own score)"),
    "benchmark.box_note": (
        "Box: die mittlere Hälfte der Gruppe (1. bis 3. Quartil), Linie: Median, gestrichelt: "
        "Mittelwert. Die Antennen reichen bis Minimum und Maximum, die ab {min} Kommunen "
        "gezeigt werden.",
        "Box: the middle half of the group (1st to 3rd quartile), line: median, dashed: mean. "
        "The whiskers reach minimum and maximum, which are shown from {min} municipalities on.",
    ),
    "benchmark.dimensions_suppressed": (
        "Ohne Statistik (zu wenige Werte in der Gruppe): {dimensions}",
        "No statistics (too few scores in the group): {dimensions}",
    ),
    "benchmark.col_n": ("n", "n"),
    "benchmark.col_q1": ("1. Quartil", "1st quartile"),
    "benchmark.col_median": ("Median", "Median"),
    "benchmark.col_q3": ("3. Quartil", "3rd quartile"),
    "benchmark.col_mean": ("Mittelwert", "Mean"),
    "benchmark.col_min": ("Minimum", "Minimum"),
    "benchmark.col_max": ("Maximum", "Maximum"),
    "benchmark.col_own": ("Eigener Wert", "Own score"),
    "benchmark.col_own_level": ("Eigene Stufe", "Own level"),
    "benchmark.col_rank": ("Perzentilrang", "Percentile rank"),
    "benchmark.criteria": ("Reifegrade je Kriterium", "Maturity levels per criterion"),
    "benchmark.dimension": ("Dimension", "Dimension"),
    "benchmark.heatmap_title": (
        "{dimension}: Stufen in der Gruppe – {group} (n = {n})",
        "{dimension}: levels in the group – {group} (n = {n})",
    ),
    "benchmark.heatmap_note": (
        "Zelle: Anteil der Kommunen der Gruppe mit dieser Stufe (unter denen, die das Kriterium "
        "beantwortet haben), in Klammern ihre Anzahl. Umrandet: Ihre eigene Stufe. Kriterien "
        "mit zu wenigen Antworten bleiben leer.",
        "Cell: share of the group's municipalities at this level (among those who answered the "
        "criterion), their number in brackets. Outlined: your own level. Criteria with too few "
        "answers stay empty.",
    ),
    "benchmark.own_level_marker": ("{name} (eigene Stufe)", "{name} (own level)"),
    "benchmark.na_short": ("n. a.", "n/a"),
    "benchmark.share": ("Anteil", "Share"),
    # Vergleichsringe (nhm/ui/views/ring.py)
    "ring.nav": ("Vergleichsringe", "Benchmarking rings"),
    "ring.title": ("Vergleichsringe", "Benchmarking rings"),
    "ring.intro": (
        "Ein Vergleichsring ist eine Arbeitsgruppe von Kommunen, die ihre Ergebnisse einmal im "
        "Jahr vergleichen. Hier werden Ringe angelegt, Mitglieder und ihre Zustimmung zur "
        "Nennung verwaltet, die Bewertungsdateien eingelesen und der Bericht erstellt.",
        "A benchmarking ring is a working group of municipalities that compare their results "
        "once a year. Here rings are created, members and their consent to be named are "
        "managed, the assessment files are imported and the report is made.",
    ),
    "ring.none": (
        "Es gibt noch keinen Vergleichsring. Legen Sie oben einen an.",
        "There is no benchmarking ring yet. Create one above.",
    ),
    "ring.choose": ("Vergleichsring", "Benchmarking ring"),
    "ring.option": ("{name} ({period})", "{name} ({period})"),
    "ring.create_heading": ("Neuen Vergleichsring anlegen", "Create a benchmarking ring"),
    "ring.create_help": (
        "Name, Vergleichsjahr und Mindestgruppengröße (mindestens {floor}). Mitglieder fügen "
        "Sie danach hinzu.",
        "Name, year compared and minimum group size (at least {floor}). Add the members "
        "afterwards.",
    ),
    "ring.field_name": ("Name des Rings", "Name of the ring"),
    "ring.field_period": ("Vergleichsjahr", "Year compared"),
    "ring.field_min_size": ("Mindestgruppengröße", "Minimum group size"),
    "ring.field_min_size_help": (
        "So viele Mitglieder müssen eingereicht haben, bevor Zahlen gezeigt werden (mindestens "
        "{floor}, üblich 5). Darunter zeigt der Ring nur den Grund.",
        "This many members must have submitted before any figures are shown (at least {floor}, "
        "usually 5). Below that the ring shows only the reason.",
    ),
    "ring.field_coordinator": ("Koordination", "Coordinator"),
    "ring.field_coordinator_help": (
        "Wer den Ring koordiniert, z. B. eine Stelle oder Person – so steht es in Übersicht "
        "und Bericht; leer: Ihr Benutzername. Mit Anmeldung vergibt das Recht, den Ring zu "
        "führen, die Administration unter Verwaltung → Konten (Rolle Koordination).",
        "Who coordinates the ring, e.g. an office or a person – as shown in the overview and "
        "the report; empty: your user name. With sign-in, the right to run the ring is granted "
        "under Administration → Accounts (role coordinator).",
    ),
    "ring.create_button": ("Ring anlegen", "Create ring"),
    "ring.create_no_name": (
        "Bitte geben Sie dem Ring einen Namen.",
        "Please give the ring a name.",
    ),
    "ring.create_exists": (
        "Es gibt bereits einen Ring mit dem Namen „{name}“.",
        "There is already a ring named “{name}”.",
    ),
    "ring.created": ("Vergleichsring „{name}“ angelegt.", "Benchmarking ring “{name}” created."),
    "ring.facts": (
        "Koordination: {coordinator} · Vergleichsjahr {period} · Mindestgruppengröße {min}",
        "Coordinator: {coordinator} · year compared {period} · minimum group size {min}",
    ),
    "ring.period": ("Vergleichsjahr", "Year compared"),
    "ring.period_help": (
        "Das Jahr des Rings oder ein anderes Jahr, für das Mitglieder Bewertungen haben.",
        "The ring's year, or another year the members have assessments for.",
    ),
    "ring.tab_members": ("Mitglieder", "Members"),
    "ring.tab_import": ("Dateien einlesen", "Import files"),
    "ring.tab_overview": ("Übersicht", "Overview"),
    "ring.tab_report": ("Bericht", "Report"),
    "ring.no_members": (
        "Der Ring hat noch keine Mitglieder. Fügen Sie unten Kommunen hinzu.",
        "The ring has no members yet. Add municipalities below.",
    ),
    "ring.no_members_ask": (
        "Der Ring hat noch keine Mitglieder. Die Administration nimmt die Kommunen auf.",
        "The ring has no members yet. The administration adds the municipalities.",
    ),
    "ring.status_summary": (
        "{total} Mitglieder, Stand {period}: {submitted} eingereicht, {draft} Entwurf, "
        "{missing} fehlen",
        "{total} members, {period}: {submitted} submitted, {draft} draft, {missing} missing",
    ),
    "ring.col_name": ("Kommune", "Municipality"),
    "ring.col_ags": ("AGS", "AGS"),
    "ring.col_status": ("Einreichung", "Submission"),
    "ring.col_revision": ("Revision", "Revision"),
    "ring.col_named": ("Namentlich sichtbar", "Shown by name"),
    "ring.col_consent_by": ("Nennung festgelegt von", "Naming decided by"),
    "ring.col_consent_at": ("Nennung festgelegt am", "Naming decided on"),
    "ring.status_submitted": ("eingereicht", "submitted"),
    "ring.status_draft": ("Entwurf", "draft"),
    "ring.status_missing": ("fehlt", "missing"),
    "ring.named_yes": ("ja", "yes"),
    "ring.named_no": ("nein (anonym)", "no (anonymous)"),
    "ring.consent_heading": ("Zustimmung zur Nennung", "Consent to be named"),
    "ring.consent_help": (
        "Nur Mitglieder, die zugestimmt haben, erscheinen in Übersicht und Bericht mit ihrem "
        "Namen; alle anderen als „Kommune A“, „Kommune B“ … Jede Änderung wird mit Person und "
        "Zeitpunkt festgehalten.",
        "Only members who consented appear by name in the overview and the report; everyone "
        "else as “Kommune A”, “Kommune B” … Every change is recorded with person and time.",
    ),
    "ring.consent_toggle": ("{name} ({ags}) namentlich zeigen", "Show {name} ({ags}) by name"),
    "ring.consent_given": (
        "{name} ({ags}) wird jetzt namentlich gezeigt.",
        "{name} ({ags}) is now shown by name.",
    ),
    "ring.consent_withdrawn": (
        "{name} ({ags}) wird jetzt anonym gezeigt.",
        "{name} ({ags}) is now shown anonymously.",
    ),
    "ring.remove_heading": ("Mitglied entfernen", "Remove a member"),
    "ring.remove_choose": ("Mitglied", "Member"),
    "ring.remove_button": ("Aus dem Ring entfernen", "Remove from the ring"),
    "ring.removed": (
        "{name} ({ags}) ist kein Mitglied mehr; ihre Bewertungen bleiben gespeichert.",
        "{name} ({ags}) is no longer a member; its assessments stay stored.",
    ),
    "ring.add_heading": ("Mitglieder hinzufügen", "Add members"),
    "ring.search": ("Kommune suchen", "Search a municipality"),
    "ring.search_hint": ("Name oder Anfang des AGS", "Name or start of the AGS"),
    "ring.search_none": (
        "Keine weitere Kommune zu „{query}“.",
        "No further municipality for “{query}”.",
    ),
    "ring.search_results": ("Gefundene Kommunen", "Municipalities found"),
    "ring.add_ags": ("oder AGS eingeben", "or enter AGS"),
    "ring.add_ags_help": (
        "Achtstellige Gemeindeschlüssel, getrennt durch Leerzeichen, Komma oder Zeilenumbruch.",
        "8-digit municipality keys, separated by spaces, commas or line breaks.",
    ),
    "ring.add_consent": (
        "Die neuen Mitglieder stimmen der namentlichen Nennung zu",
        "The new members consent to be named",
    ),
    "ring.add_button": ("Hinzufügen", "Add"),
    "ring.add_nothing": (
        "Wählen Sie eine Kommune aus oder geben Sie einen AGS ein.",
        "Choose a municipality or enter an AGS.",
    ),
    "ring.add_malformed": (
        "Kein achtstelliger Gemeindeschlüssel: {values}",
        "Not an 8-digit municipality key: {values}",
    ),
    "ring.add_unknown": (
        "Nicht im Gemeindeverzeichnis: {values}. Laden Sie das amtliche Verzeichnis oder legen "
        "Sie die Kommune auf der Startseite an.",
        "Not in the municipality directory: {values}. Load the official directory or add the "
        "municipality on the start page.",
    ),
    "ring.add_already": ("Bereits Mitglied: {values}", "Already members: {values}"),
    "ring.add_twice": ("Doppelt angegeben: {values}", "Given twice: {values}"),
    "ring.added": ("{count} Mitglied(er) hinzugefügt.", "{count} member(s) added."),
    "ring.import_help": (
        "Laden Sie die Bewertungsdateien der Mitglieder für {period} hoch (JSON, YAML oder "
        "XLSX), gern viele auf einmal. Jede Datei wird für sich geprüft und eingelesen: eine "
        "fehlerhafte Datei wird mit Grund abgewiesen und nichts von ihr gespeichert; die "
        "anderen werden trotzdem eingelesen.",
        "Upload the members' assessment files for {period} (JSON, YAML or XLSX), many at once "
        "if you like. Each file is checked and imported on its own: a faulty file is rejected "
        "with the reason and nothing of it is stored; the others are imported all the same.",
    ),
    "ring.upload": ("Bewertungsdateien", "Assessment files"),
    "ring.upload_help": (
        "Dateien aus „Ergebnisse → Herunterladen“, `nhm export` oder dem Offline-Fragebogen.",
        "Files from “Results → Download”, `nhm export` or the offline questionnaire.",
    ),
    "ring.import_button": ("Einlesen", "Import"),
    "ring.importing": ("Lese Datei {done} von {total} …", "Importing file {done} of {total} …"),
    "ring.import_summary": (
        "{imported} von {total} Dateien eingelesen, {rejected} abgewiesen",
        "{imported} of {total} files imported, {rejected} rejected",
    ),
    "ring.import_partial": (
        "Die eingelesenen Dateien bleiben gespeichert. Korrigieren Sie die abgewiesenen und "
        "laden Sie nur diese erneut hoch.",
        "The imported files stay stored. Correct the rejected ones and upload only those again.",
    ),
    "ring.imported_line": (
        "{name}: eingelesen als {assessment} ({action})",
        "{name}: imported as {assessment} ({action})",
    ),
    "ring.action_created": ("neu", "new"),
    "ring.action_replaced": ("Entwurf ersetzt", "draft replaced"),
    "ring.action_unchanged": ("unverändert, schon gespeichert", "unchanged, already stored"),
    "ring.rejected_invalid": (
        "{name}: abgewiesen – die Datei ist fehlerhaft: {details}",
        "{name}: rejected – the file is invalid: {details}",
    ),
    "ring.rejected_not_member": (
        "{name}: abgewiesen – {ags} ist kein Mitglied dieses Rings",
        "{name}: rejected – {ags} is not a member of this ring",
    ),
    "ring.rejected_wrong_period": (
        "{name}: abgewiesen – die Datei gilt für {period}, der Ring vergleicht {expected}",
        "{name}: rejected – the file is for {period}, the ring compares {expected}",
    ),
    "ring.rejected_duplicate": (
        "{name}: abgewiesen – {ags}/{period} steht schon in {other} (eine Datei je Kommune und "
        "Jahr)",
        "{name}: rejected – {ags}/{period} is already in {other} (one file per municipality and "
        "year)",
    ),
    "ring.rejected_conflict": (
        "{name}: abgewiesen – {details}",
        "{name}: rejected – {details}",
    ),
    "ring.error_line": ("Zeile {line}", "line {line}"),
    "ring.error_cell": ("Zelle {cell}", "cell {cell}"),
    "ring.view_member": (
        "Ansicht für {name}: die eigene Kommune ist hervorgehoben.",
        "View for {name}: your own municipality is highlighted.",
    ),
    "ring.view_coordinator": (
        "Ansicht der Koordination: Mitglieder anonym, namentlich nur mit Zustimmung. Wählen Sie "
        "auf der Startseite ein Mitglied, um dessen Ansicht zu sehen.",
        "Coordinator's view: members anonymous, by name only with consent. Choose a member on "
        "the start page to see its view.",
    ),
    "ring.view_coordinator_only": (
        "Ansicht der Koordination: Mitglieder anonym, namentlich nur mit Zustimmung.",
        "Coordinator's view: members anonymous, by name only with consent.",
    ),
    "ring.suppressed": ("Keine Übersicht. {reason}", "No overview. {reason}"),
    "ring.group_size": (
        "{n} Mitglieder mit eingereichter Bewertung für {period}",
        "{n} members with a submitted assessment for {period}",
    ),
    "ring.dimensions": ("Werte je Dimension", "Scores per dimension"),
    "ring.strip_title": (
        "{name}: Werte der Mitglieder {period}",
        "{name}: members' scores {period}",
    ),
    "ring.members_marker": ("Mitglieder", "Members"),
    "ring.own_marker": ("eigene Kommune", "own municipality"),
    "ring.median_marker": ("Median", "Median"),
    "ring.strip_note": (
        "Punkt: ein Mitglied (Name beim Darüberfahren), Strich: Median des Rings, Raute: die "
        "eigene Kommune.",
        "Dot: a member (label on hover), line: the ring's median, diamond: your own municipality.",
    ),
    "ring.extremes_note": (
        "Minimum und Maximum werden erst ab {min} Mitgliedern gezeigt.",
        "Minimum and maximum are shown only from {min} members on.",
    ),
    "ring.members_scores": ("Werte der Mitglieder", "Members' scores"),
    "ring.col_member": ("Mitglied", "Member"),
    "ring.own_label": ("{label} (eigene Kommune)", "{label} (own municipality)"),
    "ring.labels_note": (
        "„Kommune A“, „Kommune B“ …: Mitglieder ohne Zustimmung zur Nennung, in einer "
        "Reihenfolge, die nichts über die Kommune verrät.",
        "“Kommune A”, “Kommune B” …: members that did not consent to be named, in an order that "
        "reveals nothing about them.",
    ),
    "ring.criteria": ("Reifegrade je Kriterium", "Maturity levels per criterion"),
    "ring.heatmap_title": (
        "{dimension}: Stufen im Ring (n = {n})",
        "{dimension}: levels in the ring (n = {n})",
    ),
    "ring.heatmap_note": (
        "Zelle: Anzahl der Mitglieder mit dieser Stufe, Farbe: ihr Anteil. Kriterien mit zu "
        "wenigen Antworten bleiben leer.",
        "Cell: members at this level, colour: their share. Criteria with too few answers stay "
        "empty.",
    ),
    "ring.own_level_marker": ("eigene Stufe", "own level"),
    "ring.report_help": (
        "Der Bericht enthält Stand der Einreichungen, Statistik und Werte je Dimension, die "
        "Reifegrade je Kriterium und die Methode – mit denselben Bezeichnungen wie die "
        "Übersicht.",
        "The report holds the submissions, statistics and scores per dimension, the maturity "
        "levels per criterion and the method – with the same labels as the overview.",
    ),
    "ring.view_member_report": (
        "Erstellt für das gewählte Mitglied: die eigene Kommune ist hervorgehoben.",
        "Made for the chosen member: its own municipality is highlighted.",
    ),
    "ring.view_coordinator_report": (
        "Erstellt aus Sicht der Koordination: ohne eigene Kommune.",
        "Made as the coordinator sees it: no own municipality.",
    ),
    "ring.make_pdf": ("PDF erstellen", "Create PDF"),
    "ring.make_xlsx": ("Excel-Datei erstellen", "Create Excel file"),
    "ring.making": ("Bericht wird erstellt …", "Creating the report …"),
    "ring.download_pdf": ("Bericht als PDF herunterladen", "Download the report as PDF"),
    "ring.download_xlsx": ("Bericht als Excel herunterladen", "Download the report as Excel"),
    "ring.report_failed": (
        "Der Bericht konnte nicht erstellt werden: {message}",
        "The report could not be created: {message}",
    ),
}


class Text(formatting.Texts):
    """The app's catalog in one language: ``t("key", **values)`` formats the text."""

    kind = "UI text in nhm.ui.i18n.TEXTS"

    def __init__(self, lang: str, texts: Mapping[str, tuple[str, str]] = TEXTS) -> None:
        super().__init__(lang if lang in LANGUAGES else "de", texts)
