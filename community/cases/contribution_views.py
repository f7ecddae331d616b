"""Posting, editing and valuing contributions to a case."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from community import markdown, policy
from community.cases import contributions, queries
from community.cases.forms import ContributionForm, EditContributionForm
from community.cases.services import set_valuable
from community.cases.views import load_case, render_case
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import apply_domain_error, client_ip, flash_success, posted
from community.models import Case, Contribution

bp = Blueprint("contributions", __name__)


def _contribution(case: Case, contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.case_id != case.id:
        abort(404)
    return contribution


def contribution_url(slug: str, case: Case, contribution: Contribution) -> str:
    """The case page that shows the contribution (a long discussion has several), at it."""
    target = url_for("cases.show_case", slug=slug, case_id=case.id)
    after = queries.page_start_for(case, contribution)
    return f"{target}{f'?after={after}' if after else ''}#bijdrage-{contribution.id}"


@bp.route("/c/<slug>/cases/<int:case_id>/contributions/<int:contribution_id>")
def show_contribution(slug: str, case_id: int, contribution_id: int) -> BaseResponse:
    """A lasting link to one contribution: on to the page of the case that shows it.

    Only for what the case page would show this user: a hidden case or a hidden or held
    contribution is not found, so the answer tells nothing of what it holds."""
    community, case = load_case(slug, case_id)
    contribution = _contribution(case, contribution_id)
    hidden_case = case.hidden_at is not None and not policy.can_see_hidden(
        current_user, case, community
    )
    if hidden_case or not policy.can_see_contribution(current_user, contribution, community):
        abort(404)
    return redirect(contribution_url(slug, case, contribution))


@bp.route("/c/<slug>/cases/<int:case_id>/contributions", methods=["POST"])
def add_contribution(slug: str, case_id: int) -> str | BaseResponse:
    community, case = load_case(slug, case_id)
    # A kind the rules do not allow now is refused before anything else.
    policy.require(posted("kind", "") in policy.allowed_contribution_kinds(current_user, case))
    form = ContributionForm()
    if form.validate_on_submit():
        if posted("action") == "preview":
            return render_case(community, case, form, preview=markdown.render(form.body.data or ""))
        try:
            contribution = contributions.add_contribution(
                current_user,
                case,
                kind=form.kind.data or "",
                body=form.body.data or "",
                parent_id=form.parent_id.data,
                idempotency_key=form.idempotency_key.data,
                upload=form.attachment.data,
                ip=client_ip(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(
                _("Je bijdrage wacht op goedkeuring door een moderator.")
                if contribution.pending_review
                else _("Je bijdrage is geplaatst.")
            )
            return redirect(contribution_url(slug, case, contribution))
    return render_case(community, case, form)


@bp.route(
    "/c/<slug>/cases/<int:case_id>/contributions/<int:contribution_id>/edit",
    methods=["GET", "POST"],
)
def edit_contribution(slug: str, case_id: int, contribution_id: int) -> str | BaseResponse:
    community, case = load_case(slug, case_id)
    contribution = _contribution(case, contribution_id)
    policy.require(policy.can_edit_contribution(current_user, contribution))
    form = EditContributionForm(obj=contribution)
    if form.validate_on_submit():
        contributions.edit_contribution(
            current_user, contribution, form.body.data or "", client_ip()
        )
        flash_success(_("Je bijdrage is bijgewerkt."))
        return redirect(contribution_url(slug, case, contribution))
    return render_template(
        "cases/edit_contribution.html",
        community=community,
        case=case,
        contribution=contribution,
        form=form,
    )


@bp.route(
    "/c/<slug>/cases/<int:case_id>/contributions/<int:contribution_id>/valuable", methods=["POST"]
)
def mark_valuable(slug: str, case_id: int, contribution_id: int) -> BaseResponse:
    _community, case = load_case(slug, case_id)
    contribution = _contribution(case, contribution_id)
    set_valuable(current_user, contribution, posted("valuable") == "1", client_ip())
    return redirect(contribution_url(slug, case, contribution))
