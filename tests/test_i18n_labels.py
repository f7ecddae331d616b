"""Labels and form choices follow the language of the request, and of `force_locale`.

Labels were translated once, at import time, when forms built their choices from the
label functions; and a hand-written cache read Flask-Babel's private request state.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, session
from flask_babel import force_locale, refresh

from community import i18n, labels
from community.approaches.forms import AdoptionForm
from community.cases.forms import ContributionForm
from community.communities.forms import RoleForm
from community.meetings.forms import MeetingForm, RsvpForm

ROOT = Path(__file__).resolve().parents[1]


def _choice_labels(field) -> dict[str, str]:
    return {str(value): str(label) for value, label, *_rest in field.iter_choices()}


@pytest.mark.parametrize(
    ("language", "rsvp", "kinds", "adoption", "contribution", "role"),
    [
        ("en", "Yes, I'm coming", "Expert session", "is piloting this", "Advice", "expert"),
        ("nl", "Ja, ik kom", "Expertsessie", "probeert dit uit", "Advies", "deskundige"),
    ],
)
def test_form_choices_are_in_the_language_of_the_request(
    app: Flask, language, rsvp, kinds, adoption, contribution, role
) -> None:
    with app.test_request_context(headers={"Accept-Language": language}):
        assert _choice_labels(RsvpForm().response)["yes"] == rsvp
        assert _choice_labels(MeetingForm(hosts=[], cases=[]).kind)["expert_session"] == kinds
        assert _choice_labels(AdoptionForm().status)["piloting"] == adoption
        assert _choice_labels(ContributionForm().kind)["advice"] == contribution
        assert _choice_labels(RoleForm().role)["expert"] == role


def test_labels_follow_force_locale_within_one_request(app: Flask) -> None:
    """Mail is rendered in the recipient's language in the middle of a Dutch request."""
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert labels.response_label("no") == "Nee"
        assert i18n.gettext("Opslaan") == "Opslaan"
        with force_locale("en"):
            assert labels.response_label("no") == "No"
            assert labels.phase_label("advice") == "Advice round"
            assert i18n.gettext("Opslaan") == "Save"
        assert labels.response_label("no") == "Nee"
        assert i18n.gettext("Opslaan") == "Opslaan"


def test_a_changed_language_is_seen_after_refresh(app: Flask) -> None:
    """`refresh()` (the language chosen in this request) gives a new locale, so new labels."""
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert labels.kind_label("gemeente") == "gemeente"
        session["locale"] = "en"  # what the language switch stores for a visitor
        refresh()
        assert labels.kind_label("gemeente") == "municipality"


def test_unknown_codes_are_shown_as_they_are(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert labels.response_label("perhaps") == "perhaps"
        assert labels.phase_explanation("nonsense") == ""


def test_labels_outside_a_request_are_the_dutch_source() -> None:
    assert labels.meeting_kind_label("site_visit") == "Werkbezoek"


def test_no_code_reads_flask_babels_private_state() -> None:
    """Only Flask-Babel's public API (get_locale, get_translations, force_locale, …)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "community").rglob("*.py")
        if "_flask_babel" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
