"""Registration, confirmation, login/logout, password reset and the own profile."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from community import policy, transaction
from community.accounts import erasure, export, forms, queries, services, sessions, two_factor
from community.exceptions import DomainError
from community.extensions import db, limiter
from community.formtools import apply_domain_error, client_ip, flash_success, posted
from community.i18n import select_locale
from community.models import User
from community.security import safe_next_url

bp = Blueprint("accounts", __name__)


def _login_email_key() -> str:
    return "login:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register() -> str | BaseResponse:
    form = forms.RegisterForm(organisations=queries.organisation_choices())
    if form.validate_on_submit():
        try:
            services.register_user(
                name=form.name.data or "",
                email=form.email.data or "",
                organisation_id=form.organisation.data or 0,
                job_title=form.job_title.data or "",
                password=form.password.data or "",
                locale=select_locale(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return redirect(url_for("accounts.registered"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/sent")
def registered() -> str:
    return render_template("accounts/registered.html")


@bp.route("/confirm/<token>")
def confirm_email(token: str) -> str | BaseResponse:
    try:
        user = services.confirm_email(token)
    except DomainError as error:
        transaction.fail()
        return render_template("accounts/confirm_failed.html", message=error.message)
    if user.status == "active":
        flash_success(_("Je e-mailadres is bevestigd. Je kunt nu inloggen."))
        return redirect(url_for("accounts.login"))
    return redirect(url_for("accounts.pending"))


@bp.route("/account/pending")
def pending() -> str:
    return render_template("accounts/pending.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 5 minutes", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_login_email_key)
def login() -> str | BaseResponse:
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next"), url_for("pages.home")))
    form = forms.LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data or "", form.password.data or "", client_ip())
        if result.problem == "pending":
            return redirect(url_for("accounts.pending"))
        if result.problem == "unconfirmed":
            form.form_errors.append(_("Bevestig eerst je e-mailadres met de link uit onze e-mail."))
        elif result.problem == "suspended":
            form.form_errors.append(_("Je account is geschorst. Neem contact op met de beheerder."))
        elif result.user is None:
            form.form_errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
        else:
            if result.user.totp_secret is not None:
                # The password was right; the second factor decides.
                session["second_factor"] = {
                    "uid": result.user.id,
                    "remember": bool(form.remember.data),
                    "next": request.args.get("next") or "",
                    "at": int(time.time()),
                }
                return redirect(url_for("accounts.second_factor"))
            return _complete_login(result.user, bool(form.remember.data), request.args.get("next"))
    return render_template("accounts/login.html", form=form)


def _complete_login(user: User, remember: bool, next_url: str | None) -> BaseResponse:
    invitation = session.get("pending_invitation") or {}
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    sessions.start(user)  # first: the login id (and remember cookie) carries this session
    login_user(user, remember=remember)
    fallback = url_for("pages.home")
    if isinstance(invitation, dict) and invitation.get("email") == user.email:
        fallback = safe_next_url(invitation.get("path"), fallback)
    must_set_up = user.totp_secret is None and two_factor.needs_second_factor(user)
    if must_set_up and current_app.config["REQUIRE_2FA_FOR_STAFF"]:
        flash(_("Als beheerder of moderator stel je eerst tweestapsverificatie in."), "warning")
        return redirect(url_for("accounts.setup_two_factor"))
    return redirect(safe_next_url(next_url, fallback))


def _second_factor_key() -> str:
    pending = session.get("second_factor")
    return "2fa:" + str(pending.get("uid") if isinstance(pending, dict) else "none")


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per 5 minutes", methods=["POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"], key_func=_second_factor_key)
def second_factor() -> str | BaseResponse:
    pending = session.get("second_factor")
    if not isinstance(pending, dict) or int(time.time()) - int(pending.get("at", 0)) > 300:
        session.pop("second_factor", None)
        flash(_("Log opnieuw in."), "warning")
        return redirect(url_for("accounts.login"))
    user = db.session.get(User, pending["uid"])
    if user is None or user.status != "active":
        return redirect(url_for("accounts.login"))
    form = forms.SecondFactorForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data or "", client_ip()):
            return _complete_login(user, bool(pending.get("remember")), pending.get("next"))
        form.code.errors = [_("Deze code klopt niet of is al gebruikt.")]
    return render_template("accounts/second_factor.html", form=form)


@bp.route("/account/2fa", methods=["GET", "POST"])
def setup_two_factor() -> str | BaseResponse:
    user: User = current_user._get_current_object()
    form = forms.EnableTwoFactorForm()
    if user.totp_secret is not None:
        return render_template("accounts/two_factor.html", enabled=True, form=None, codes=None)
    secret = session.get("totp_setup") or two_factor.new_secret()
    session["totp_setup"] = secret
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(
                user, secret, form.password.data or "", form.code.data or "", client_ip()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            user.rotate_session_token()  # sessions from before 2FA end everywhere else
            login_user(user)
            session.pop("totp_setup", None)
            return render_template("accounts/two_factor.html", enabled=True, form=None, codes=codes)
    return render_template(
        "accounts/two_factor.html",
        enabled=False,
        form=form,
        codes=None,
        secret=secret,
        qr=Markup(two_factor.provisioning_svg(secret, user.email)),  # noqa: S704 - segno output
    )


@bp.route("/account/sessions/end", methods=["POST"])
def end_sessions() -> BaseResponse:
    raw = posted("session", "")
    session_id = int(raw) if raw.isdecimal() and int(raw) < 2**31 else None
    sessions.end(current_user._get_current_object(), session_id, client_ip())
    flash_success(
        _("De sessie is beëindigd.") if session_id else _("Je andere sessies zijn beëindigd.")
    )
    return redirect(url_for("accounts.edit_account") + "#sessies")


@bp.route("/account/delete", methods=["GET", "POST"])
def delete_account() -> str | BaseResponse:
    user: User = current_user._get_current_object()
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            erasure.delete_own_account(
                user, form.password.data or "", form.contributions.data == "delete", client_ip()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            logout_user()
            session.clear()
            flash_success(_("Je account is verwijderd."))
            return redirect(url_for("accounts.login"))
    return render_template("accounts/delete.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    services.logout(current_user)
    logout_user()
    session.clear()
    flash_success(_("Je bent uitgelogd."))
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password() -> str | BaseResponse:
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str) -> str | BaseResponse:
    if services.user_for_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html")
    form = forms.ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data or "", client_ip())
        logout_user()
        flash_success(_("Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord."))
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
def edit_account() -> str | BaseResponse:
    user: User = current_user._get_current_object()
    form = forms.ProfileForm(obj=user, themes=queries.theme_choices())
    if request.method == "GET":
        form.expertise.data = [theme.id for theme in user.expertise]
    active_sessions = sessions.active(user)
    this_session = sessions.current()
    if form.validate_on_submit():
        services.update_profile(
            user,
            name=form.name.data or "",
            job_title=form.job_title.data or "",
            bio=form.bio.data or "",
            locale=form.locale.data or "nl",
            expertise_ids=list(form.expertise.data or []),
            email_mode=form.email_mode.data or "each",
        )
        refresh()  # the new language applies to the confirmation already
        flash_success(_("Je profiel is opgeslagen."))
        return redirect(url_for("accounts.edit_account"))
    return render_template(
        "accounts/account.html",
        form=form,
        active_sessions=active_sessions,
        this_session=this_session,
    )


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> str | BaseResponse:
    user: User = current_user._get_current_object()
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                user, form.current_password.data or "", form.password.data or "", client_ip()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            login_user(user)  # this session goes on under the new session token
            flash_success(_("Je wachtwoord is gewijzigd. Je andere sessies zijn beëindigd."))
            return redirect(url_for("accounts.edit_account"))
    return render_template("accounts/password.html", form=form)


@bp.route("/account/export")
def export_account() -> Response:
    response = jsonify(export.export_account(current_user))
    response.headers["Content-Disposition"] = "attachment; filename=leerkring-gegevens.json"
    return response


@bp.route("/account/export.zip")
def export_account_zip() -> Response:
    response = Response(export.export_zip(current_user), mimetype="application/zip")
    response.headers["Content-Disposition"] = "attachment; filename=leerkring-gegevens.zip"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/people/<int:user_id>")
def show_person(user_id: int) -> str:
    person = db.session.get(User, user_id)
    if not policy.can_view_profile(current_user, person):
        abort(404)
    return render_template("accounts/person.html", person=person)
