"""Posting, editing and valuing contributions to a case."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from community import markdown, policy
from community.cases import appreciations, contributions, queries
from community.cases.forms import ContributionForm, EditContributionForm
from community.cases.mentions import find_mentions
from community.cases.services import set_valuable
from community.cases.views import load_case, render_case
from community.exceptions import DomainError
from community.extensions import db, limiter
from community.formtools import apply_domain_error, client_ip, flash_success, posted
from community.models import Case, Community, Contribution

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
    return redirect(contribution_url(slug, case, _shown(community, case, contribution_id)))


def _preview(community: Community, body: str) -> str:
    """The body as it will be stored: Markdown, sanitised, members' mentions linked."""
    return markdown.render(body, find_mentions(community, body).links)


def _shown(community: Community, case: Case, contribution_id: int) -> Contribution:
    """A contribution the case page shows this user (else 404, as for a missing one)."""
    contribution = _contribution(case, contribution_id)
    hidden_case = case.hidden_at is not None and not policy.can_see_hidden(
        current_user, case, community
    )
    if hidden_case or not policy.can_see_contribution(current_user, contribution, community):
        abort(404)
    return contribution


def _render_reply(
    community: Community,
    case: Case,
    parent: Contribution,
    form: ContributionForm,
    preview: str = "",
) -> str:
    return render_template(
        "cases/reply.html",
        community=community,
        case=case,
        parent=parent,
        form=form,
        preview=preview,
        allowed=policy.allowed_contribution_kinds(current_user, case),
    )


def _render_form(
    community: Community, case: Case, form: ContributionForm, preview: str = ""
) -> str:
    """The form again (errors or preview): on the reply page when it is a reply."""
    parent_id = form.parent_id.data if not form.parent_id.errors else None
    parent = db.session.get(Contribution, parent_id) if parent_id else None
    if (
        parent is not None
        and parent.case_id == case.id
        and policy.can_see_contribution(current_user, parent, community)
        and policy.can_reply_to_contribution(current_user, parent)
    ):
        return _render_reply(community, case, parent, form, preview)
    return render_case(community, case, form, preview=preview)


@bp.route("/c/<slug>/cases/<int:case_id>/contributions/<int:contribution_id>/reply")
def reply_to_contribution(slug: str, case_id: int, contribution_id: int) -> str:
    """The reply form without JavaScript: the contribution, and the form under it."""
    community, case = load_case(slug, case_id)
    parent = _shown(community, case, contribution_id)
    policy.require(policy.can_reply_to_contribution(current_user, parent))
    return _render_reply(community, case, parent, ContributionForm(parent_id=parent.id))


@bp.route("/c/<slug>/cases/<int:case_id>/contributions", methods=["POST"])
def add_contribution(slug: str, case_id: int) -> str | BaseResponse:
    community, case = load_case(slug, case_id)
    # A kind the rules do not allow now is refused before anything else.
    policy.require(posted("kind", "") in policy.allowed_contribution_kinds(current_user, case))
    form = ContributionForm()
    if form.validate_on_submit():
        if posted("action") == "preview":
            return _render_form(community, case, form, _preview(community, form.body.data or ""))
        try:
            result = contributions.add_contribution(
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
            contribution = result.contribution
            flash_success(
                _("Je bijdrage wacht op goedkeuring door een moderator.")
                if contribution.pending_review
                else _("Je bijdrage is geplaatst.")
            )
            for name in result.outsiders:
                flash(
                    _(
                        "%(name)s is geen lid van deze leergemeenschap en kreeg geen melding.",
                        name=name,
                    ),
                    "info",
                )
            return redirect(contribution_url(slug, case, contribution))
    return _render_form(community, case, form)


@bp.route("/c/<slug>/cases/<int:case_id>/contributions/preview", methods=["POST"])
@limiter.limit("30 per minute")
def preview_contribution(slug: str, case_id: int) -> BaseResponse:
    """The live preview: the body rendered as it would be stored (JSON, for the script)."""
    community, case = load_case(slug, case_id)
    policy.require(bool(policy.allowed_contribution_kinds(current_user, case)))
    return jsonify(html=_preview(community, posted("body")[:20000]))


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


@bp.route(
    "/c/<slug>/cases/<int:case_id>/contributions/<int:contribution_id>/appreciate",
    methods=["POST"],
)
def appreciate_contribution(slug: str, case_id: int, contribution_id: int) -> BaseResponse:
    """Waardeer (`appreciated` = 1) or withdraw it (0); back at the contribution."""
    community, case = load_case(slug, case_id)
    contribution = _shown(community, case, contribution_id)
    appreciations.set_appreciation(current_user, contribution, posted("appreciated", "1") == "1")
    return redirect(contribution_url(slug, case, contribution))
