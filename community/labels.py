"""Labels for stored codes (organisation kinds, statuses, roles, phases, answers).

Each kind of code has one dictionary of lazy strings: forms use them as their choices
(translated when the form is shown, in the language of that request), and pages call
the functions below once per row, which translate a dictionary once per request and
language (`community.i18n.translated`).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from community.i18n import Labels, translated

ORGANISATION_KIND_LABELS: Labels = {
    "gemeente": _l("gemeente"),
    "woningcorporatie": _l("woningcorporatie"),
    "zorgaanbieder": _l("zorgaanbieder"),
    "adviesbureau": _l("adviesbureau"),
    "ministerie": _l("ministerie"),
    "kennisinstelling": _l("kennisinstelling"),
    "overig": _l("overig"),
}

ACCOUNT_STATUS_LABELS: Labels = {
    "pending": _l("wacht op goedkeuring"),
    "active": _l("actief"),
    "suspended": _l("geschorst"),
    "deleted": _l("verwijderd"),
}

ROLE_LABELS: Labels = {
    "member": _l("lid"),
    "expert": _l("deskundige"),
    "moderator": _l("moderator"),
}

MEMBERSHIP_STATUS_LABELS: Labels = {
    "requested": _l("aangevraagd"),
    "invited": _l("uitgenodigd"),
    "active": _l("lid"),
    "declined": _l("afgewezen"),
    "removed": _l("verwijderd"),
    "left": _l("vertrokken"),
}

VISIBILITY_LABELS: Labels = {
    "closed": _l("besloten: vindbaar, inhoud alleen voor leden"),
    "secret": _l("geheim: niet vindbaar, alleen op uitnodiging"),
}

METHOD_LABELS: Labels = {
    "incident": _l("Intervisie (incidentmethode): eerst vragen, dan advies"),
    "open": _l("Open gesprek: elke reactie op elk moment"),
    "consult": _l("Consult: alleen deskundigen adviseren"),
}

AUDIT_LABELS: Labels = {
    "community.created": _l("leergemeenschap aangemaakt"),
    "community.updated": _l("instellingen gewijzigd"),
    "community.archived": _l("gearchiveerd"),
    "community.unarchived": _l("weer actief gemaakt"),
    "membership.requested": _l("lidmaatschap aangevraagd"),
    "membership.approved": _l("aanvraag goedgekeurd"),
    "membership.declined": _l("aanvraag afgewezen"),
    "membership.role_changed": _l("rol gewijzigd"),
    "membership.removed": _l("lid verwijderd"),
    "membership.left": _l("lid vertrokken"),
    "membership.invitation_accepted": _l("uitnodiging aangenomen"),
    "invitation.created": _l("uitgenodigd"),
    "invitation.revoked": _l("uitnodiging ingetrokken"),
    "account.registered": _l("account geregistreerd"),
    "account.confirmed": _l("e-mailadres bevestigd"),
    "account.activated": _l("account geactiveerd (bekend e-maildomein)"),
    "account.approved": _l("account goedgekeurd"),
    "account.suspended": _l("account geschorst"),
    "account.reactivated": _l("account weer geactiveerd"),
    "account.deleted": _l("account verwijderd"),
    "login.succeeded": _l("ingelogd"),
    "login.failed": _l("inloggen mislukt"),
    "login.refused": _l("inloggen geweigerd (account niet actief)"),
    "password.changed": _l("wachtwoord gewijzigd"),
    "session.ended": _l("sessie beëindigd"),
    "2fa.enabled": _l("tweestapsverificatie aangezet"),
    "2fa.failed": _l("verkeerde code voor tweestapsverificatie"),
    "2fa.recovery_code_used": _l("herstelcode gebruikt"),
    "2fa.reset_by_admin": _l("tweestapsverificatie uitgezet door een beheerder"),
    "organisation.saved": _l("organisatie opgeslagen"),
    "case.created": _l("casus ingebracht"),
    "case.edited": _l("casus bewerkt"),
    "case.phase": _l("casus naar een andere fase"),
    "case.moved": _l("casus verplaatst naar een andere leergemeenschap"),
    "case.hidden": _l("casus verborgen"),
    "case.unhidden": _l("casus weer zichtbaar gemaakt"),
    "case.locked": _l("casus gesloten voor nieuwe bijdragen"),
    "case.unlocked": _l("casus heropend voor bijdragen"),
    "case.follow_up": _l("terugkoppeling geschreven"),
    "case.experts_requested": _l("advies van deskundigen gevraagd"),
    "contribution.created": _l("bijdrage geplaatst"),
    "contribution.edited": _l("bijdrage bewerkt"),
    "contribution.valuable": _l("bijdrage als waardevol gemarkeerd"),
    "contribution.held": _l("bijdrage wacht op goedkeuring"),
    "contribution.approved": _l("bijdrage goedgekeurd"),
    "contribution.hidden": _l("bijdrage verborgen"),
    "contribution.unhidden": _l("bijdrage weer zichtbaar gemaakt"),
    "flag.created": _l("melding aan de moderatoren gedaan"),
    "flag.resolved": _l("melding afgehandeld"),
    "approach.created": _l("aanpak beschreven"),
    "approach.edited": _l("aanpak bewerkt"),
    "approach.adopted": _l("toepassing van een aanpak gemeld"),
    "approach.library_requested": _l("opname in de bibliotheek aangevraagd"),
    "approach.library_approved": _l("opgenomen in de bibliotheek"),
    "approach.library_declined": _l("opname in de bibliotheek afgewezen"),
    "approach.library_withdrawn": _l("uit de bibliotheek gehaald"),
    "meeting.created": _l("bijeenkomst gepland"),
    "meeting.updated": _l("bijeenkomst gewijzigd"),
    "meeting.rsvp": _l("aangemeld of afgemeld voor een bijeenkomst"),
    "meeting.report": _l("verslag van een bijeenkomst geschreven"),
}

PHASE_LABELS: Labels = {
    "draft": _l("Concept"),
    "questions": _l("Vraagverheldering"),
    "advice": _l("Adviesronde"),
    "reflection": _l("Reflectie"),
    "closed": _l("Afgerond"),
}

PHASE_EXPLANATIONS: Labels = {
    "draft": _l("Alleen jij ziet deze casus. Publiceer hem als je klaar bent."),
    "questions": _l(
        "Stel verhelderingsvragen om de casus beter te begrijpen. Nog geen advies: "
        "de inbrenger beantwoordt de vragen."
    ),
    "advice": _l(
        "Geef advies vanuit je eigen praktijk. De inbrenger leest mee en reageert nog niet."
    ),
    "reflection": _l(
        "De inbrenger vertelt welk advies bruikbaar is en wat de volgende stap wordt."
    ),
    "closed": _l("Deze casus is afgerond. Hieronder staat de opbrengst."),
}

CONTRIBUTION_KIND_LABELS: Labels = {
    "question": _l("Verhelderingsvraag"),
    "answer": _l("Antwoord van de inbrenger"),
    "advice": _l("Advies"),
    "expert_advice": _l("Deskundig advies"),
    "reflection": _l("Reflectie"),
    "comment": _l("Reactie"),
}

# The button of the contribution form says what is posted (glossary: "Reactie plaatsen").
CONTRIBUTION_SUBMIT_LABELS: Labels = {
    "question": _l("Stel je vraag"),
    "answer": _l("Geef je antwoord"),
    "advice": _l("Geef advies"),
    "expert_advice": _l("Geef deskundig advies"),
    "reflection": _l("Plaats je reflectie"),
    "comment": _l("Reactie plaatsen"),
}

ADOPTION_STATUS_LABELS: Labels = {
    "considering": _l("overweegt dit"),
    "piloting": _l("probeert dit uit"),
    "implemented": _l("past dit toe"),
    "stopped": _l("is ermee gestopt"),
}

SCOPE_LABELS: Labels = {
    "community": _l("alleen voor de leden van de leergemeenschap"),
    "library": _l("in de bibliotheek, voor alle gebruikers"),
}

MEETING_KIND_LABELS: Labels = {
    "meeting": _l("Bijeenkomst"),
    "expert_session": _l("Expertsessie"),
    "site_visit": _l("Werkbezoek"),
}

RESPONSE_LABELS: Labels = {"yes": _l("Ja, ik kom"), "no": _l("Nee"), "maybe": _l("Misschien")}

FLAG_REASON_LABELS: Labels = {
    "personal_data": _l("Persoonsgegevens van inwoners"),
    "offensive": _l("Kwetsend of ongepast"),
    "off_topic": _l("Hoort hier niet"),
    "confidential": _l("Vertrouwelijke informatie"),
    "other": _l("Iets anders"),
}


def kind_label(kind: str) -> str:
    """The organisation kind as shown on badges and in lists."""
    return translated(ORGANISATION_KIND_LABELS).get(kind, kind)


def status_label(status: str) -> str:
    return translated(ACCOUNT_STATUS_LABELS).get(status, status)


def role_label(role: str) -> str:
    return translated(ROLE_LABELS).get(role, role)


def membership_status_label(status: str) -> str:
    return translated(MEMBERSHIP_STATUS_LABELS).get(status, status)


def visibility_label(visibility: str) -> str:
    return translated(VISIBILITY_LABELS).get(visibility, visibility)


def method_label(method: str) -> str:
    return translated(METHOD_LABELS).get(method, method)


def audit_label(action: str) -> str:
    return translated(AUDIT_LABELS).get(action, action)


def kind_labels() -> Mapping[str, str]:
    """Every organisation kind's label, for a page that shows one per row."""
    return translated(ORGANISATION_KIND_LABELS)


