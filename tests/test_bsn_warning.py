"""A BSN-like number is warned about before anything is stored, on every form with text.

Each form is sent three ways: with a BSN (shown again with the warning, nothing stored),
with the same BSN and `confirm_bsn` ticked (stored), and with a number that fails the
elfproef (stored, no warning).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from wtforms import FileField, StringField, TextAreaField
from wtforms.fields import HiddenField

from community.approaches.forms import ApproachForm, FollowUpForm
from community.cases.forms import CaseForm, ContributionForm, EditContributionForm
from community.meetings.forms import MeetingForm, ReportForm
from community.models import Approach, Case, Contribution, Meeting
from tests.conftest import login

WARNING = "Hier staat een getal dat op een BSN lijkt"
BSN = "1234.56.782"  # as on a passport; passes the elfproef
NOT_A_BSN = "123456789"  # nine digits that fail the elfproef


@pytest.fixture
def world(make_community, make_membership, make_user, make_case, make_contribution, make_meeting):
    community = make_community(name="Kring")
    user = make_user(name="Sanne")
    other = make_user(name="Ander")
    make_membership(user, community, role="moderator")
    make_membership(other, community)
    others_case = make_case(community, other, phase="questions", title="Casus van een ander")
    own_case = make_case(community, user, phase="questions", title="Eigen casus")
    closed_case = make_case(community, user, phase="closed", title="Afgeronde casus")
    own_contribution = make_contribution(others_case, user, kind="comment", body="Eerste versie")
    meeting = make_meeting(community, title="Bijeenkomst", created_by_id=user.id)
    return {
        "community": community,
        "user": user,
        "others_case": others_case,
        "own_case": own_case,
        "closed_case": closed_case,
        "own_contribution": own_contribution,
        "meeting": meeting,
    }


def _case(**overrides: object) -> dict[str, object]:
    return {
        "title": "Lege panden",
        "theme": 0,
        "context": "Een derde staat leeg.",
        "question": "Hoe eigenaren bereiken?",
        "tried": "",
        "stakeholders": "",
        "action": "publish",
        **overrides,
    }


def _approach(**overrides: object) -> dict[str, object]:
    return {
        "title": "Eigenarenavond",
        "summary": "Samen met eigenaren",
        "problem": "Leegstand",
        "steps": "1. Uitnodigen",
        "results": "",
        "success_factors": "",
        "pitfalls": "",
        "theme": 0,
        "contact": "",
        **overrides,
    }


def _meeting(**overrides: object) -> dict[str, object]:
    return {
        "title": "Expertsessie",
        "kind": "meeting",
        "starts_at": "2099-03-12T09:30",
        "ends_at": "2099-03-12T12:00",
        "location": "Stadhuis",
        "host": 0,
        "online_url": "",
        "agenda": "1. Welkom",
        "capacity": "",
        **overrides,
    }


@dataclass
class Target:
    """One form: where it posts, which field gets the number, and what it stored."""

    name: str
    field: str
    url: Callable[[dict[str, Any]], str]
    data: Callable[[dict[str, Any], str], dict[str, object]]
    stored: Callable[[Any, dict[str, Any], str], bool]


def _case_text(db: Any, w: dict[str, Any], text: str) -> bool:
    return db.session.scalar(select(Case).where(Case.context.contains(text))) is not None


def _approach_text(db: Any, w: dict[str, Any], text: str) -> bool:
    return db.session.scalar(select(Approach).where(Approach.steps.contains(text))) is not None


def _meeting_text(db: Any, w: dict[str, Any], text: str) -> bool:
    return db.session.scalar(select(Meeting).where(Meeting.agenda.contains(text))) is not None


def _contribution_text(db: Any, w: dict[str, Any], text: str) -> bool:
    found = select(Contribution).where(Contribution.body.contains(text))
    return db.session.scalar(found) is not None


def _follow_up_text(db: Any, w: dict[str, Any], text: str) -> bool:
    return text in db.session.get(Case, w["closed_case"].id).follow_up


def _report_text(db: Any, w: dict[str, Any], text: str) -> bool:
    return text in db.session.get(Meeting, w["meeting"].id).report


def _approach_id(w: dict[str, Any]) -> int:
    return w["approach"].id


TARGETS = [
    Target(
        "case new (publish)",
        "context",
        lambda w: f"/c/{w['community'].slug}/cases/new",
        lambda w, text: _case(context=f"Bewoner {text} meldde zich."),
        _case_text,
    ),
    Target(
        "case new (draft)",
        "context",
        lambda w: f"/c/{w['community'].slug}/cases/new",
        lambda w, text: _case(context=f"Bewoner {text} meldde zich.", action="draft"),
        _case_text,
    ),
    Target(
        "case edit",
        "context",
        lambda w: f"/c/{w['community'].slug}/cases/{w['own_case'].id}/edit",
        lambda w, text: _case(context=f"Bewoner {text} meldde zich.", version=1, action=None),
        _case_text,
    ),
    Target(
        "case follow-up",
        "follow_up",
        lambda w: f"/c/{w['community'].slug}/cases/{w['closed_case'].id}/follow-up",
        lambda w, text: {"follow_up": f"Het dossier {text} is gesloten."},
        _follow_up_text,
    ),
    Target(
        "contribution",
        "body",
        lambda w: f"/c/{w['community'].slug}/cases/{w['others_case'].id}/contributions",
        lambda w, text: {"kind": "comment", "body": f"Het gaat om {text}.", "action": "post"},
        _contribution_text,
    ),
    Target(
        "contribution edit",
        "body",
        lambda w: (
            f"/c/{w['community'].slug}/cases/{w['others_case'].id}"
            f"/contributions/{w['own_contribution'].id}/edit"
        ),
        lambda w, text: {"body": f"Het gaat om {text}."},
        _contribution_text,
    ),
    Target(
        "approach new",
        "steps",
        lambda w: f"/c/{w['community'].slug}/approaches/new",
        lambda w, text: _approach(steps=f"1. Bel {text}"),
        _approach_text,
    ),
    Target(
        "approach edit",
        "steps",
        lambda w: f"/approaches/{_approach_id(w)}/edit",
        lambda w, text: {**_approach(steps=f"1. Bel {text}"), "version": 1},
        _approach_text,
    ),
    Target(
        "meeting new",
        "agenda",
        lambda w: f"/c/{w['community'].slug}/meetings/new",
        lambda w, text: _meeting(agenda=f"1. Dossier {text}"),
        _meeting_text,
    ),
    Target(
        "meeting edit",
        "agenda",
        lambda w: f"/c/{w['community'].slug}/meetings/{w['meeting'].id}/edit",
        lambda w, text: _meeting(agenda=f"1. Dossier {text}"),
        _meeting_text,
    ),
    Target(
        "meeting report",
        "report",
        lambda w: f"/c/{w['community'].slug}/meetings/{w['meeting'].id}/report",
        lambda w, text: {"report": f"Besproken: {text}."},
        _report_text,
    ),
]


@pytest.fixture
def logged_in_world(client, db, world):
    login(client, world["user"].email)
    # An approach of the user's, written without any number, for the edit form.
    response = client.post(f"/c/{world['community'].slug}/approaches/new", data=_approach())
    assert response.status_code == 302
    world["approach"] = db.session.scalar(select(Approach))
    return world


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_a_bsn_is_warned_about_and_nothing_is_stored(client, db, logged_in_world, target):
    w = logged_in_world
    response = client.post(target.url(w), data=target.data(w, BSN))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # Next to the field (tied to it), in the error summary, and the input kept.
    field_error = page.split(f'id="{target.field}-error"', 1)[1].split("</div>", 1)[0]
    assert WARNING in field_error
    summary = page.split('class="utrecht-alert utrecht-alert--error error-summary"', 1)[1]
    assert f'href="#{target.field}"' in summary.split("</ul>", 1)[0]
    assert 'href="#confirm_bsn"' in summary.split("</ul>", 1)[0]
    assert BSN in html.unescape(page)
    assert 'name="confirm_bsn"' in page
    assert not target.stored(db, w, BSN)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_a_confirmed_number_is_stored(client, db, logged_in_world, target):
    w = logged_in_world
    response = client.post(target.url(w), data={**target.data(w, BSN), "confirm_bsn": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert target.stored(db, w, BSN)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_a_number_failing_the_elfproef_is_not_warned_about(client, db, logged_in_world, target):
    w = logged_in_world
    response = client.post(target.url(w), data=target.data(w, NOT_A_BSN))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert target.stored(db, w, NOT_A_BSN)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert WARNING not in page


@pytest.mark.parametrize(
    "notation", ["123456782", "1234.56.782", "123 456 782", "123-456-782", "123.456.782"]
)
def test_every_common_notation_is_caught_on_a_case(client, db, logged_in_world, notation):
    w = logged_in_world
    response = client.post(
        f"/c/{w['community'].slug}/cases/new", data=_case(title=f"Dossier {notation}")
    )
    assert response.status_code == 200
    assert WARNING in response.get_data(as_text=True)
    assert db.session.scalar(select(Case).where(Case.title.contains("Dossier"))) is None


def test_an_attachment_name_with_a_bsn_is_warned_about(client, db, logged_in_world):
    import io

    w = logged_in_world
    response = client.post(
        f"/c/{w['community'].slug}/cases/new",
        data={**_case(), "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "123456782.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'id="attachment-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Case).where(Case.title == "Lege panden")) is None


def test_every_text_field_of_these_forms_is_checked(app):
    """A text field added later to one of these forms cannot skip the check."""
    with app.test_request_context():
        forms = [
            CaseForm(themes=[]),
            FollowUpForm(),
            ContributionForm(),
            EditContributionForm(),
            ApproachForm(themes=[]),
            MeetingForm(hosts=[], cases=[]),
            ReportForm(),
        ]
        for form in forms:
            texts = {
                field.name
                for field in form
                if isinstance(field, StringField | TextAreaField | FileField)
                and not isinstance(field, HiddenField)
            }
            assert texts, type(form).__name__
            assert texts <= set(form.bsn_fields), (type(form).__name__, texts)


def test_a_follow_up_that_is_too_long_is_shown_again_with_the_text(client, db, logged_in_world):
    """The follow-up form now shows its errors on the page instead of losing the text."""
    w = logged_in_world
    text = "Lang verhaal. " * 800
    response = client.post(
        f"/c/{w['community'].slug}/cases/{w['closed_case'].id}/follow-up",
        data={"follow_up": text},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="follow_up-error"' in page
    assert 'href="#follow_up"' in page
    assert "Lang verhaal. Lang verhaal." in page
    assert db.session.get(Case, w["closed_case"].id).follow_up == ""
