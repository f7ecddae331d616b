"""Forms of the accounts feature: they validate shape, services validate meaning."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from community import addresses
from community.accounts import passwords
from community.formtools import Form

REQUIRED = _l("Vul dit veld in.")


def _email_field(label: Any, *, new: bool) -> EmailField:
    """A new address must be one an account may get; an existing one is only looked up."""
    return EmailField(
        label,
        validators=[
            DataRequired(message=REQUIRED),
            Length(
                max=addresses.MAX_LENGTH, message=_l("Een e-mailadres is hoogstens 254 tekens.")
            ),
            *([addresses.AccountAddress()] if new else []),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _new_password() -> PasswordField:
    return PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(message=REQUIRED)],
        description=_l(
            "Minstens %(min)s tekens. Een zin van een paar woorden is sterk en goed te onthouden.",
            min=passwords.MIN_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )


def _password_confirm() -> PasswordField:
    return PasswordField(
        _l("Herhaal je wachtwoord"),
        validators=[
            DataRequired(message=REQUIRED),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    """Checks the new `password` field (declared by each form, in page order)."""

    def validate_password(self, field: PasswordField) -> None:
        value = field.data or ""
        if len(value) < passwords.MIN_LENGTH:
            raise ValidationError(
                _l("Je wachtwoord moet minstens %(min)s tekens hebben.", min=passwords.MIN_LENGTH)
            )
        if len(value) > passwords.MAX_LENGTH:
            raise ValidationError(
                _l("Je wachtwoord mag hoogstens %(max)s tekens hebben.", max=passwords.MAX_LENGTH)
            )
        if passwords.is_common(value):
            raise ValidationError(
                _l("Dit wachtwoord komt te vaak voor en is makkelijk te raden. Kies een ander.")
            )


class RegisterForm(NewPasswordMixin, Form):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=120, message=_l("Je naam mag hoogstens 120 tekens hebben.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field(_l("E-mailadres van je werk"), new=True)
    organisation = SelectField(
        _l("Organisatie"),
        coerce=int,
        validate_choice=True,
        validators=[DataRequired(message=_l("Kies je organisatie."))],
        description=_l(
            "Kies de gemeente of organisatie waar je werkt. Een adres van die organisatie "
            "maakt je account direct actief; anders keurt een beheerder het eerst goed."
        ),
    )
    job_title = StringField(
        _l("Functie"),
        validators=[Length(max=120, message=_l("Je functie mag hoogstens 120 tekens hebben."))],
        render_kw={"autocomplete": "organization-title"},
    )
    password = _new_password()
    password_confirm = _password_confirm()

    def __init__(self, *args: Any, organisations: list[SelectChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [
            SelectChoice(0, str(_l("Kies je organisatie"))),
            *organisations,
        ]


class LoginForm(Form):
    email = _email_field(_l("E-mailadres"), new=False)
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(message=REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat (30 dagen)"))


class ForgotPasswordForm(Form):
    email = _email_field(_l("E-mailadres"), new=False)


class ResetPasswordForm(NewPasswordMixin, Form):
    password = _new_password()
    password_confirm = _password_confirm()


class ChangePasswordForm(NewPasswordMixin, Form):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(message=REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password()
    password_confirm = _password_confirm()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=120, message=_l("Je naam mag hoogstens 120 tekens hebben.")),
        ],
    )
    job_title = StringField(
        _l("Functie"),
        validators=[Length(max=120, message=_l("Je functie mag hoogstens 120 tekens hebben."))],
    )
    bio = TextAreaField(
        _l("Over jou"),
        validators=[Length(max=2000, message=_l("Over jou mag hoogstens 2000 tekens hebben."))],
        description=_l("Waar werk je aan en waarover kunnen anderen je aanspreken?"),
    )
    expertise = MultiCheckboxField(_l("Thema's waarin je deskundig bent"), coerce=int)
    email_mode = RadioField(
        _l("E-mail over meldingen"),
        default="each",
        choices=[
            SelectChoice("each", _l("Bij elke melding")),
            SelectChoice("daily", _l("Dagelijks een overzicht")),
            SelectChoice("weekly", _l("Wekelijks een overzicht")),
            SelectChoice("none", _l("Geen e-mail")),
        ],
        description=_l(
            "Over je eigen lidmaatschap en uitnodigingen krijg je altijd een e-mail. "
            "E-mails bevatten alleen een titel en een link, nooit de inhoud."
        ),
    )
    locale = SelectField(
        _l("Taal"),
        choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")],
        validate_choice=True,
    )

    def __init__(self, *args: Any, themes: list[SelectChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expertise.choices = themes


class SecondFactorForm(Form):
    code = StringField(
        _l("Code uit je authenticator-app of een herstelcode"),
        validators=[DataRequired(message=REQUIRED), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class EnableTwoFactorForm(Form):
    password = PasswordField(
        _l("Je wachtwoord"),
        validators=[DataRequired(message=REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("De code van zes cijfers uit je app"),
        validators=[DataRequired(message=REQUIRED), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Je wachtwoord"),
        validators=[DataRequired(message=REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )
    contributions = RadioField(
        _l("Wat gebeurt er met je bijdragen?"),
        default="keep",
        choices=[
            SelectChoice("keep", _l("Laten staan onder de naam 'verwijderde deelnemer'")),
            SelectChoice("delete", _l("Mijn bijdragen ook verwijderen")),
        ],
    )
