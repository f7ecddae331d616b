"""The library, approach pages, writing and sharing approaches, and adoptions."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption
from werkzeug.wrappers import Response as BaseResponse

from community import policy
from community.accounts.queries import theme_choices
from community.approaches import chart, queries, services
from community.approaches.forms import AdoptionForm, ApproachForm
from community.approaches.library_cards import library_cards
from community.communities import access
from community.communities.queries import themes
from community.exceptions import DomainError
from community.extensions import db
from community.formtools import apply_domain_error, client_ip, flash_success, posted
from community.models import ORGANISATION_KINDS, Approach, Case, Community
from community.pagination import MAX_ID, paginate_by_id
from community.security import safe_next_url

bp = Blueprint("approaches", __name__)


def load_approach(approach_id: int, *options: ORMOption) -> Approach:
    approach = db.session.get(Approach, approach_id, options=options)
    if approach is None or not policy.can_view_approach(current_user, approach):
        abort(404)
    return approach


def _data(form: ApproachForm) -> services.ApproachData:
    return services.ApproachData(
        title=form.title.data or "",
        summary=form.summary.data or "",
        problem=form.problem.data or "",
        steps=form.steps.data or "",
        results=form.results.data or "",
        success_factors=form.success_factors.data or "",
        pitfalls=form.pitfalls.data or "",
        theme_id=form.theme.data or None,
        contact=form.contact.data or "",
    )


@bp.route("/approaches")
def list_approaches() -> str:
    args = {name: request.args.get(name) or None for name in ("theme", "kind", "city", "q")}
    sort = "adopted" if request.args.get("sort") == "adopted" else "recent"
    page = paginate_by_id(
        queries.library(current_user, sort=sort, **args), 20, *queries.LIBRARY_CARD
    )
    all_themes = themes()
    counts = queries.adoption_counts([a.id for a in page.items])
    return render_template(
        "approaches/list.html",
        page=page,
        cards=library_cards(page.items, counts, all_themes),
        args=args,
        sort=sort,
        themes=all_themes,
        kinds=ORGANISATION_KINDS,
        cities=queries.organisations_with_approaches(current_user),
    )


def _case_for(community: Community) -> Case | None:
    raw = request.args.get("case", "")
    if not raw:
        return None
    case = db.session.get(Case, int(raw)) if raw.isdecimal() and int(raw) <= MAX_ID else None
    if (
        case is None
        or case.community_id != community.id
        or not policy.can_view_case(current_user, case)
    ):
        abort(404)
    policy.require(policy.can_base_approach_on(current_user, case))
    return case


@bp.route("/c/<slug>/approaches/new", methods=["GET", "POST"])
def new_approach(slug: str) -> str | BaseResponse:
    community = access.member_community(slug)
    policy.require(policy.can_create_approach(current_user, community))
    case = _case_for(community)
    form = ApproachForm(themes=theme_choices())
    valuable = services.valuable_contributions(case) if case else []
    form.sources.choices = [(c.id, c.author.name if c.author else "—") for c in valuable]
    if request.method == "GET" and case is not None:
        key = form.idempotency_key.data
        form.process(data=services.prefill_from_case(case))
        form.sources.data = [c.id for c in valuable]
        form.idempotency_key.data = key
    if form.validate_on_submit():
        try:
            approach = services.create_approach(
                current_user,
                community,
                _data(form),
                case=case,
                source_ids=list(form.sources.data or []),
                upload=form.attachment.data,
                idempotency_key=form.idempotency_key.data,
                ip=client_ip(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash_success(
                _("Je aanpak is opgeslagen. Alleen de leden van de leergemeenschap zien hem.")
            )
            return redirect(url_for("approaches.show_approach", approach_id=approach.id))
    return render_template(
        "approaches/form.html",
        form=form,
        community=community,
        case=case,
        valuable=valuable,
        approach=None,
    )


@bp.route("/approaches/<int:approach_id>")
def show_approach(approach_id: int) -> str:
    approach = load_approach(approach_id, *queries.APPROACH_PAGE)
    return _render(approach, AdoptionForm(), prefill=True)


def _render(approach: Approach, form: AdoptionForm, *, prefill: bool = False) -> str:
    with_sources = policy.can_view_approach_sources(current_user, approach)
    page = queries.approach_page(approach, with_sources=with_sources)
    own = next(
        (a for a in page.adoptions if a.organisation_id == current_user.organisation_id), None
    )
    if prefill and own is not None:
        form.process(obj=own)
    return render_template(
        "approaches/show.html",
        approach=approach,
        page=page,
        with_sources=with_sources,
        form=form,
    )


@bp.route("/approaches/<int:approach_id>/edit", methods=["GET", "POST"])
def edit_approach(approach_id: int) -> str | BaseResponse:
    approach = load_approach(approach_id)
    policy.require(policy.can_edit_approach(current_user, approach))
    form = ApproachForm(obj=approach if request.method == "GET" else None, themes=theme_choices())
    form.sources.choices = []
    if request.method == "GET":
        form.theme.data = approach.theme_id or 0
        form.version.data = approach.version
    if form.validate_on_submit():
        try:
            services.update_approach(
                current_user,
                approach,
                _data(form),
                expected_version=form.version.data or 0,
                ip=client_ip(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
            form.version.data = approach.version
        else:
            flash_success(_("Er is een nieuwe versie van de aanpak opgeslagen."))
            return redirect(url_for("approaches.show_approach", approach_id=approach.id))
    return render_template(
        "approaches/form.html",
        form=form,
        community=approach.community,
        case=None,
        valuable=[],
        approach=approach,
    )


@bp.route("/approaches/<int:approach_id>/versions")
def approach_versions(approach_id: int) -> str:
    approach = load_approach(approach_id)
    # Earlier versions may hold text copied from the closed case: members only.
    if not policy.can_view_approach_sources(current_user, approach):
        abort(404)
    return render_template(
        "approaches/versions.html", approach=approach, versions=queries.versions(approach)
    )


def _act(approach_id: int, act: str) -> BaseResponse:
    approach = load_approach(approach_id)
    actions = {
        "share": (services.request_library, _("Je verzoek is naar de moderatoren gestuurd.")),
        "approve": (services.approve_library, _("De aanpak staat nu in de bibliotheek.")),
        "withdraw": (services.withdraw_from_library, _("De aanpak is uit de bibliotheek gehaald.")),
        "decline": (
            services.decline_library,
            _("Het verzoek om opname in de bibliotheek is afgewezen."),
        ),
    }
    service, message = actions[act]
    service(current_user, approach, client_ip())
    flash_success(message)
    if posted("next"):  # the review queue the moderator acted from
        return redirect(safe_next_url(posted("next"), url_for("approaches.list_approaches")))
    if not policy.can_view_approach(current_user, approach):
        return redirect(url_for("approaches.list_approaches"))
    return redirect(url_for("approaches.show_approach", approach_id=approach.id))


@bp.route("/approaches/<int:approach_id>/share", methods=["POST"])
def share_approach(approach_id: int) -> BaseResponse:
    return _act(approach_id, "share")


@bp.route("/approaches/<int:approach_id>/share/approve", methods=["POST"])
def approve_share(approach_id: int) -> BaseResponse:
    return _act(approach_id, "approve")


@bp.route("/approaches/<int:approach_id>/share/decline", methods=["POST"])
def decline_share(approach_id: int) -> BaseResponse:
    return _act(approach_id, "decline")


@bp.route("/approaches/<int:approach_id>/withdraw", methods=["POST"])
def withdraw_approach(approach_id: int) -> BaseResponse:
    return _act(approach_id, "withdraw")


@bp.route("/approaches/<int:approach_id>/adopt", methods=["POST"])
def adopt_approach(approach_id: int) -> str | BaseResponse:
    approach = load_approach(approach_id)
    policy.require(policy.can_adopt(current_user, approach))
    form = AdoptionForm()
    if form.validate_on_submit():
        services.record_adoption(
            current_user,
            approach,
            status=form.status.data or "",
            note=form.note.data or "",
            contact=form.contact.data or "",
            ip=client_ip(),
        )
        flash_success(_("Dank je! De stand van zaken van je organisatie is opgeslagen."))
        return redirect(
            url_for("approaches.show_approach", approach_id=approach.id) + "#toepassing"
        )
    return _render(approach, form)


@bp.route("/approaches/adoptions")
def adoption_overview() -> str:
    overview, page = queries.overview(current_user)
    return render_template(
        "approaches/overview.html",
        overview=overview,
        page=page,
        chart=chart.build(overview.approaches, overview.adoptions),
    )
