"""Cases: bring one in, read it, edit it, move it through the cycle, ask experts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from community import policy, search, transaction
from community.accounts.queries import theme_choices
from community.approaches.forms import FollowUpForm
from community.cases import case_page, cycle, experts, follow_up, queries, reads, services
from community.cases.forms import CaseForm, ContributionForm, ExpertRequestForm
from community.communities import access
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import apply_domain_error, client_ip, flash_refusal, flash_success, posted
from community.labels import phase_label
from community.meetings import queries as meeting_queries
from community.models import Case, Community
from community.moderation.services import moderated_communities
from community.pagination import id_arg
from community.policy.case_page import case_page_rights

bp = Blueprint("cases", __name__)


def load_case(slug: str, case_id: int) -> tuple[Community, Case]:
    """The case of *this* community, or 404 for whoever may not read it."""
    # One query for both; a missing case, another community's case or a community the
    # user may not enter all end in the same 404.
    case = db.session.scalar(
        select(Case)
        .join(Community, Community.id == Case.community_id)
        .where(Case.id == case_id, Community.slug == slug)
    )
    if case is None and request.method in ("GET", "HEAD"):
        _follow_a_move(slug, case_id)
    community = access.require_member(case.community if case else None)
    if case is None or not policy.can_view_case(current_user, case):
        abort(404)
    return community, case


def _follow_a_move(slug: str, case_id: int) -> None:
    """A moved case's old address (links in earlier mails) leads a reader to its new one.

    Only from a community the case really left, and only for someone who may read it
    where it is now; everyone else gets the 404 below, the same as for a case that never
    existed. 302, not 301: a case can move again, and a browser must not remember it.
    """
    moved = queries.moved_away_from(slug, case_id)
    if moved is None or not policy.can_view_case(current_user, moved):
        return
    old_prefix = f"/c/{slug}/cases/{case_id}"
    rest = request.path[len(old_prefix) :] if request.path.startswith(old_prefix) else ""
    target = f"/c/{moved.community.slug}/cases/{case_id}{rest}"
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    abort(redirect(target, code=302))


def _data(form: CaseForm) -> services.CaseData:
    return services.CaseData(
        title=form.title.data or "",
        theme_id=form.theme.data or None,
        context=form.context.data or "",
        question=form.question.data or "",
        tried=form.tried.data or "",
        stakeholders=form.stakeholders.data or "",
    )


@bp.route("/c/<slug>/cases/new", methods=["GET", "POST"])
def new_case(slug: str) -> str | BaseResponse:
    community = access.member_community(slug)
    policy.require(policy.can_create_case(current_user, community))
    form = CaseForm(themes=theme_choices())
    if request.method == "GET" and community.theme_id:
        form.theme.data = community.theme_id
    if form.validate_on_submit():
        publish = posted("action") == "publish"
        try:
            case = services.create_case(
                current_user,
                community,
                _data(form),
                publish=publish,
                upload=form.attachment.data,
                ip=client_ip(),
                idempotency_key=form.idempotency_key.data,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(
                _("Je casus is gepubliceerd.") if publish else _("Je concept is opgeslagen.")
            )
            return redirect(url_for("cases.show_case", slug=slug, case_id=case.id))
    similar = search.similar(current_user, form.title.data or "", form.theme.data or None, None)
    return render_template(
        "cases/form.html", form=form, community=community, case=None, similar=similar
    )


@bp.route("/c/<slug>/cases/<int:case_id>")
def show_case(slug: str, case_id: int) -> str:
    community, case = load_case(slug, case_id)
    reads.note_read(current_user.id, case.id)  # for the home page's unread counts
    return render_case(community, case)


def render_case(
    community: Community,
    case: Case,
    form: ContributionForm | None = None,
    preview: str = "",
    follow_up_form: FollowUpForm | None = None,
) -> str:
    # Each form only where the page shows it.
    allowed = policy.allowed_contribution_kinds(current_user, case)
    if form is None and allowed:
        form = ContributionForm()
    expert_form = None
    if policy.can_request_experts(current_user, case):
        expert_form = ExpertRequestForm()
        expert_form.experts.choices = [(e.id, e.name) for e in experts.experts_of(case)]
    if follow_up_form is None and policy.can_write_follow_up(current_user, case):
        follow_up_form = FollowUpForm(obj=case)
    next_phases = [
        p for p in cycle.next_phases(case.phase) if policy.can_move_case(current_user, case, p)
    ]
    return render_template(
        "cases/show.html",
        community=community,
        case=case,
        page=case_page.case_page(case, case_page_rights(current_user, case), id_arg("after")),
        form=form,
        preview=preview,
        allowed=allowed,
        next_phases=next_phases,
        # Closing without a reflection leaves the opbrengst empty: ask on a page of its own.
        confirm_close="closed" in next_phases and not queries.has_reflection(case),
        expert_form=expert_form,
        open_requests=experts.open_requests_on(case),
        follow_up_form=follow_up_form,
        approaches=queries.approaches_of(case),
        meetings=meeting_queries.meetings_of_case(case),
        similar=search.similar(current_user, case.title, case.theme_id, exclude_case=case.id),
        move_targets=[c for c in moderated_communities(current_user) if c.id != case.community_id],
    )


@bp.route("/c/<slug>/cases/<int:case_id>/edit", methods=["GET", "POST"])
def edit_case(slug: str, case_id: int) -> str | tuple[str, int] | BaseResponse:
    community, case = load_case(slug, case_id)
    policy.require(policy.can_edit_case(current_user, case))
    # On POST only what was sent counts: a missing version must not become the current one.
    form = CaseForm(obj=case if request.method == "GET" else None, themes=theme_choices())
    if request.method == "GET":
        form.theme.data = case.theme_id or 0
        form.version.data = case.version
    conflict = False
    if form.validate_on_submit():
        try:
            services.update_case(
                current_user,
                case,
                _data(form),
                expected_version=form.version.data or 0,
                upload=form.attachment.data,
                ip=client_ip(),
            )
        except services.EditConflict as error:
            transaction.fail()
            conflict = True
            form.form_errors.append(error.message)
            form.version.data = case.version
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(_("De casus is bijgewerkt."))
            return redirect(url_for("cases.show_case", slug=slug, case_id=case.id))
    if conflict:
        db.session.refresh(case)
    page = render_template(
        "cases/form.html", form=form, community=community, case=case, conflict=conflict
    )
    # 409 Conflict for an edit of an older version: the form again, with the newer text.
    return (page, 409) if conflict else page


@bp.route("/c/<slug>/cases/<int:case_id>/history")
def case_history(slug: str, case_id: int) -> str:
    community, case = load_case(slug, case_id)
    if case.hidden_at is not None and not policy.can_see_hidden(current_user, case, community):
        abort(404)
    return render_template(
        "cases/history.html", community=community, case=case, revisions=queries.revisions(case)
    )


@bp.route("/c/<slug>/cases/<int:case_id>/phase", methods=["POST"])
def move_case(slug: str, case_id: int) -> BaseResponse:
    _community, case = load_case(slug, case_id)
    target = posted("phase", "")
    policy.require(
        target in cycle.next_phases(case.phase) and policy.can_move_case(current_user, case, target)
    )
    try:
        services.move_phase(current_user, case, target, client_ip())
    except DomainError as error:
        flash_refusal(error)
    else:
        flash_success(_("De casus is nu in de fase: %(phase)s.", phase=phase_label(target)))
    return redirect(url_for("cases.show_case", slug=slug, case_id=case.id))


@bp.route("/c/<slug>/cases/<int:case_id>/close")
def confirm_close(slug: str, case_id: int) -> str:
    """Closing a case, confirmed on a page of its own; the form posts to `move_case`."""
    community, case = load_case(slug, case_id)
    policy.require(
        "closed" in cycle.next_phases(case.phase)
        and policy.can_move_case(current_user, case, "closed")
    )
    return render_template(
        "cases/confirm_close.html",
        community=community,
        case=case,
        has_reflection=queries.has_reflection(case),
        may_reflect="reflection" in policy.allowed_contribution_kinds(current_user, case),
    )


@bp.route("/c/<slug>/cases/<int:case_id>/experts", methods=["POST"])
def request_experts(slug: str, case_id: int) -> BaseResponse:
    _community, case = load_case(slug, case_id)
    policy.require(policy.can_request_experts(current_user, case))
    form = ExpertRequestForm()
    form.experts.choices = [(e.id, e.name) for e in experts.experts_of(case)]
    if not form.validate_on_submit():
        flash(_("Kies een of meer deskundigen en een geldige datum."), "error")
        return redirect(url_for("cases.show_case", slug=slug, case_id=case.id) + "#deskundigen")
    try:
        experts.request_experts(
            current_user, case, list(form.experts.data or []), form.due_on.data, client_ip()
        )
    except DomainError as error:
        flash_refusal(error)
    else:
        flash_success(_("Je vraag om advies is verstuurd."))
    return redirect(url_for("cases.show_case", slug=slug, case_id=case.id) + "#deskundigen")


@bp.route("/advice-requests")
def list_advice_requests() -> str:
    return render_template(
        "cases/advice_requests.html", requests=experts.open_requests_for(current_user)
    )


@bp.route("/c/<slug>/cases/<int:case_id>/follow-up", methods=["POST"])
def write_follow_up(slug: str, case_id: int) -> str | BaseResponse:
    community, case = load_case(slug, case_id)
    policy.require(policy.can_write_follow_up(current_user, case))
    form = FollowUpForm()
    target = url_for("cases.show_case", slug=slug, case_id=case.id) + "#terugkoppeling"
    if not form.validate_on_submit():
        # Shown again with the error (or the BSN warning) beside the field, the text kept.
        return render_case(community, case, follow_up_form=form)
    follow_up.write_follow_up(current_user, case, form.follow_up.data or "", client_ip())
    flash_success(_("Dank je voor je terugkoppeling."))
    return redirect(target)
