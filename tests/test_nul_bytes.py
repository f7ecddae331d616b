"""A NUL byte in any posted text is refused with a clear message, never a 500.

PostgreSQL cannot store a NUL byte in text: before the fix every form field was a way
to a 500 (anonymous ones too, such as the name on /register). Run on both databases:
`pytest tests/test_nul_bytes.py` and again with `--postgres`.
"""

from __future__ import annotations

import ast
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select
from werkzeug.routing import Rule
from wtforms.fields.core import UnboundField

import community
from community.communities.invitations import hash_token
from community.extensions import db as _db
from community.formtools import Form
from community.models import Approach, Flag, Invitation
from community.models.base import utcnow
from community.security import PUBLIC_ENDPOINTS
from tests.conftest import login

NUL = "een\x00waarde"
FIELD_MESSAGE = "een ongeldig teken (een nul-byte)"
PACKAGE = Path(community.__file__).parent


def _form_classes() -> list[type[Form]]:
    from flask_wtf import FlaskForm

    found: list[type] = []
    todo = list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("community.")]


def _field_names() -> set[str]:
    names = {
        name
        for cls in _form_classes()
        for name, _value in inspect.getmembers(cls, lambda v: isinstance(v, UnboundField))
    }
    return names | _posted_names()


def _posted_names() -> set[str]:
    """The names read with formtools.posted() by views without a form class."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "posted"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def test_every_form_of_the_package_inherits_the_nul_check(app):
    import community.accounts.views  # noqa: F401 - every form module is imported by now

    classes = _form_classes()
    assert len(classes) > 20
    assert [cls.__qualname__ for cls in classes if not issubclass(cls, Form)] == []


def test_views_read_posted_text_only_through_the_checked_helper():
    """`request.form` directly is allowed only in formtools and the login rate-limit key."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "form"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "request"
                ):
                    where = f"{path.relative_to(PACKAGE)}:{function.name}"
                    if where not in {"formtools.py:posted", "accounts/views.py:_login_email_key"}:
                        offenders.append(where)
    assert offenders == []


def test_a_nul_byte_in_the_name_on_register_is_shown_next_to_the_field(client, make_organisation):
    organisation = make_organisation()
    response = client.post(
        "/register",
        data={
            "name": "Anna\x00",
            "email": "anna@org.example",
            "organisation": organisation.id,
            "job_title": "",
            "password": "een-lang-en-ongewoon-wachtwoord",
            "password_confirm": "een-lang-en-ongewoon-wachtwoord",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert FIELD_MESSAGE in page


def test_a_nul_byte_in_a_view_without_a_form_gets_a_clear_400(client, logged_in):
    logged_in()
    response = client.post("/notifications/read", data={"id": "1\x00"})
    assert response.status_code == 400
    assert "nul-byte" in response.get_data(as_text=True)


@pytest.fixture
def world(make_user, make_community, make_membership, make_case, make_contribution, make_meeting):
    """One of every object a POST route can name, with an administrator who moderates."""
    admin = make_user(platform_role="admin")
    community_ = make_community()
    other = make_community()
    member = make_user()
    applicant = make_user()
    make_membership(admin, community_, role="moderator")
    make_membership(admin, other, role="moderator")
    make_membership(member, community_)
    request = make_membership(applicant, community_, status="requested")
    case = make_case(community_, admin)
    contribution = make_contribution(case, member)
    meeting = make_meeting(community_)
    approach = Approach(community_id=community_.id, author_id=admin.id, title="Aanpak")
    invitation = Invitation(
        community_id=community_.id,
        email="gast@org.example",
        token_hash=hash_token("uitnodiging"),
        invited_by_id=admin.id,
        expires_at=utcnow() + timedelta(days=7),
    )
    flag = Flag(
        reporter_id=member.id,
        community_id=community_.id,
        target_type="case",
        target_id=case.id,
        reason="other",
    )
    _db.session.add_all([approach, invitation, flag])
    _db.session.commit()
    return {
        "admin": admin,
        "values": {
            "slug": community_.slug,
            "case_id": case.id,
            "contribution_id": contribution.id,
            "meeting_id": meeting.id,
            "approach_id": approach.id,
            "invitation_id": invitation.id,
            "flag_id": flag.id,
            "membership_id": request.id,
            "user_id": member.id,
            "organisation_id": admin.organisation_id,
            "object_id": contribution.id,
            "kind": "contribution",
            "token": "uitnodiging",
        },
    }


def _post_rules(app) -> list[Rule]:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())),
        key=lambda rule: rule.rule,
    )


def test_every_post_route_refuses_nul_bytes_in_every_field(app, world):
    """Every field name of every form, and every name a view reads, carries a NUL byte."""
    payload = {name: NUL for name in _field_names()}
    payload["csrf_token"] = "x"
    shown = set()
    for rule in _post_rules(app):
        if rule.endpoint == "accounts.logout":
            continue  # no text to refuse; it would only end the session of the sweep
        visitor = app.test_client()  # anonymous, for the public forms such as /login
        if rule.endpoint not in PUBLIC_ENDPOINTS:
            login(visitor, world["admin"].email)
        path = rule.build({arg: world["values"][arg] for arg in rule.arguments})[1]
        response = visitor.post(path, data=payload)  # a 500 raises here (TESTING)
        assert response.status_code < 500, rule.endpoint
        body = response.get_data(as_text=True)
        if "nul-byte" in body:
            shown.add(rule.endpoint)
    # The forms of the public contract show the message (many more do).
    print("no message:", sorted({r.endpoint for r in _post_rules(app)} - shown))
    assert {
        "accounts.register",
        "accounts.login",
        "accounts.forgot_password",
        "accounts.edit_account",
        "communities.create_community",
        "members.invite_member",
        "cases.new_case",
        "cases.edit_case",
        "contributions.add_contribution",
        "approaches.new_approach",
        "meetings.new_meeting",
        "moderation.create_flag",
        "notifications.mark_read",
    } <= shown
    # And no NUL byte reached the database (SQLite would have stored it). Compared in
    # Python: SQL string functions of SQLite stop at a NUL byte.
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in _db.session.execute(select(*columns)) if columns else ():
            for column, value in zip(columns, row, strict=True):
                assert "\x00" not in (value or ""), f"{table.name}.{column.name}"


def test_a_nul_byte_in_an_upload_name_is_refused(client, world):
    import io

    login(client, world["admin"].email)
    values = world["values"]
    response = client.post(
        f"/c/{values['slug']}/cases/new",
        data={
            "title": "Titel",
            "context": "Context",
            "question": "Vraag?",
            "action": "publish",
            "attachment": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "rapport\x00.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code in {200, 400}
    assert "nul-byte" in response.get_data(as_text=True)
