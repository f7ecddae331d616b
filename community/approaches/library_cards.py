"""The approaches on a page of the library, formatted for the list in one pass.

As for a community's case list (community/communities/case_cards.py): the labels, the
theme names and the catalogue are looked up once for the page, not per card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from community import i18n
from community.models import Approach, Theme


@dataclass(frozen=True)
class ApproachCard:
    url: str
    title: str
    in_library: bool
    scope: str  # "Bibliotheek" or "Leergemeenschap"
    organisation: str  # the organisation's name, "" without one
    theme: str  # the theme's name, "" without a theme
    adoptions: str  # "3 organisaties passen dit toe, 1 organisatie overweegt dit"
    summary: str


def library_cards(
    approaches: Iterable[Approach],
    counts: Mapping[int, Mapping[str, int]],
    themes: Iterable[Theme],
) -> list[ApproachCard]:
    """One card per approach; `counts` are the adoptions per approach id and status."""
    language = i18n.current_language()
    theme_names = {theme.id: theme.name(language) for theme in themes}
    scopes = {True: i18n.gettext("Bibliotheek"), False: i18n.gettext("Leergemeenschap")}
    cards = []
    for approach in approaches:
        organisation: Any = approach.organisation
        in_library = approach.scope == "library"
        cards.append(
            ApproachCard(
                url=url_for("approaches.show_approach", approach_id=approach.id),
                title=approach.title,
                in_library=in_library,
                scope=scopes[in_library],
                organisation=organisation.name if organisation is not None else "",
                theme=theme_names.get(approach.theme_id, "") if approach.theme_id else "",
                adoptions=adoption_summary(counts.get(approach.id, {})),
                summary=approach.summary,
            )
        )
    return cards


def adoption_summary(counts: Mapping[str, int]) -> str:
    """What the adoption counts count, each status by its own words, most advanced first.

    "passen dit toe" is said only of organisations that apply the approach; those that try
    it out, consider it or stopped are named as such.
    """
    parts = []
    for status in ("implemented", "piloting", "considering", "stopped"):
        number = counts.get(status, 0)
        if number:
            parts.append(_status_count(status, number))
    if not parts:
        return i18n.gettext("nog geen organisatie past dit toe")
    return ", ".join(parts)


def _status_count(status: str, number: int) -> str:
    if status == "implemented":
        return i18n.ngettext(
            "%(num)s organisatie past dit toe", "%(num)s organisaties passen dit toe", number
        )
    if status == "piloting":
        return i18n.ngettext(
            "%(num)s organisatie probeert dit uit",
            "%(num)s organisaties proberen dit uit",
            number,
        )
    if status == "considering":
        return i18n.ngettext(
            "%(num)s organisatie overweegt dit", "%(num)s organisaties overwegen dit", number
        )
    return i18n.ngettext(
        "%(num)s organisatie is ermee gestopt", "%(num)s organisaties zijn ermee gestopt", number
    )
