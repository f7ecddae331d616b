"""Forms for approaches and adoptions (explicit fields only)."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from community.accounts.forms import MultiCheckboxField
from community.bsn_form import BsnCheckedForm
from community.cases.forms import MAX_ID, _attachment_field, _text
from community.formtools import Form
from community.labels import ADOPTION_STATUS_LABELS
from community.models import ADOPTION_STATUSES, APPROACH_TEXT_FIELDS

REQUIRED = _l("Vul dit veld in.")


class ApproachForm(BsnCheckedForm):
    bsn_fields = ("title", *APPROACH_TEXT_FIELDS, "contact", "attachment")

    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=200, message=_l("De titel mag hoogstens 200 tekens hebben.")),
        ],
    )
    summary = _text(
        _l("Samenvatting"),
        2000,
        required=True,
        description=_l("Twee of drie zinnen: wat is de aanpak en wat levert hij op?"),
    )
    problem = _text(_l("Het vraagstuk"), 20000, required=True)
    steps = _text(
        _l("De aanpak in stappen"),
        20000,
        required=True,
        description=_l("Wat deed je, in welke volgorde, en met wie?"),
    )
    results = _text(_l("Resultaten"), 20000, required=False)
    success_factors = _text(_l("Succesfactoren"), 10000, required=False)
    pitfalls = _text(_l("Valkuilen"), 10000, required=False)
    theme = SelectField(_l("Thema"), coerce=int, validators=[Optional()])
    contact = StringField(
        _l("Contactpersoon"),
        validators=[Length(max=200, message=_l("Dit veld mag hoogstens 200 tekens hebben."))],
        description=_l("Naam en functie van wie vragen over deze aanpak kan beantwoorden."),
    )
    sources = MultiCheckboxField(_l("Bijdragen waarop de aanpak voortbouwt"), coerce=int)
    attachment = _attachment_field()
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, MAX_ID)])
    idempotency_key = HiddenField(validators=[Length(max=64)])

    def __init__(self, *args: Any, themes: list[SelectChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice(0, str(_l("Geen thema"))), *themes]
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


class AdoptionForm(Form):
    status = RadioField(
        _l("Wat doet jouw organisatie met deze aanpak?"),
        choices=[SelectChoice(s, ADOPTION_STATUS_LABELS[s]) for s in ADOPTION_STATUSES],
        validators=[DataRequired(message=_l("Kies wat jouw organisatie ermee doet."))],
    )
    note = TextAreaField(
        _l("Toelichting"),
        validators=[Length(max=2000, message=_l("Dit veld mag hoogstens 2000 tekens hebben."))],
    )
    contact = StringField(
        _l("Contactpersoon"),
        validators=[Length(max=200, message=_l("Dit veld mag hoogstens 200 tekens hebben."))],
    )


class FollowUpForm(BsnCheckedForm):
    bsn_fields = ("follow_up",)

    follow_up = _text(
        _l("Wat is ervan terechtgekomen?"),
        10000,
        required=True,
        description=_l(
            "Vertel de andere leden wat je met het advies hebt gedaan en wat het opleverde."
        ),
    )
