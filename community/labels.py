"""Translated labels for stored codes (organisation kinds, statuses, roles)."""

from __future__ import annotations

from community.i18n import gettext as _


def kind_label(kind: str) -> str:
    """The organisation kind as shown on badges and in lists."""
    labels = {
        "gemeente": _("gemeente"),
        "woningcorporatie": _("woningcorporatie"),
        "zorgaanbieder": _("zorgaanbieder"),
        "adviesbureau": _("adviesbureau"),
        "ministerie": _("ministerie"),
        "kennisinstelling": _("kennisinstelling"),
        "overig": _("overig"),
    }
    return labels.get(kind, kind)


def status_label(status: str) -> str:
    labels = {
        "pending": _("wacht op goedkeuring"),
        "active": _("actief"),
        "suspended": _("geschorst"),
        "deleted": _("verwijderd"),
    }
    return labels.get(status, status)


def role_label(role: str) -> str:
    labels = {
        "member": _("lid"),
        "expert": _("deskundige"),
        "moderator": _("moderator"),
    }
    return labels.get(role, role)


def membership_status_label(status: str) -> str:
    labels = {
        "requested": _("aangevraagd"),
        "invited": _("uitgenodigd"),
        "active": _("lid"),
        "declined": _("afgewezen"),
        "removed": _("verwijderd"),
        "left": _("vertrokken"),
    }
    return labels.get(status, status)


def visibility_label(visibility: str) -> str:
    labels = {
        "closed": _("besloten: vindbaar, inhoud alleen voor leden"),
        "secret": _("geheim: niet vindbaar, alleen op uitnodiging"),
    }
    return labels.get(visibility, visibility)


def method_label(method: str) -> str:
    labels = {
        "incident": _("Intervisie (incidentmethode): eerst vragen, dan advies"),
        "open": _("Open gesprek: elke reactie op elk moment"),
        "consult": _("Consult: alleen deskundigen adviseren"),
    }
    return labels.get(method, method)


def audit_label(action: str) -> str:
    labels = {
        "community.created": _("leergemeenschap aangemaakt"),
        "community.updated": _("instellingen gewijzigd"),
        "community.archived": _("gearchiveerd"),
        "community.unarchived": _("weer actief gemaakt"),
        "membership.requested": _("lidmaatschap aangevraagd"),
        "membership.approved": _("aanvraag goedgekeurd"),
        "membership.declined": _("aanvraag afgewezen"),
        "membership.role_changed": _("rol gewijzigd"),
        "membership.removed": _("lid verwijderd"),
        "membership.left": _("lid vertrokken"),
        "membership.invitation_accepted": _("uitnodiging aangenomen"),
        "invitation.created": _("uitgenodigd"),
        "invitation.revoked": _("uitnodiging ingetrokken"),
    }
    return labels.get(action, action)


def phase_label(phase: str) -> str:
    labels = {
        "draft": _("Concept"),
        "questions": _("Vraagverheldering"),
        "advice": _("Adviesronde"),
        "reflection": _("Reflectie"),
        "closed": _("Afgerond"),
    }
    return labels.get(phase, phase)


def phase_explanation(phase: str) -> str:
    labels = {
        "draft": _("Alleen jij ziet deze casus. Publiceer hem als je klaar bent."),
        "questions": _(
            "Stel verhelderingsvragen om de casus beter te begrijpen. Nog geen advies: "
            "de inbrenger beantwoordt de vragen."
        ),
        "advice": _(
            "Geef advies vanuit je eigen praktijk. De inbrenger leest mee en reageert nog niet."
        ),
        "reflection": _(
            "De inbrenger vertelt welk advies bruikbaar is en wat de volgende stap wordt."
        ),
        "closed": _("Deze casus is afgerond. Hieronder staat de opbrengst."),
    }
    return labels.get(phase, "")


def kind_of_contribution_label(kind: str) -> str:
    labels = {
        "question": _("Verhelderingsvraag"),
        "answer": _("Antwoord van de inbrenger"),
        "advice": _("Advies"),
        "expert_advice": _("Deskundig advies"),
        "reflection": _("Reflectie"),
        "comment": _("Reactie"),
    }
    return labels.get(kind, kind)


def adoption_status_label(status: str) -> str:
    labels = {
        "considering": _("overweegt dit"),
        "piloting": _("probeert dit uit"),
        "implemented": _("past dit toe"),
        "stopped": _("is ermee gestopt"),
    }
    return labels.get(status, status)


def scope_label(scope: str) -> str:
    labels = {
        "community": _("alleen voor de leden van de leergemeenschap"),
        "library": _("in de bibliotheek, voor alle gebruikers"),
    }
    return labels.get(scope, scope)


def meeting_kind_label(kind: str) -> str:
    labels = {
        "meeting": _("Bijeenkomst"),
        "expert_session": _("Expertsessie"),
        "site_visit": _("Werkbezoek"),
    }
    return labels.get(kind, kind)


def response_label(response: str) -> str:
    labels = {"yes": _("Ja, ik kom"), "no": _("Nee"), "maybe": _("Misschien")}
    return labels.get(response, response)


def flag_reason_label(reason: str) -> str:
    labels = {
        "personal_data": _("Persoonsgegevens van inwoners"),
        "offensive": _("Kwetsend of ongepast"),
        "off_topic": _("Hoort hier niet"),
        "confidential": _("Vertrouwelijke informatie"),
        "other": _("Iets anders"),
    }
    return labels.get(reason, reason)
