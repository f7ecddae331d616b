"""Forms for meetings, responses and reports."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from community.accounts.forms import MultiCheckboxField
from community.bsn_form import BsnCheckedForm
from community.cases.forms import _text
from community.formtools import Form
from community.labels import MEETING_KIND_LABELS, RESPONSE_LABELS
from community.models import MEETING_KINDS, RESPONSES
from community.models.base import AMSTERDAM

REQUIRED = _l("Vul dit veld in.")
WHEN = _l("Vul een datum en tijd in, bijvoorbeeld 2026-03-12 09:30.")


class MeetingForm(BsnCheckedForm):
    bsn_fields = ("title", "location", "online_url", "agenda")

    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=200, message=_l("De titel mag hoogstens 200 tekens hebben.")),
        ],
    )
    kind = RadioField(
        _l("Soort bijeenkomst"),
        default="meeting",
        choices=[SelectChoice(k, MEETING_KIND_LABELS[k]) for k in MEETING_KINDS],
    )
    starts_at = DateTimeLocalField(
        _l("Begin"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=WHEN)]
    )
    ends_at = DateTimeLocalField(
        _l("Einde"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=WHEN)]
    )
    location = StringField(
        _l("Locatie"),
        validators=[Length(max=300, message=_l("Dit veld mag hoogstens 300 tekens hebben."))],
    )
    host = SelectField(_l("Gastgemeente"), coerce=int, validators=[Optional()])
    online_url = StringField(
        _l("Link voor online deelname"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Dit veld mag hoogstens 500 tekens hebben.")),
            Regexp(r"^https?://\S+$", message=_l("Gebruik een link die begint met https://.")),
        ],
    )
    agenda = _text(_l("Agenda"), 10000, required=False)
    capacity = IntegerField(
        _l("Maximum aantal deelnemers"),
        validators=[
            Optional(),
            NumberRange(1, 10000, message=_l("Kies een aantal van 1 tot 10.000.")),
        ],
        description=_l(
            "Laat leeg als er geen maximum is. Wie daarna ja zegt, komt op de wachtlijst."
        ),
    )
    cases = MultiCheckboxField(_l("Casussen op de agenda"), coerce=int)

    def validate_starts_at(self, field: DateTimeLocalField) -> None:
        _check_moment(field)

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        _check_moment(field)

    def __init__(
        self, *args: Any, hosts: list[SelectChoice], cases: list[SelectChoice], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.host.choices = [SelectChoice(0, str(_l("Geen"))), *hosts]
        self.cases.choices = cases


def _check_moment(field: DateTimeLocalField) -> None:
    """A real Dutch clock time in a sensible year (not one skipped when summer time starts)."""
    value = field.data
    if value is None:
        return
    if not 2000 <= value.year <= 2100:
        raise ValidationError(_l("Kies een datum tussen 2000 en 2100."))
    local = value.replace(tzinfo=AMSTERDAM)
    if local.astimezone(UTC).astimezone(AMSTERDAM).replace(tzinfo=None) != value:
        raise ValidationError(_l("Deze tijd bestaat niet door de overgang naar zomertijd."))


class RsvpForm(Form):
    response = RadioField(
        _l("Kom je?"),
        choices=[SelectChoice(r, RESPONSE_LABELS[r]) for r in RESPONSES],
        validators=[DataRequired(message=_l("Kies ja, nee of misschien."))],
    )


class ReportForm(BsnCheckedForm):
    bsn_fields = ("report",)

    report = _text(_l("Verslag"), 20000, required=True)
