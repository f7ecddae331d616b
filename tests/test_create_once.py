"""The create-once helper behind case, contribution and approach double submits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.create_once import create_once
from community.exceptions import DomainError
from community.extensions import db as _db
from community.models import Case


def _case(community, author, key: str | None, title: str = "Casus") -> Case:
    return Case(
        community_id=community.id,
        author_id=author.id,
        title=title,
        context="c",
        question="q",
        idempotency_key=key,
    )


def _find(author):
    def find(key: str) -> Case | None:
        return _db.session.scalar(
            select(Case).where(Case.author_id == author.id, Case.idempotency_key == key)
        )

    return find


@pytest.fixture
def world(app, make_user, make_community):
    return make_community(), make_user()


def _count(db) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Case)) or 0)


def test_the_second_submit_gets_the_first(app, db, world):
    community, author = world
    first, created = create_once("k", _find(author), lambda: _case(community, author, "k"))
    assert created
    built = []
    again, created = create_once(
        "k", _find(author), lambda: built.append(1) or _case(community, author, "k")
    )
    assert (again, created) == (first, False)
    assert built == []  # nothing is built (or validated) for a submit that already counted
    assert _count(db) == 1


def test_the_loser_of_a_race_gets_the_winner_and_keeps_its_transaction(app, db, world):
    """Both submits missed in `find`; the unique constraint decides, inside a savepoint."""
    community, author = world
    winner = _case(community, author, "race", "Winnaar")
    db.session.add(winner)
    db.session.commit()
    other = _case(community, author, None, "Eerder in dit verzoek")
    db.session.add(other)
    db.session.flush()
    looks = []

    def find(key: str) -> Case | None:
        looks.append(key)
        return None if len(looks) == 1 else _find(author)(key)  # the race: not seen yet

    obj, created = create_once("race", find, lambda: _case(community, author, "race", "Verliezer"))
    assert not created
    assert obj.id == winner.id
    db.session.commit()  # what the request did before the race is still there
    assert sorted(db.session.scalars(select(Case.title))) == ["Eerder in dit verzoek", "Winnaar"]


def test_another_constraint_is_not_explained_away(app, db, world):
    community, author = world
    with pytest.raises(IntegrityError):
        create_once(
            "k",
            _find(author),
            lambda: Case(community_id=community.id, author_id=author.id, idempotency_key="k"),
        )  # no title: NOT NULL, not a double submit
    db.session.rollback()
    assert _count(db) == 0


def test_without_a_key_every_call_creates(app, db, world):
    community, author = world
    for _ in range(2):
        _obj, created = create_once(None, _find(author), lambda: _case(community, author, None))
        assert created
    assert _count(db) == 2


def test_a_refusal_in_build_adds_nothing(app, db, world):
    community, author = world

    def build() -> Case:
        raise DomainError("title", "nee")

    with pytest.raises(DomainError):
        create_once("k", _find(author), build)
    db.session.commit()
    assert _count(db) == 0
