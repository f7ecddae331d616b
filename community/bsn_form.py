"""Forms that warn about a BSN-like number before anything is stored.

A form that derives from `BsnCheckedForm` names the fields it checks in `bsn_fields`. When
one of them holds a number that looks like a BSN (`community.bsn`), validation fails with a
warning on that field, so the view shows the form again with the input kept, and the author
either takes the number out or ticks `confirm_bsn` ("it is not a citizen's BSN") and sends
again. Nothing is published or saved while the warning is unseen. A draft counts as well: it
is stored, and publishing it later is a phase change that does not pass through the form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, Field

from community import bsn
from community.formtools import Form

BSN_WARNING = _l(
    "Hier staat een getal dat op een BSN lijkt. Haal het weg, of bevestig onderaan het "
    "formulier dat het geen BSN van een inwoner is."
)


def _text_of(field: Field) -> str:
    """The text a field holds; for an upload, the name of the file."""
    if isinstance(field.data, FileStorage):
        return field.data.filename or ""
    return field.data if isinstance(field.data, str) else ""


class BsnCheckedForm(Form):
    """A form whose text fields (`bsn_fields`) are checked for BSN-like numbers."""

    bsn_fields: ClassVar[tuple[str, ...]] = ()

    confirm_bsn = BooleanField(
        _l("Ik heb het nagekeken: het getal is geen BSN van een inwoner"),
        description=_l(
            "Een BSN hoort niet in de leergemeenschap. Vink dit alleen aan als het getal "
            "iets anders is, zoals een dossier- of ordernummer."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bsn_warned = False

    def bsn_fields_found(self) -> list[Field]:
        """The checked fields that hold a BSN-like number."""
        return [self[name] for name in self.bsn_fields if bsn.bsn_like(_text_of(self[name]))]

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        found = self.bsn_fields_found()
        # Once confirmed, the warning stays visible beside the box (it is not an error then).
        self.bsn_warned = bool(found)
        if not found or self.confirm_bsn.data:
            return valid
        for field in found:
            field.errors.append(BSN_WARNING)
        return False
