"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from community.formtools import Form
from community.labels import ORGANISATION_KIND_LABELS
from community.models import ORGANISATION_KINDS


class OrganisationForm(Form):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(message=_l("Vul dit veld in.")),
            Length(max=200, message=_l("De naam mag hoogstens 200 tekens hebben.")),
        ],
    )
    slug = StringField(
        _l("Korte naam (in adressen)"),
        validators=[
            DataRequired(message=_l("Vul dit veld in.")),
            Length(max=100, message=_l("De korte naam mag hoogstens 100 tekens hebben.")),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Gebruik alleen kleine letters, cijfers en streepjes."),
            ),
        ],
    )
    kind = SelectField(
        _l("Soort organisatie"),
        choices=[SelectChoice(kind, ORGANISATION_KIND_LABELS[kind]) for kind in ORGANISATION_KINDS],
    )
    domains = TextAreaField(
        _l("E-maildomeinen"),
        validators=[Length(max=2000, message=_l("Dit veld mag hoogstens 2000 tekens hebben."))],
        description=_l(
            "Eén domein per regel, zoals gemeente.nl. Wie zich registreert met een adres "
            "op zo'n domein, is na bevestiging direct actief."
        ),
    )
