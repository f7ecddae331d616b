"""Translated labels for stored codes (organisation kinds, statuses, roles)."""

from __future__ import annotations

from flask_babel import gettext as _


def kind_label(kind: str) -> str:
    """The organisation kind as shown on badges and in lists."""
    labels = {
        "gemeente": _("gemeente"),
        "woningcorporatie": _("woningcorporatie"),
        "zorgaanbieder": _("zorgaanbieder"),
        "adviesbureau": _("adviesbureau"),
        "ministerie": _("ministerie"),
        "kennisinstelling": _("kennisinstelling"),
        "overig": _("overig"),
    }
    return labels.get(kind, kind)


def status_label(status: str) -> str:
    labels = {
        "pending": _("wacht op goedkeuring"),
        "active": _("actief"),
        "suspended": _("geschorst"),
        "deleted": _("verwijderd"),
    }
    return labels.get(status, status)
