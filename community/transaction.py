"""One transaction per request, ended in one place: committed once when the request
succeeded, rolled back otherwise (as indico's request handler, `indico/web/rh.py`).

Views and services only change the session; no view commits or rolls back.

What *succeeds* means: the view returned a response with a status below 400 (a page,
a redirect, a download) and nothing in the request called `fail()`. Then the work is
committed once, in `after_request`, before the response leaves; a commit that fails
becomes the 500 page, whose "not saved" is then true. Everything else fails and is
rolled back: an exception, an error status (`abort(404)`, a 400 form error page), or
a refusal signalled with `fail()`.

`fail()` is how a view tells this module that the service refused the change (the
form helpers in `community.formtools` call it for a `DomainError`; it does not have
to raise). The work is rolled back at once, so the page that explains the refusal
shows what is stored rather than the half-done change, and the request stays failed:
nothing it does afterwards is committed.

`afterwards(work)` runs bookkeeping that must never cost the user their page (the
"last seen" note of a session) after the request's own transaction, in a short one
of its own; a lock it cannot get in time is logged and skipped.

Mail rides on the commit: `community.mail` delivers after the request only what a
commit put in the outbox, so a rolled-back change sends nothing. CLI commands and
the worker run outside requests and keep their own commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, g
from sqlalchemy.exc import OperationalError

from community.extensions import db
from community.sqlite import expect_writes

log = logging.getLogger(__name__)

_FAILED = "leerkring_request_failed"
_AFTERWARDS = "leerkring_afterwards"


def fail() -> None:
    """The change this request was for was refused: roll it back now, commit nothing."""
    setattr(g, _FAILED, True)
    db.session.rollback()


def failed() -> bool:
    return bool(g.get(_FAILED))


def afterwards(work: Callable[[], None]) -> None:
    """Run `work` after this request's transaction, in a transaction of its own."""
    g.setdefault(_AFTERWARDS, []).append(work)


def _run_afterwards() -> None:
    jobs: list[Callable[[], None]] = g.pop(_AFTERWARDS, [])
    if jobs:
        expect_writes()
    for work in jobs:
        try:
            work()
            db.session.commit()
        except OperationalError as exc:  # a lock not granted in time: skipped, not an error page
            db.session.rollback()
            log.warning("bookkeeping after the request skipped: %s", exc.orig)


def end_request(response: Response) -> Response:
    """The one place a request's transaction ends (see the module docstring)."""
    if response.status_code < 400 and not failed():
        db.session.commit()
    else:
        db.session.rollback()
    _run_afterwards()
    return response


def init_app(app: Flask) -> None:
    """Register first, so it runs after every other `after_request` function."""
    app.after_request(end_request)
