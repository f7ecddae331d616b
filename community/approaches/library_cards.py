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
    adoptions: str  # "3 organisaties passen dit toe"
    summary: str


def library_cards(
    approaches: Iterable[Approach], counts: Mapping[int, int], themes: Iterable[Theme]
) -> list[ApproachCard]:
    """One card per approach; `counts` are the (not stopped) adoptions per approach id."""
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
                adoptions=i18n.ngettext(
                    "%(num)s organisatie past dit toe",
                    "%(num)s organisaties passen dit toe",
                    counts.get(approach.id, 0),
                ),
                summary=approach.summary,
            )
        )
    return cards
