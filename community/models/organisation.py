"""Organisations (cities and partners), their e-mail domains, and themes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.extensions import db

ORGANISATION_KINDS = (
    "gemeente",
    "woningcorporatie",
    "zorgaanbieder",
    "adviesbureau",
    "ministerie",
    "kennisinstelling",
    "overig",
)


class Organisation(db.Model):  # type: ignore[name-defined]
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in ORGANISATION_KINDS) + ")", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    province: Mapped[str | None] = mapped_column(String(60))
    member_since: Mapped[date | None]

    domains: Mapped[list[OrganisationDomain]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationDomain.domain",
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class OrganisationDomain(db.Model):  # type: ignore[name-defined]
    """One e-mail domain whose confirmed addresses make an account active at once."""

    __tablename__ = "organisation_domains"
    __table_args__ = (UniqueConstraint("domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(253))

    organisation: Mapped[Organisation] = relationship(back_populates="domains")


class Theme(db.Model):  # type: ignore[name-defined]
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    pillar: Mapped[str] = mapped_column(String(100))
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str] = mapped_column(String(1000), default="")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl
