"""Meetings: plan, show, respond, report, and the calendar files."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice

from community import policy
from community.communities import access
from community.exceptions import DomainError
from community.extensions import db, limiter
from community.formtools import apply_domain_error, client_ip, flash_success
from community.meetings import calendar, queries, services
from community.meetings.forms import MeetingForm, ReportForm, RsvpForm
from community.models import Case, Community, Meeting, Organisation, User
from community.models.base import AMSTERDAM

bp = Blueprint("meetings", __name__)
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def load_meeting(slug: str, meeting_id: int) -> tuple[Community, Meeting]:
    community = access.member_community(slug)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.community_id != community.id:
        abort(404)
    if not policy.can_view_meeting(current_user, meeting):
        abort(404)
    return community, meeting


def _form(community: Community, meeting: Meeting | None = None) -> MeetingForm:
    hosts = db.session.scalars(
        select(Organisation).where(Organisation.kind == "gemeente").order_by(Organisation.name)
    ).all()
    cases = db.session.scalars(
        select(Case)
        .where(Case.community_id == community.id, Case.phase != "draft")
        .order_by(Case.last_activity_at.desc())
        .limit(100)
    ).all()
    return MeetingForm(
        obj=meeting if request.method == "GET" else None,
        hosts=[SelectChoice(o.id, o.name) for o in hosts],
        cases=[SelectChoice(c.id, c.title) for c in cases],
    )


def _local(value: datetime | None) -> datetime:
    assert value is not None
    return value.replace(tzinfo=AMSTERDAM)


def _data(form: MeetingForm) -> services.MeetingData:
    return services.MeetingData(
        title=form.title.data or "",
        kind=form.kind.data or "meeting",
        starts_at=_local(form.starts_at.data),
        ends_at=_local(form.ends_at.data),
        location=form.location.data or "",
        host_organisation_id=form.host.data or None,
        online_url=form.online_url.data or "",
        agenda=form.agenda.data or "",
        capacity=form.capacity.data,
        case_ids=list(form.cases.data or []),
    )


@bp.route("/c/<slug>/meetings/new", methods=["GET", "POST"])
def new_meeting(slug: str) -> str | BaseResponse:
    community = access.moderated_community(slug)
    policy.require(policy.can_plan_meeting(current_user, community))
    form = _form(community)
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(current_user, community, _data(form), client_ip())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De bijeenkomst is gepland."))
            return redirect(url_for("meetings.show_meeting", slug=slug, meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, community=community, meeting=None)


@bp.route("/c/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit_meeting(slug: str, meeting_id: int) -> str | BaseResponse:
    community, meeting = load_meeting(slug, meeting_id)
    policy.require(policy.can_edit_meeting(current_user, meeting))
    form = _form(community, meeting)
    if request.method == "GET":
        form.starts_at.data = meeting.starts_at.astimezone(AMSTERDAM).replace(tzinfo=None)
        form.ends_at.data = meeting.ends_at.astimezone(AMSTERDAM).replace(tzinfo=None)
        form.host.data = meeting.host_organisation_id or 0
        form.cases.data = queries.agenda_case_ids(meeting)
    if form.validate_on_submit():
        try:
            moved = services.update_meeting(current_user, meeting, _data(form), client_ip())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(
                _("De bijeenkomst is gewijzigd. Wie ja of misschien zei, krijgt bericht.")
                if moved
                else _("De bijeenkomst is gewijzigd.")
            )
            return redirect(url_for("meetings.show_meeting", slug=slug, meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, community=community, meeting=meeting)


@bp.route("/c/<slug>/meetings/<int:meeting_id>")
def show_meeting(slug: str, meeting_id: int) -> str:
    community, meeting = load_meeting(slug, meeting_id)
    return _render(community, meeting, RsvpForm(), ReportForm(obj=meeting))


def _render(community: Community, meeting: Meeting, form: RsvpForm, report: ReportForm) -> str:
    mine = queries.response_of(meeting, current_user)
    if mine is not None and not form.response.data:
        form.response.data = mine.response
    return render_template(
        "meetings/show.html",
        community=community,
        meeting=meeting,
        form=form,
        report_form=report,
        mine=mine,
        counts=services.counts(meeting),
        cases=queries.agenda_cases(meeting),
        responses=queries.responses(meeting)
        if policy.can_edit_meeting(current_user, meeting)
        else [],
    )


@bp.route("/c/<slug>/meetings/<int:meeting_id>/rsvp", methods=["POST"])
def rsvp(slug: str, meeting_id: int) -> str | BaseResponse:
    community, meeting = load_meeting(slug, meeting_id)
    policy.require(policy.can_respond_to_meeting(current_user, meeting))
    form = RsvpForm()
    if not form.validate_on_submit():
        return _render(community, meeting, form, ReportForm(obj=meeting))
    answer = services.respond(current_user, meeting, form.response.data or "", client_ip())
    flash_success(
        _("Je staat op de wachtlijst. Je krijgt bericht als er een plaats vrijkomt.")
        if answer.waitlisted
        else _("Je antwoord is opgeslagen.")
    )
    return redirect(url_for("meetings.show_meeting", slug=slug, meeting_id=meeting.id))


@bp.route("/c/<slug>/meetings/<int:meeting_id>/report", methods=["POST"])
def write_report(slug: str, meeting_id: int) -> str | BaseResponse:
    community, meeting = load_meeting(slug, meeting_id)
    policy.require(policy.can_edit_meeting(current_user, meeting))
    form = ReportForm()
    if not form.validate_on_submit():
        return _render(community, meeting, RsvpForm(), form)
    services.write_report(current_user, meeting, form.report.data or "", client_ip())
    flash_success(_("Het verslag is opgeslagen."))
    return redirect(url_for("meetings.show_meeting", slug=slug, meeting_id=meeting.id))


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/c/<slug>/meetings/<int:meeting_id>.ics")
def meeting_ics(slug: str, meeting_id: int) -> Response:
    _community, meeting = load_meeting(slug, meeting_id)
    return _ics(calendar.to_ics([meeting], meeting.title), f"bijeenkomst-{meeting.id}.ics")


@bp.route("/calendar/<token>.ics")
@limiter.limit("60 per minute")
def calendar_feed(token: str) -> Response:
    """The personal feed: the token is the key; leaving a community removes its meetings."""
    if not TOKEN.fullmatch(token):
        abort(404)
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    if user is None or user.status != "active":
        abort(404)
    communities = policy.member_community_ids(user)
    return _ics(calendar.to_ics(calendar.feed_meetings(communities), "Leerkring"), "leerkring.ics")


@bp.route("/account/calendar", methods=["POST"])
def renew_calendar_token() -> BaseResponse:
    current_user.calendar_token = secrets.token_urlsafe(32)
    flash_success(_("Je hebt een nieuwe agenda-link. De oude werkt niet meer."))
    return redirect(url_for("accounts.edit_account") + "#agenda")
