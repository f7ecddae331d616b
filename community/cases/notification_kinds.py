"""Notification kinds for cases: the case title and a link, never the text of the case."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from community.i18n import gettext as _
from community.labels import phase_label
from community.notifications.kinds import register

# What a member posted, as the notification (and its e-mail) says it (glossary terms).
POSTED: dict[str, Any] = {
    "question": _l("%(actor)s stelde een verhelderingsvraag bij de casus %(title)s"),
    "answer": _l("%(actor)s beantwoordde een vraag bij de casus %(title)s"),
    "advice": _l("%(actor)s gaf advies bij de casus %(title)s"),
    "expert_advice": _l("%(actor)s gaf deskundig advies bij de casus %(title)s"),
    "reflection": _l("%(actor)s schreef een reflectie bij de casus %(title)s"),
    "comment": _l("%(actor)s plaatste een reactie bij de casus %(title)s"),
}


def _title(n: Any) -> str:
    return str(n.data.get("case_title") or "")


def _actor(n: Any) -> str:
    return str(n.actor.name) if n.actor else _("Iemand")


def _case(n: Any) -> str:
    return url_for(
        "cases.show_case", slug=n.community.slug, case_id=n.data.get("case_id", n.target_id)
    )


register(
    "case_published",
    "member",
    lambda n: _(
        "%(actor)s bracht een nieuwe casus in bij %(community)s: %(title)s",
        actor=_actor(n),
        community=n.data.get("community_name") or "",
        title=_title(n),
    ),
    _case,
)


def _contribution(n: Any) -> str:
    """Straight to the contribution (its lasting link); older notifications: the case."""
    contribution_id = n.data.get("contribution_id")
    if not contribution_id:
        return _case(n)
    return url_for(
        "contributions.show_contribution",
        slug=n.community.slug,
        case_id=n.data.get("case_id", n.target_id),
        contribution_id=contribution_id,
    )


def _posted(n: Any) -> str:
    text = POSTED.get(n.data.get("contribution_kind", ""))
    if text is None:  # written before the kind was kept
        return _("%(actor)s reageerde op de casus %(title)s", actor=_actor(n), title=_title(n))
    return str(text) % {"actor": _actor(n), "title": _title(n)}


register("contribution_added", "member", _posted, _contribution)
register(
    "phase_changed",
    "member",
    lambda n: _(
        "De casus %(title)s is nu in de fase: %(phase)s",
        title=_title(n),
        phase=phase_label(n.data.get("phase", "")),
    ),
    _case,
)
register(
    "expert_advice_given",
    "member",
    lambda n: _(
        "%(actor)s gaf deskundig advies op je casus %(title)s", actor=_actor(n), title=_title(n)
    ),
    _contribution,
)
register(
    "expert_requested",
    "member",
    lambda n: _(
        "%(actor)s vraagt je deskundig advies over de casus %(title)s, graag vóór %(date)s",
        actor=_actor(n),
        title=_title(n),
        date=n.data.get("due_on", ""),
    ),
    _case,
)
register(
    "expert_request_overdue",
    "moderator",
    lambda n: _(
        "Het gevraagde advies van %(expert)s over de casus %(title)s is over de datum",
        expert=n.data.get("expert_name", ""),
        title=_title(n),
    ),
    _case,
    for_admins=False,
)
register(
    "follow_up_requested",
    "member",
    lambda n: _(
        "Drie maanden geleden rondde je de casus %(title)s af. Wat is ervan terechtgekomen?",
        title=_title(n),
    ),
    lambda n: _case(n) + "#terugkoppeling",
)
register(
    "mention",
    "member",
    lambda n: _(
        "%(actor)s noemde je in een bijdrage bij de casus %(title)s",
        actor=_actor(n),
        title=_title(n),
    ),
    _contribution,
)