def role_labels() -> Mapping[str, str]:
    """Every membership role's label, for a page that shows one per row."""
    return translated(ROLE_LABELS)


def membership_status_labels() -> Mapping[str, str]:
    """Every membership status's label, for a page that shows one per row."""
    return translated(MEMBERSHIP_STATUS_LABELS)


def phase_labels() -> Mapping[str, str]:
    """Every phase's label, for a page that shows one per row."""
    return translated(PHASE_LABELS)


def phase_label(phase: str) -> str:
    return translated(PHASE_LABELS).get(phase, phase)


def phase_explanation(phase: str) -> str:
    return translated(PHASE_EXPLANATIONS).get(phase, "")


def kind_of_contribution_label(kind: str) -> str:
    return translated(CONTRIBUTION_KIND_LABELS).get(kind, kind)


def contribution_submit_label(kind: str) -> str:
    return translated(CONTRIBUTION_SUBMIT_LABELS).get(kind, kind)


def adoption_status_label(status: str) -> str:
    return translated(ADOPTION_STATUS_LABELS).get(status, status)


def scope_label(scope: str) -> str:
    return translated(SCOPE_LABELS).get(scope, scope)


def meeting_kind_label(kind: str) -> str:
    return translated(MEETING_KIND_LABELS).get(kind, kind)


def response_label(response: str) -> str:
    return translated(RESPONSE_LABELS).get(response, response)


def flag_reason_label(reason: str) -> str:
    return translated(FLAG_REASON_LABELS).get(reason, reason)
