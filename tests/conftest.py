"""Fixtures: app -> client/runner/db, factories, login through the real form, query counting."""

from __future__ import annotations

import contextvars
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage
from itertools import count
from typing import Any

import pyotp
import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ["LEERKRING_INSTANCE"] = tempfile.mkdtemp(prefix="leerkring-test-instance-")

from community import create_app  # noqa: E402
from community.extensions import db as _db  # noqa: E402
from community.extensions import limiter  # noqa: E402
from community.mail import sent_messages  # noqa: E402
from community.models import Organisation, OrganisationDomain, Theme, User  # noqa: E402
from community.models.base import utcnow  # noqa: E402
from tests.smtp_server import SMTPServer  # noqa: E402

PASSWORD = "a-long-and-unusual-passphrase"

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "MAIL_BACKEND": "memory",
    # Production's delivery: the request only queues mail, the worker sends it. Tests
    # read delivered mail through the `outbox` fixture, which runs the worker first.
    "MAIL_DELIVERY": "worker",
    "RATELIMIT_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    # Production's settings: behind TLS (the test client speaks https, cookies are
    # Secure) and staff must sign in with two-step verification. Only the tests about
    # switching one of these off turn it off.
    "BASE_URL": "https://leerkring.test",
    "PREFERRED_URL_SCHEME": "https",
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
    "REQUIRE_2FA_FOR_STAFF": True,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        help="run against PostgreSQL at TEST_DATABASE_URL (a schema per xdist worker)",
    )


