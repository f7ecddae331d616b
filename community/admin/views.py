"""Platform administration: accounts and organisations (admins only)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from community import policy
from community.accounts import erasure, two_factor
from community.admin import forms, services
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import apply_domain_error, client_ip, flash_refusal, flash_success, posted
from community.models import USER_STATUSES, Organisation, User
from community.pagination import paginate
from community.security import safe_next_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> None:
    policy.require(policy.can_manage_accounts(current_user))


@bp.route("/accounts")
def list_accounts() -> str:
    status = request.args.get("status", "pending")
    if status not in USER_STATUSES:
        status = "pending"
    page = paginate(
        select(User).where(User.status == status).order_by(User.created_at.desc(), User.id.desc()),
        25,
    )
    return render_template("admin/accounts.html", page=page, status=status, statuses=USER_STATUSES)


@bp.route("/accounts/<int:user_id>/approve", methods=["POST"])
def approve_account(user_id: int) -> BaseResponse:
    account = db.get_or_404(User, user_id)
    services.approve_account(current_user, account, client_ip())
    flash_success(_("Het account van %(name)s is goedgekeurd.", name=account.name))
    return redirect(safe_next_url(posted("next"), url_for("admin.list_accounts")))


@bp.route("/accounts/<int:user_id>/suspend", methods=["POST"])
def suspend_account(user_id: int) -> BaseResponse:
    account = db.get_or_404(User, user_id)
    services.suspend_account(current_user, account, client_ip(), posted("reason", "")[:500])
    flash_success(_("Het account van %(name)s is geschorst.", name=account.name))
    return redirect(
        safe_next_url(posted("next"), url_for("admin.list_accounts", status="suspended"))
    )


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
def reactivate_account(user_id: int) -> BaseResponse:
    account = db.get_or_404(User, user_id)
    try:
        services.reactivate_account(current_user, account, client_ip(), posted("reason", "")[:500])
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("admin.list_accounts", status=account.status))
    flash_success(_("Het account van %(name)s is weer actief.", name=account.name))
    return redirect(url_for("admin.list_accounts", status="active"))


@bp.route("/accounts/<int:user_id>/reset-2fa", methods=["POST"])
def reset_two_factor(user_id: int) -> BaseResponse:
    account = db.get_or_404(User, user_id)
    two_factor.reset_by_admin(current_user, account, client_ip())
    flash_success(_("De tweestapsverificatie van %(name)s is uitgezet.", name=account.name))
    return redirect(url_for("admin.list_accounts", status=account.status))


@bp.route("/accounts/<int:user_id>/delete", methods=["POST"])
def delete_account(user_id: int) -> BaseResponse:
    account = db.get_or_404(User, user_id)
    try:
        erasure.delete_by_admin(current_user, account, posted("reason", "")[:500], client_ip())
    except DomainError as error:
        flash_refusal(error)
        return redirect(url_for("admin.list_accounts", status=account.status))
    flash_success(_("Het account is verwijderd."))
    return redirect(url_for("admin.list_accounts", status="deleted"))


@bp.route("/organisations")
def list_organisations() -> str:
    organisations = db.session.scalars(
        select(Organisation)
        .options(selectinload(Organisation.domains))
        .order_by(Organisation.kind, Organisation.name)
    ).all()
    return render_template("admin/organisations.html", organisations=organisations)


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"organisation_id": None})
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int | None) -> str | BaseResponse:
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    form = forms.OrganisationForm(obj=organisation)
    if request.method == "GET" and organisation is not None:
        form.domains.data = "\n".join(row.domain for row in organisation.domains)
    if form.validate_on_submit():
        try:
            services.save_organisation(
                current_user,
                organisation,
                name=form.name.data or "",
                slug=form.slug.data or "",
                kind=form.kind.data or "overig",
                domains_text=form.domains.data or "",
                ip=client_ip(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De organisatie is opgeslagen."))
            return redirect(url_for("admin.list_organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)
