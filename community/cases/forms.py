"""Forms for cases, contributions and expert requests (explicit fields only)."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from community.accounts.forms import MultiCheckboxField
from community.bsn_form import BsnCheckedForm
from community.formtools import Form
from community.labels import CONTRIBUTION_KIND_LABELS
from community.models import KINDS

REQUIRED = _l("Vul dit veld in.")
MAX_ID = 2**31 - 1


def _text(label: Any, limit: int, *, required: bool, description: Any = None) -> TextAreaField:
    validators: list[Any] = [
        Length(max=limit, message=_l("Dit veld mag hoogstens %(max)s tekens hebben.", max=limit))
    ]
    validators.insert(0, DataRequired(message=REQUIRED) if required else Optional())
    return TextAreaField(label, validators=validators, description=description)


def _attachment_field() -> FileField:
    return FileField(
        _l("Bijlage toevoegen"),
        description=_l(
            "Hoogstens 10 MB: pdf, Word, Excel, PowerPoint, OpenDocument, csv, txt, png of jpg. "
            "Zet er geen persoonsgegevens van inwoners in."
        ),
    )


class CaseForm(BsnCheckedForm):
    bsn_fields = ("title", "context", "question", "tried", "stakeholders", "attachment")

    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=200, message=_l("De titel mag hoogstens 200 tekens hebben.")),
        ],
    )
    theme = SelectField(_l("Thema"), coerce=int, validators=[Optional()])
    context = _text(
        _l("Wat speelt er?"),
        20000,
        required=True,
        description=_l("Beschrijf de situatie in je stad. Maak personen onherkenbaar."),
    )
    question = _text(
        _l("Wat is je hulpvraag?"),
        5000,
        required=True,
        description=_l(
            "Wat wil je van de andere leden weten? Eén duidelijke vraag werkt het best."
        ),
    )
    tried = _text(_l("Wat heb je al geprobeerd?"), 20000, required=False)
    stakeholders = _text(
        _l("Betrokken partijen"),
        5000,
        required=False,
        description=_l("Bijvoorbeeld corporatie, zorgaanbieder, ondernemers, bewoners."),
    )
    attachment = _attachment_field()
    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, MAX_ID)])
    idempotency_key = HiddenField(validators=[Length(max=64)])

    def __init__(self, *args: Any, themes: list[SelectChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice(0, str(_l("Geen thema"))), *themes]
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


class ContributionForm(BsnCheckedForm):
    bsn_fields = ("body", "attachment")

    kind = SelectField(
        _l("Soort bijdrage"),
        choices=[SelectChoice(kind, CONTRIBUTION_KIND_LABELS[kind]) for kind in KINDS],
        validators=[InputRequired(message=_l("Kies wat voor bijdrage je plaatst."))],
    )
    body = _text(
        _l("Je bijdrage"),
        20000,
        required=True,
        description=_l("Je kunt Markdown gebruiken, zoals **vet** en lijstjes met een streepje."),
    )
    parent_id = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(1, MAX_ID)])
    attachment = _attachment_field()
    idempotency_key = HiddenField(validators=[Length(max=64)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = secrets.token_urlsafe(24)


class EditContributionForm(BsnCheckedForm):
    bsn_fields = ("body",)

    body = _text(_l("Je bijdrage"), 20000, required=True)


class ExpertRequestForm(Form):
    experts = MultiCheckboxField(_l("Deskundigen"), coerce=int)
    due_on = DateField(
        _l("Graag advies vóór"),
        validators=[DataRequired(message=_l("Kies een datum, bijvoorbeeld 2026-12-15."))],
    )
