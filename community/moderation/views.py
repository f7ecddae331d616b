"""Flags, the moderation queue, hiding, locking and the audit logs."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from community import policy
from community.cases import contributions
from community.communities import access
from community.communities.forms import DecisionForm
from community.communities.queries import history, users_by_id
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import client_ip, flash_refusal, flash_success, posted
from community.models import (
    FLAG_REASONS,
    FLAG_TARGETS,
    AuditEvent,
    Case,
    Community,
    Contribution,
    Flag,
    Membership,
)
from community.moderation import queue, services
from community.pagination import MAX_ID, paginate

bp = Blueprint("moderation", __name__)


def _back(fallback: str | None = None) -> str:
    from community.security import safe_next_url

    return safe_next_url(posted("next"), fallback or url_for("pages.home"))


def _flagged_url(target_type: str, obj: object) -> str:
    """Where the flagged object is shown, to return to after the report."""
    if isinstance(obj, Contribution):
        return url_for(
            "contributions.show_contribution",
            slug=obj.case.community.slug,
            case_id=obj.case_id,
            contribution_id=obj.id,
        )
    if isinstance(obj, Case):
        return url_for("cases.show_case", slug=obj.community.slug, case_id=obj.id)
    return url_for("approaches.show_approach", approach_id=getattr(obj, "id", 0))


@bp.route("/flags/new")
def new_flag() -> str:
    """The report form on a page of its own (the case page links here per contribution)."""
    target = request.args.get("target", "")
    target_type, _sep, raw_id = target.partition(":")
    if target_type not in FLAG_TARGETS or not raw_id.isdecimal() or int(raw_id) > MAX_ID:
        abort(404)
    obj, community, visible = services.resolve_target(target_type, int(raw_id))
    policy.require_visible(policy.can_flag(current_user, community, visible))
    return render_template(
        "moderation/flag.html",
        target=target,
        target_type=target_type,
        next=_flagged_url(target_type, obj),
        community=community,
    )


@bp.route("/flags", methods=["POST"])
def create_flag() -> BaseResponse:
    target_type, _sep, raw_id = posted("target", "").partition(":")
    reason = posted("reason", "")
    if target_type not in FLAG_TARGETS or not raw_id.isdecimal() or int(raw_id) > MAX_ID:
        abort(404)
    if reason not in FLAG_REASONS:
        flash(_("Kies een reden voor je rapportage."), "error")
        return redirect(_back())
    try:
        services.flag(
            current_user,
            target_type,
            int(raw_id),
            reason,
            posted("details", "")[:2000],
            client_ip(),
        )
    except DomainError as error:
        flash_refusal(error)
        return redirect(_back())
    flash_success(_("Dank je. De moderatoren bekijken je rapportage."))
    return redirect(_back())


@dataclass(frozen=True)
class FailedDecision:
    """A join-request decision sent from the queue that did not validate: the queue is
    shown again with the moderator's text and the error at that request's form."""

    membership_id: int
    action: str  # "approve" or "decline"
    form: DecisionForm


def render_queue(decision: FailedDecision | None = None) -> str:
    """The review queue: every section with its count, or one section page by page."""
    from community.accounts.two_factor import needs_second_factor

    name = request.args.get("section") if decision is None else None
    page = None
    if name in queue.SECTIONS:
        statement = queue.section_statement(current_user, name)
        if statement is None:
            abort(404)
        page = paginate(statement, queue.PER_PAGE)
        sections = [queue.Section(name, page.total or 0, list(page.items))]
    else:
        sections = queue.overview(current_user)
    if decision is not None:
        requests = next((s.items for s in sections if s.name == "requests"), [])
        if all(m.id != decision.membership_id for m in requests):
            requests.insert(0, db.session.get(Membership, decision.membership_id))
    flags = next((s.items for s in sections if s.name == "flags"), [])
    return render_template(
        "moderation/queue.html",
        sections=sections,
        targets=queue.flagged_targets(flags),
        page=page,
        queue_size=queue.QUEUE_SIZE,
        decision=decision,
        set_up_second_factor=needs_second_factor(current_user)
        and not policy.has_second_factor(current_user),
    )


@bp.route("/moderation")
def show_queue() -> str:
    return render_queue()


@bp.route("/moderation/contribution/<int:object_id>/approve", methods=["POST"])
def approve_contribution(object_id: int) -> BaseResponse:
    contribution = _hideable("contribution", object_id)
    assert isinstance(contribution, Contribution)
    contributions.approve(current_user, contribution, client_ip())
    flash_success(_("De bijdrage is goedgekeurd en voor iedereen zichtbaar."))
    return redirect(_back(url_for("moderation.show_queue")))


@bp.route("/moderation/flags/<int:flag_id>/resolve", methods=["POST"])
def resolve_flag(flag_id: int) -> BaseResponse:
    item = db.session.get(Flag, flag_id)
    # 404 for whoever may not know the community; 403 for its members without the role.
    if item is None or not policy.is_member(current_user, item.community):
        abort(404)
    policy.require(policy.can_moderate_content(current_user, item.community))
    status = "dismissed" if posted("status") == "dismissed" else "handled"
    try:
        services.resolve_flag(
            current_user, item, status, posted("resolution", "")[:500], client_ip()
        )
    except DomainError as error:
        flash_refusal(error)
        return redirect(_back(url_for("moderation.show_queue")))
    flash_success(_("De rapportage is afgehandeld. Wie rapporteerde, krijgt bericht."))
    return redirect(_back(url_for("moderation.show_queue")))


def _hideable(kind: str, object_id: int) -> Case | Contribution:
    obj: Case | Contribution | None
    if kind == "case":
        obj = db.session.get(Case, object_id)
        case = obj
    elif kind == "contribution":
        obj = db.session.get(Contribution, object_id)
        case = obj.case if obj is not None else None
    else:
        abort(404)
    if obj is None or not policy.can_view_case(current_user, case):
        abort(404)
    return obj


def _set_hidden(kind: str, object_id: int, hidden: bool) -> BaseResponse:
    obj = _hideable(kind, object_id)
    try:
        services.set_hidden(current_user, obj, hidden, posted("reason", "")[:500], client_ip())
    except DomainError as error:
        flash_refusal(error)
        return redirect(_back())
    flash_success(_("Verborgen.") if hidden else _("Weer zichtbaar."))
    return redirect(_back())


@bp.route("/moderation/<kind>/<int:object_id>/hide", methods=["POST"])
def hide(kind: str, object_id: int) -> BaseResponse:
    return _set_hidden(kind, object_id, True)


@bp.route("/moderation/<kind>/<int:object_id>/unhide", methods=["POST"])
def unhide(kind: str, object_id: int) -> BaseResponse:
    return _set_hidden(kind, object_id, False)


@bp.route("/c/<slug>/cases/<int:case_id>/lock", methods=["POST"])
def lock_case(slug: str, case_id: int) -> BaseResponse:
    community = access.member_community(slug)
    case = db.session.get(Case, case_id)
    if (
        case is None
        or case.community_id != community.id
        or not policy.can_view_case(current_user, case)
    ):
        abort(404)
    locked = posted("locked", "1") == "1"
    try:
        services.set_locked(current_user, case, locked, posted("reason", "")[:500], client_ip())
    except DomainError as error:
        flash_refusal(error)
    else:
        flash_success(
            _("De casus is gesloten voor nieuwe bijdragen.")
            if locked
            else _("De casus is weer open voor bijdragen.")
        )
    return redirect(url_for("cases.show_case", slug=slug, case_id=case.id))


@bp.route("/c/<slug>/cases/<int:case_id>/move", methods=["POST"])
def move_case(slug: str, case_id: int) -> BaseResponse:
    community = access.member_community(slug)
    case = db.session.get(Case, case_id)
    if (
        case is None
        or case.community_id != community.id
        or not policy.can_view_case(current_user, case)
    ):
        abort(404)
    target = db.session.scalar(select(Community).where(Community.slug == posted("target", "")))
    if target is None or not policy.can_moderate_content(current_user, target):
        abort(403)
    try:
        services.move_case(current_user, case, target, posted("reason", "")[:500], client_ip())
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("cases.show_case", slug=slug, case_id=case.id))
    flash_success(_("De casus is verplaatst naar %(name)s.", name=target.name))
    return redirect(url_for("cases.show_case", slug=target.slug, case_id=case.id))


def _csv(events: list[AuditEvent], *, personal: bool) -> Response:
    """The audit log as CSV; cells that a spreadsheet would run as a formula are made inert.

    Moderators get names only; e-mail addresses and IP addresses are for administrators.
    """
    people = users_by_id({e.actor_id for e in events if e.actor_id})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time_utc", "actor", "action", "target", "community_id", "ip", "data"])
    for e in events:
        who = people.get(e.actor_id) if e.actor_id else None
        actor = (who.email if personal else who.name) if who else ""
        row = [
            e.created_at.isoformat(),
            actor,
            e.action,
            f"{e.target_type or ''}:{e.target_id or ''}",
            e.community_id or "",
            (e.ip or "") if personal else "",
            str(e.data),
        ]
        writer.writerow([_inert(str(cell)) for cell in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=audit.csv"
    return response


def _inert(cell: str) -> str:
    return "'" + cell if cell[:1] in {"=", "+", "-", "@", "\t", "\r"} else cell


@bp.route("/c/<slug>/audit")
def community_audit(slug: str) -> str | Response:
    community = access.moderated_community(slug)
    policy.require(policy.can_view_audit(current_user, community))
    if request.args.get("format") == "csv":
        return _csv(list(db.session.scalars(history(community).limit(10000))), personal=False)
    page = paginate(history(community), 50)
    ids = {e.actor_id for e in page.items if e.actor_id} | {
        int(e.data["user_id"]) for e in page.items if isinstance(e.data.get("user_id"), int)
    }
    return render_template(
        "communities/history.html",
        community=community,
        page=page,
        people=users_by_id(ids),
        audit=True,
    )


@bp.route("/admin/audit")
def admin_audit() -> str | Response:
    policy.require(policy.can_manage_accounts(current_user))
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    action = request.args.get("action") or None
    if action:
        query = query.where(AuditEvent.action.like(f"{action[:60]}%"))
    community_id = request.args.get("community", type=int)
    if community_id and community_id <= MAX_ID:
        query = query.where(AuditEvent.community_id == community_id)
    if request.args.get("format") == "csv":
        return _csv(list(db.session.scalars(query.limit(50000))), personal=True)
    page = paginate(query, 50)
    people = users_by_id({e.actor_id for e in page.items if e.actor_id})
    return render_template(
        "moderation/admin_audit.html",
        page=page,
        people=people,
        action=action,
        community_id=community_id,
    )
