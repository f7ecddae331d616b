"""Translated labels for stored codes (organisation kinds, statuses, roles).

Each function translates only the label asked for (pages call them once per row).
"""

from __future__ import annotations

from community.i18n import gettext as _


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation only"
    """Marks a string for the catalogue; it is translated where it is shown."""
    return message


def kind_label(kind: str) -> str:
    """The organisation kind as shown on badges and in lists."""
    labels = {
        "gemeente": N_("gemeente"),
        "woningcorporatie": N_("woningcorporatie"),
        "zorgaanbieder": N_("zorgaanbieder"),
        "adviesbureau": N_("adviesbureau"),
        "ministerie": N_("ministerie"),
        "kennisinstelling": N_("kennisinstelling"),
        "overig": N_("overig"),
    }
    return _(labels[kind]) if kind in labels else kind


def status_label(status: str) -> str:
    labels = {
        "pending": N_("wacht op goedkeuring"),
        "active": N_("actief"),
        "suspended": N_("geschorst"),
        "deleted": N_("verwijderd"),
    }
    return _(labels[status]) if status in labels else status


def role_label(role: str) -> str:
    labels = {
        "member": N_("lid"),
        "expert": N_("deskundige"),
        "moderator": N_("moderator"),
    }
    return _(labels[role]) if role in labels else role


def membership_status_label(status: str) -> str:
    labels = {
        "requested": N_("aangevraagd"),
        "invited": N_("uitgenodigd"),
        "active": N_("lid"),
        "declined": N_("afgewezen"),
        "removed": N_("verwijderd"),
        "left": N_("vertrokken"),
    }
    return _(labels[status]) if status in labels else status


def visibility_label(visibility: str) -> str:
    labels = {
        "closed": N_("besloten: vindbaar, inhoud alleen voor leden"),
        "secret": N_("geheim: niet vindbaar, alleen op uitnodiging"),
    }
    return _(labels[visibility]) if visibility in labels else visibility


def method_label(method: str) -> str:
    labels = {
        "incident": N_("Intervisie (incidentmethode): eerst vragen, dan advies"),
        "open": N_("Open gesprek: elke reactie op elk moment"),
        "consult": N_("Consult: alleen deskundigen adviseren"),
    }
    return _(labels[method]) if method in labels else method


def audit_label(action: str) -> str:
    labels = {
        "community.created": N_("leergemeenschap aangemaakt"),
        "community.updated": N_("instellingen gewijzigd"),
        "community.archived": N_("gearchiveerd"),
        "community.unarchived": N_("weer actief gemaakt"),
        "membership.requested": N_("lidmaatschap aangevraagd"),
        "membership.approved": N_("aanvraag goedgekeurd"),
        "membership.declined": N_("aanvraag afgewezen"),
        "membership.role_changed": N_("rol gewijzigd"),
        "membership.removed": N_("lid verwijderd"),
        "membership.left": N_("lid vertrokken"),
        "membership.invitation_accepted": N_("uitnodiging aangenomen"),
        "invitation.created": N_("uitgenodigd"),
        "invitation.revoked": N_("uitnodiging ingetrokken"),
    }
    return _(labels[action]) if action in labels else action


def phase_label(phase: str) -> str:
    labels = {
        "draft": N_("Concept"),
        "questions": N_("Vraagverheldering"),
        "advice": N_("Adviesronde"),
        "reflection": N_("Reflectie"),
        "closed": N_("Afgerond"),
    }
    return _(labels[phase]) if phase in labels else phase


def phase_explanation(phase: str) -> str:
    labels = {
        "draft": N_("Alleen jij ziet deze casus. Publiceer hem als je klaar bent."),
        "questions": N_(
            "Stel verhelderingsvragen om de casus beter te begrijpen. Nog geen advies: "
            "de inbrenger beantwoordt de vragen."
        ),
        "advice": N_(
            "Geef advies vanuit je eigen praktijk. De inbrenger leest mee en reageert nog niet."
        ),
        "reflection": N_(
            "De inbrenger vertelt welk advies bruikbaar is en wat de volgende stap wordt."
        ),
        "closed": N_("Deze casus is afgerond. Hieronder staat de opbrengst."),
    }
    return _(labels[phase]) if phase in labels else ""


def kind_of_contribution_label(kind: str) -> str:
    labels = {
        "question": N_("Verhelderingsvraag"),
        "answer": N_("Antwoord van de inbrenger"),
        "advice": N_("Advies"),
        "expert_advice": N_("Deskundig advies"),
        "reflection": N_("Reflectie"),
        "comment": N_("Reactie"),
    }
    return _(labels[kind]) if kind in labels else kind


def adoption_status_label(status: str) -> str:
    labels = {
        "considering": N_("overweegt dit"),
        "piloting": N_("probeert dit uit"),
        "implemented": N_("past dit toe"),
        "stopped": N_("is ermee gestopt"),
    }
    return _(labels[status]) if status in labels else status


def scope_label(scope: str) -> str:
    labels = {
        "community": N_("alleen voor de leden van de leergemeenschap"),
        "library": N_("in de bibliotheek, voor alle gebruikers"),
    }
    return _(labels[scope]) if scope in labels else scope


def meeting_kind_label(kind: str) -> str:
    labels = {
        "meeting": N_("Bijeenkomst"),
        "expert_session": N_("Expertsessie"),
        "site_visit": N_("Werkbezoek"),
    }
    return _(labels[kind]) if kind in labels else kind


def response_label(response: str) -> str:
    labels = {"yes": N_("Ja, ik kom"), "no": N_("Nee"), "maybe": N_("Misschien")}
    return _(labels[response]) if response in labels else response


def flag_reason_label(reason: str) -> str:
    labels = {
        "personal_data": N_("Persoonsgegevens van inwoners"),
        "offensive": N_("Kwetsend of ongepast"),
        "off_topic": N_("Hoort hier niet"),
        "confidential": N_("Vertrouwelijke informatie"),
        "other": N_("Iets anders"),
    }
    return _(labels[reason]) if reason in labels else reason
