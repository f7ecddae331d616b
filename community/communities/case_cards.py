"""The cases on a community's home page, formatted for the list in one pass.

The list shows a few labels per case; formatting them here, with the catalogue, the
labels and the theme names looked up once for the page, costs a fraction of calling a
template helper for each (Jinja's call and Flask-Babel's look-ups per call).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from community import i18n, labels
from community.models import Case, Community, Theme


@dataclass(frozen=True)
class CaseCard:
    url: str
    title: str
    phase: str  # the phase's label
    theme: str  # the theme's name, "" without a theme
    organisation: str  # the organisation's name, "" without one
    contributions: str  # "12 bijdragen"
    activity: str  # "laatste activiteit 1 mei 2026, 9.30 uur"


def case_cards(
    community: Community,
    cases: Iterable[Case],
    counts: Mapping[int, int],
    themes: Iterable[Theme],
) -> list[CaseCard]:
    """One card per case; `counts` are the visible contributions per case id."""
    language = i18n.current_language()
    phases = labels.phase_labels()
    theme_names = {theme.id: theme.name(language) for theme in themes}
    return [
        _card(community, case, counts.get(case.id, 0), phases, theme_names, language)
        for case in cases
    ]


def _card(
    community: Community,
    case: Case,
    count: int,
    phases: Mapping[str, str],
    theme_names: Mapping[int, str],
    language: str,
) -> CaseCard:
    organisation: Any = case.organisation
    return CaseCard(
        url=url_for("cases.show_case", slug=community.slug, case_id=case.id),
        title=case.title,
        phase=phases.get(case.phase, case.phase),
        theme=theme_names.get(case.theme_id, "") if case.theme_id else "",
        organisation=organisation.name if organisation is not None else "",
        contributions=i18n.ngettext("%(num)s bijdrage", "%(num)s bijdragen", count),
        activity=i18n.gettext(
            "laatste activiteit %(moment)s",
            moment=i18n.format_moment(case.last_activity_at, language),
        ),
    )
