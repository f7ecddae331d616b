"""Forms for communities and memberships: explicit fields only (no mass assignment)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from community.addresses import AccountAddress
from community.formtools import Form
from community.labels import METHOD_LABELS, ROLE_LABELS, VISIBILITY_LABELS
from community.models import METHODS, VISIBILITIES

REQUIRED = _l("Vul dit veld in.")


class CommunityForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=120, message=_l("De naam mag hoogstens 120 tekens hebben.")),
        ],
    )
    description = TextAreaField(
        _l("Beschrijving"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=5000, message=_l("De beschrijving mag hoogstens 5000 tekens hebben.")),
        ],
        description=_l(
            "Waar gaat deze leergemeenschap over en voor wie is ze? Niet-leden zien deze "
            "beschrijving ook. Je kunt Markdown gebruiken."
        ),
    )
    theme = SelectField(_l("Thema"), coerce=int, validators=[Optional()])
    visibility = RadioField(
        _l("Zichtbaarheid"),
        default="closed",
        choices=[SelectChoice(v, VISIBILITY_LABELS[v]) for v in VISIBILITIES],
    )
    method = RadioField(
        _l("Werkwijze bij casussen"),
        default="incident",
        choices=[SelectChoice(m, METHOD_LABELS[m]) for m in METHODS],
    )
    review_new_members = BooleanField(
        _l("Nieuwe leden eerst beoordelen"),
        description=_l(
            "De eerste twee bijdragen van een nieuw lid verschijnen pas na goedkeuring."
        ),
    )

    def __init__(self, *args: Any, themes: list[SelectChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice(0, str(_l("Geen thema"))), *themes]


def _follow_field() -> RadioField:
    return RadioField(
        _l("Waarover wil je meldingen uit deze leergemeenschap?"),
        default="all",
        choices=[
            SelectChoice("all", _l("Alle activiteit")),
            SelectChoice("mine", _l("Alleen over mijn eigen casussen en vragen aan mij")),
            SelectChoice("none", _l("Niets (alleen over mijn lidmaatschap)")),
        ],
    )


class FollowForm(Form):
    follow = _follow_field()


class JoinForm(Form):
    motivation = TextAreaField(
        _l("Waarom wil je lid worden?"),
        validators=[
            DataRequired(message=_l("Schrijf kort waarom je lid wilt worden.")),
            Length(max=1000, message=_l("Je motivatie mag hoogstens 1000 tekens hebben.")),
        ],
        description=_l("De moderatoren lezen dit als ze je aanvraag beoordelen."),
    )
    follow = _follow_field()


class DecisionForm(Form):
    message = TextAreaField(
        _l("Bericht aan de aanvrager"),
        validators=[Length(max=1000, message=_l("Het bericht mag hoogstens 1000 tekens hebben."))],
    )


class InviteForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=254, message=_l("Een e-mailadres is hoogstens 254 tekens.")),
            AccountAddress(),
        ],
    )
    role = RadioField(
        _l("Rol"),
        default="member",
        choices=[SelectChoice("member", _l("Lid")), SelectChoice("expert", _l("Deskundige"))],
    )


class RoleForm(Form):
    role = SelectField(
        _l("Rol"),
        choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ("member", "expert", "moderator")],
    )


class RemoveForm(Form):
    reason = StringField(
        _l("Reden (alleen zichtbaar voor moderatoren)"),
        validators=[Length(max=500, message=_l("De reden mag hoogstens 500 tekens hebben."))],
    )