def _psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@pytest.fixture(scope="session")
def database_config(request: pytest.FixtureRequest, worker_id: str) -> Iterator[dict[str, Any]]:
    """SQLite in memory by default; with --postgres, one schema per worker, made once."""
    if not request.config.getoption("--postgres"):
        yield {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
        return
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        pytest.exit("--postgres needs TEST_DATABASE_URL", returncode=2)
    url = _psycopg_url(raw)
    schema = f"test_{worker_id}".replace("-", "_")
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "connect_args": {"options": f"-csearch_path={schema}"},
            "pool_pre_ping": True,
        },
        "TEST_SCHEMA": schema,
    }
    app = create_app({**TEST_CONFIG, **config})
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()
    yield config
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own context, as in production.

    Without this, Flask reuses the test's app context for every request, so `g`
    (and Flask-Login's cached user) and the database session would leak from one
    request into the next. Afterwards the test's own session is expired, so what
    the test reads next comes fresh from the database.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            # End the test's own transaction first: in-memory SQLite shares one
            # connection, and a request must be able to BEGIN on it.
            _db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole test process (Jinja's public cache API).

    Every test gets an app of its own; without this, each would compile the same
    templates again, which was a third of the suite's time.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = SharedBytecodeCache()


def make_app(database_config: dict[str, Any], **overrides: Any) -> Flask:
    app = create_app({**TEST_CONFIG, **database_config, **overrides})
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = _BYTECODE
    return app


@contextmanager
def database(app: Flask) -> Iterator[None]:
    """A clean database for one test: create (SQLite) or truncate afterwards (PostgreSQL)."""
    with app.app_context():
        postgres = _db.engine.dialect.name == "postgresql"
        if not postgres:
            _db.create_all()
        try:
            yield
        finally:
            _db.session.remove()
            if postgres:
                tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
                with _db.engine.begin() as connection:
                    connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            else:
                _db.drop_all()
            _db.engine.dispose()


@pytest.fixture(scope="session")
def _shared_app(database_config: dict[str, Any]) -> Flask:
    """One app per test process: building it (blueprints, compiled SQL and templates)
    was most of what a short test cost. Each test still gets a fresh database and the
    app's configuration as it was (see `app`)."""
    return make_app(database_config)


@pytest.fixture
def app(_shared_app: Flask) -> Iterator[Flask]:
    config = dict(_shared_app.config)
    # The limiter is one object for every app of the process: a test that built an app with
    # limits on (RATELIMIT_ENABLED) left it on; the shared app has them off.
    limiter.enabled = bool(config["RATELIMIT_ENABLED"])
    try:
        with database(_shared_app):
            yield _shared_app
    finally:
        # What a test changed in the configuration or the delivered mail stays with it.
        _shared_app.config.clear()
        _shared_app.config.update(config)
        sent_messages(_shared_app).clear()


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


class Mailbox(Sequence[EmailMessage]):
    """What the in-memory mail backend received, read after the worker ran.

    Every read first delivers what is due (`mail.deliver_due`, as `flask worker`
    does), so a test sees the mail its requests queued, delivered outside them.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app

    def _delivered(self) -> list[EmailMessage]:
        from community import mail

        mail.deliver_due(self._app, limit=10_000)
        return sent_messages(self._app)

    def __getitem__(self, index: Any) -> Any:
        return self._delivered()[index]

    def __len__(self) -> int:
        return len(self._delivered())

    def __eq__(self, other: object) -> bool:
        return list(self._delivered()) == other

    __hash__ = None  # type: ignore[assignment]

    def clear(self) -> None:
        self._delivered().clear()


@pytest.fixture
def outbox(app: Flask) -> Mailbox:
    """Messages delivered by the in-memory mail backend (the worker runs on each read)."""
    return Mailbox(app)


_sequence = count(1)


@pytest.fixture
def make_organisation(app: Flask) -> Callable[..., Organisation]:
    def factory(**overrides: Any) -> Organisation:
        n = next(_sequence)
        domains = overrides.pop("domains", [f"org{n}.example"])
        organisation = Organisation(
            name=overrides.pop("name", f"Gemeente {n}"),
            slug=overrides.pop("slug", f"gemeente-{n}"),
            kind=overrides.pop("kind", "gemeente"),
            **overrides,
        )
        organisation.domains = [OrganisationDomain(domain=d) for d in domains]
        _db.session.add(organisation)
        _db.session.commit()
        return organisation

    return factory


@pytest.fixture
def make_theme(app: Flask) -> Callable[..., Theme]:
    def factory(**overrides: Any) -> Theme:
        n = next(_sequence)
        theme = Theme(
            slug=overrides.pop("slug", f"thema-{n}"),
            pillar=overrides.pop("pillar", "Fysiek"),
            name_nl=overrides.pop("name_nl", f"Thema {n}"),
            name_en=overrides.pop("name_en", f"Theme {n}"),
            **overrides,
        )
        _db.session.add(theme)
        _db.session.commit()
        return theme

    return factory


@pytest.fixture
def make_user(app: Flask, make_organisation: Callable[..., Organisation]) -> Callable[..., User]:
    from community.accounts.passwords import hash_password

    password_hash = hash_password(PASSWORD)

    def factory(**overrides: Any) -> User:
        n = next(_sequence)
        confirmed = overrides.pop("confirmed", True)
        password = overrides.pop("password", None)
        if overrides.get("platform_role") == "admin":
            # Staff use two-step verification, as production requires; pass
            # totp_secret=None for an administrator who has not set it up.
            overrides.setdefault("totp_secret", pyotp.random_base32())
        user = User(
            name=overrides.pop("name", f"Gebruiker {n}"),
            email=overrides.pop("email", f"user{n}@org.example"),
            organisation=overrides.pop("organisation", None) or make_organisation(),
            job_title=overrides.pop("job_title", "Beleidsadviseur"),
            platform_role=overrides.pop("platform_role", "member"),
            status=overrides.pop("status", "active"),
            locale=overrides.pop("locale", "nl"),
            password_hash=hash_password(password) if password else password_hash,
            email_confirmed_at=utcnow() if confirmed else None,
            **overrides,
        )
        _db.session.add(user)
        _db.session.commit()
        return user

    return factory


def add_active_user(email: str, **overrides: Any) -> User:
    """Store an active, confirmed account (for tests that build their own app)."""
    from community.accounts.passwords import hash_password

    user = User(
        name=overrides.pop("name", "Actieve Gebruiker"),
        email=email,
        password_hash=hash_password(PASSWORD),
        status="active",
        email_confirmed_at=utcnow(),
        **overrides,
    )
    _db.session.add(user)
    _db.session.commit()
    return user


def login(
    client: FlaskClient,
    email: str,
    password: str = PASSWORD,
    *,
    second_factor: bool = True,
    **extra: Any,
) -> Any:
    """Log in through the real form, and through the code step for users with 2FA.

    The code comes from the user's TOTP secret, as an authenticator app would make it.
    A code works once per 30-second step (replay protection, tested in
    test_two_factor.py); so that a test may log in one user several times within a
    step, the helper forgets the last used step first. `second_factor=False` stops at
    the code step.
    """
    response = client.post("/login", data={"email": email, "password": password, **extra})
    if not second_factor or response.headers.get("Location") != "/login/code":
        return response
    user = _db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    assert user.totp_secret, email
    user.totp_last_step = None
    _db.session.commit()
    return client.post("/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})


@pytest.fixture
def logged_in(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User]:
    def factory(**overrides: Any) -> User:
        user = make_user(**overrides)
        response = login(client, user.email)
        assert response.status_code == 302, response.data
        return user

    return factory


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = _db.engine

    def _record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


def database_url_for_migrations(database_config: dict[str, Any]) -> str:
    return str(make_url(database_config["SQLALCHEMY_DATABASE_URI"]))


@pytest.fixture
def make_community(app: Flask) -> Callable[..., Any]:
    from community.markdown import render
    from community.models import Community

    def factory(**overrides: Any) -> Community:
        n = next(_sequence)
        description = overrides.pop("description", f"Beschrijving van leergemeenschap {n}.")
        community = Community(
            name=overrides.pop("name", f"Leergemeenschap {n}"),
            slug=overrides.pop("slug", f"leergemeenschap-{n}"),
            description=description,
            description_html=render(description),
            summary=description[:200],
            visibility=overrides.pop("visibility", "closed"),
            method=overrides.pop("method", "incident"),
            **overrides,
        )
        _db.session.add(community)
        _db.session.commit()
        return community

    return factory


@pytest.fixture
def make_membership(app: Flask) -> Callable[..., Any]:
    from community.models import Membership

    def factory(
        user: User,
        community: Any,
        role: str = "member",
        status: str = "active",
        *,
        second_factor: bool = True,
        **overrides: Any,
    ) -> Membership:
        if status == "invited":
            overrides.setdefault("invitation_expires_at", utcnow() + timedelta(days=14))
        if role == "moderator" and second_factor and user.totp_secret is None:
            user.totp_secret = pyotp.random_base32()  # moderators are staff: 2FA
        membership = Membership(
            user_id=user.id, community_id=community.id, role=role, status=status, **overrides
        )
        _db.session.add(membership)
        _db.session.commit()
        return membership

    return factory


@pytest.fixture
def make_case(app: Flask) -> Callable[..., Any]:
    from community.markdown import render
    from community.models import Case

    def factory(community: Any, author: User, **overrides: Any) -> Case:
        n = next(_sequence)
        phase = overrides.pop("phase", "questions")
        fields = {
            "title": overrides.pop("title", f"Casus {n}"),
            "context": overrides.pop("context", f"Wat er speelt in casus {n}."),
            "question": overrides.pop("question", f"De hulpvraag van casus {n}?"),
        }
        case = Case(
            community_id=community.id,
            author_id=author.id,
            organisation_id=author.organisation_id,
            phase=phase,
            published_at=None if phase == "draft" else utcnow(),
            **{name: value for name, value in fields.items()},
            **{f"{name}_html": render(value) for name, value in fields.items() if name != "title"},
            **overrides,
        )
        _db.session.add(case)
        _db.session.commit()
        return case

    return factory


@pytest.fixture
def make_contribution(app: Flask) -> Callable[..., Any]:
    from community.markdown import render
    from community.models import Contribution

    def factory(case: Any, author: User, kind: str = "comment", **overrides: Any) -> Contribution:
        body = overrides.pop("body", f"Bijdrage {next(_sequence)}")
        contribution = Contribution(
            case_id=case.id,
            author_id=author.id,
            kind=kind,
            phase=overrides.pop("phase", case.phase),
            body=body,
            body_html=render(body),
            **overrides,
        )
        _db.session.add(contribution)
        _db.session.commit()
        return contribution

    return factory


@pytest.fixture
def make_meeting(app: Flask) -> Callable[..., Any]:
    from community.models import Meeting

    def factory(community: Any, **overrides: Any) -> Meeting:
        starts = overrides.pop("starts_at", utcnow() + timedelta(days=7))
        meeting = Meeting(
            community_id=community.id,
            title=overrides.pop("title", f"Bijeenkomst {next(_sequence)}"),
            starts_at=starts,
            ends_at=overrides.pop("ends_at", starts + timedelta(hours=3)),
            **overrides,
        )
        _db.session.add(meeting)
        _db.session.commit()
        return meeting

    return factory


@pytest.fixture
def smtp(app: Flask) -> Iterator[SMTPServer]:
    """A real SMTP server on loopback, and the app delivering to it."""
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    try:
        yield server
    finally:
        server.stop()
