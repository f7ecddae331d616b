"""Members, join requests, roles, removal, invitations and the membership history."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from community import policy
from community.communities import access, invitations, memberships, queries
from community.communities.forms import DecisionForm, InviteForm, RemoveForm, RoleForm
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import (
    apply_domain_error,
    client_ip,
    flash_refusal,
    flash_success,
    posted,
)
from community.models import Invitation
from community.models.base import utcnow
from community.pagination import paginate
from community.security import safe_next_url

bp = Blueprint("members", __name__)


@bp.route("/c/<slug>/members")
def list_members(slug: str) -> str:
    community = access.member_community(slug)
    moderating = policy.can_moderate_community(current_user, community)
    page = paginate(queries.active_members(community), 50)
    return render_template(
        "communities/members.html",
        community=community,
        page=page,
        moderating=moderating,
        requests=queries.open_requests(community) if moderating else [],
        requests_shown=queries.REQUESTS_SHOWN,
        invitations=queries.open_invitations(community) if moderating else [],
        decision_form=DecisionForm(),
        role_form=RoleForm(),
    )


def _act_on_member(
    slug: str,
    form: FlaskForm,
    invalid: str,
    act: Callable[[], object],
    success: Callable[[], str],
) -> BaseResponse:
    """Validate, let the service act, commit and say so; every outcome returns to the list
    (or to `next`, the review queue the moderator acted from)."""
    back = redirect(safe_next_url(posted("next"), url_for("members.list_members", slug=slug)))
    if not form.validate_on_submit():
        flash(invalid, "error")
        return back
    try:
        act()
    except DomainError as error:
        flash_refusal(error)
        return back
    flash_success(success())
    return back


def _decide(slug: str, membership_id: int, approve: bool) -> str | BaseResponse:
    community = access.moderated_community(slug)
    membership = access.membership_in_or_404(community, membership_id=membership_id)
    form = DecisionForm()
    name = membership.user.name
    if request.method == "POST" and not form.validate() and _from_queue():
        # Sent from the review queue: show it again, the text kept, the error beside it.
        from community.moderation.views import FailedDecision, render_queue

        action = "approve" if approve else "decline"
        form.message.id = f"{action}-message-{membership.id}"
        return render_queue(FailedDecision(membership.id, action, form))
    return _act_on_member(
        slug,
        form,
        _("Het bericht is te lang (hoogstens 1000 tekens)."),
        lambda: memberships.decide_request(
            current_user, membership, approve, form.message.data or "", client_ip()
        ),
        lambda: (
            _("%(name)s is nu lid.", name=name)
            if approve
            else _("De aanvraag van %(name)s is afgewezen.", name=name)
        ),
    )


def _from_queue() -> bool:
    return safe_next_url(posted("next"), "").partition("?")[0] == url_for("moderation.show_queue")


@bp.route("/c/<slug>/requests/<int:membership_id>/approve", methods=["POST"])
def approve_request(slug: str, membership_id: int) -> str | BaseResponse:
    return _decide(slug, membership_id, approve=True)


@bp.route("/c/<slug>/requests/<int:membership_id>/decline", methods=["POST"])
def decline_request(slug: str, membership_id: int) -> str | BaseResponse:
    return _decide(slug, membership_id, approve=False)


@bp.route("/c/<slug>/members/<int:user_id>/role", methods=["POST"])
def change_role(slug: str, user_id: int) -> BaseResponse:
    community = access.moderated_community(slug)
    membership = access.membership_in_or_404(community, user_id=user_id)
    form = RoleForm()
    return _act_on_member(
        slug,
        form,
        _("Kies een geldige rol."),
        lambda: memberships.change_role(
            current_user, membership, form.role.data or "member", client_ip()
        ),
        lambda: _("De rol van %(name)s is gewijzigd.", name=membership.user.name),
    )


@bp.route("/c/<slug>/members/<int:user_id>/remove", methods=["GET", "POST"])
def remove_member(slug: str, user_id: int) -> str | BaseResponse:
    """GET asks for confirmation (with the optional reason); POST removes."""
    community = access.moderated_community(slug)
    membership = access.membership_in_or_404(community, user_id=user_id)
    form = RemoveForm()
    if request.method == "GET" or (form.is_submitted() and not form.validate()):
        # The confirmation page; after a failed submit again, the reason kept and its error
        # beside it.
        policy.require(policy.can_manage_member(current_user, membership))
        return render_template(
            "communities/confirm_remove.html",
            community=community,
            membership=membership,
            form=form,
        )
    return _act_on_member(
        slug,
        form,
        _("De reden is te lang (hoogstens 500 tekens)."),
        lambda: memberships.remove_member(
            current_user, membership, form.reason.data or "", client_ip()
        ),
        lambda: _("%(name)s is uit de leergemeenschap verwijderd.", name=membership.user.name),
    )


@bp.route("/c/<slug>/invite", methods=["GET", "POST"])
def invite_member(slug: str) -> str | BaseResponse:
    community = access.moderated_community(slug)
    policy.require(policy.can_invite_to_community(current_user, community))
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitations.invite(
                current_user,
                community,
                form.email.data or "",
                form.role.data or "member",
                client_ip(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De uitnodiging is verstuurd naar %(email)s.", email=form.email.data))
            return redirect(url_for("members.list_members", slug=slug))
    return render_template("communities/invite.html", community=community, form=form)


@bp.route("/c/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke_invitation(slug: str, invitation_id: int) -> BaseResponse:
    community = access.moderated_community(slug)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.community_id != community.id:
        return redirect(url_for("members.list_members", slug=slug))
    invitations.revoke_invitation(current_user, invitation, client_ip())
    flash_success(_("De uitnodiging voor %(email)s is ingetrokken.", email=invitation.email))
    return redirect(url_for("members.list_members", slug=slug))


@bp.route("/c/<slug>/history")
def show_history(slug: str) -> str:
    community = access.moderated_community(slug)
    page = paginate(queries.history(community), 50)
    ids = {e.actor_id for e in page.items if e.actor_id} | {
        int(e.data["user_id"]) for e in page.items if isinstance(e.data.get("user_id"), int)
    }
    return render_template(
        "communities/history.html", community=community, page=page, people=queries.users_by_id(ids)
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def show_invitation(token: str) -> str | BaseResponse:
    """Public landing of an e-mailed invitation; accepting needs the invited account."""
    invitation = invitations.invitation_for_token(token)
    usable = invitation is not None and invitation.is_open(utcnow())
    if not usable:
        return render_template("communities/invitation.html", invitation=None)
    assert invitation is not None
    if not current_user.is_authenticated:
        # Followed after login, but only by the invited address (not on a shared computer).
        session["pending_invitation"] = {
            "path": url_for("members.show_invitation", token=token),
            "email": invitation.email,
        }
        return render_template("communities/invitation.html", invitation=invitation)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            invitations.accept_invitation(current_user, invitation, client_ip())
        except DomainError as error:
            flash_refusal(error)
            return redirect(url_for("members.show_invitation", token=token))
        session.pop("pending_invitation", None)
        flash_success(_("Welkom in %(name)s!", name=invitation.community.name))
        return redirect(url_for("communities.show_community", slug=invitation.community.slug))
    return render_template("communities/invitation.html", invitation=invitation, form=form)
