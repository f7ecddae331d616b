"""The read marker: the case page notes, after it was served, that the user read the case.

One upsert in `transaction.afterwards` (its own short transaction after the request, so
the GET stays a read and a lock it cannot get in time skips the note, not the page).
The case page never reads the marker; the home page does (`community.pages.home`).
"""

from __future__ import annotations

from functools import partial

from sqlalchemy.dialects import postgresql, sqlite

from community import transaction
from community.extensions import db
from community.models import CaseRead
from community.models.base import utcnow


def _upsert(user_id: int, case_id: int) -> None:
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(CaseRead).values(user_id=user_id, case_id=case_id, read_at=utcnow())
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "case_id"],
            set_={"read_at": statement.excluded.read_at},
        )
    )


def note_read(user_id: int, case_id: int) -> None:
    """After this request: the user has read the case up to now."""
    transaction.afterwards(partial(_upsert, user_id, case_id))
