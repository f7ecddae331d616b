"""Appreciations (waardeer): members say a contribution by someone else helped them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from community import policy
from community.extensions import db
from community.models import Appreciation, Contribution, User


def set_appreciation(user: User, contribution: Contribution, appreciated: bool) -> None:
    """Give or withdraw the user's appreciation; sending the same state twice changes nothing."""
    policy.require(policy.can_appreciate_contribution(user, contribution))
    if not appreciated:
        db.session.execute(
            delete(Appreciation).where(
                Appreciation.contribution_id == contribution.id, Appreciation.user_id == user.id
            )
        )
        return
    given = db.session.scalar(
        select(Appreciation.id).where(
            Appreciation.contribution_id == contribution.id, Appreciation.user_id == user.id
        )
    )
    if given is not None:
        return
    try:  # a double submit at the same moment: the unique constraint keeps one
        with db.session.begin_nested():
            db.session.add(Appreciation(contribution_id=contribution.id, user_id=user.id))
    except IntegrityError:
        pass
