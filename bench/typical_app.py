"""The typical application: a Flask page of 50 rows as a typical app of the same stack
builds it. The yardstick the case page with 50 contributions is held against.

Flask + Flask-SQLAlchemy (declarative models over Leerkring's own tables, read-only) +
Flask-Login (a `user_loader` that loads the user row from the database on every request)
+ Flask-WTF (a `FlaskForm` comment form with its CSRF token in the page), and one query of
50 rows: the 50 newest visible contributions of a case with their authors' names (a join),
rendered with a base layout and a macro per row (about 28 KB for the bench user's case with
50 contributions). The case itself is looked up first (`get_or_404`), as any detail page
does: three queries per page.

It reads Leerkring's signed session cookie (same SECRET_KEY; `_user_id` is
`<id>:<session_token>:<browser session>`, see `community/models/user.py::get_id`), loads
that user with its `user_loader` and checks the session token and the account's status,
as an application that can end sessions would. It writes nothing: a valid comment is
only acknowledged.

    DATABASE_URL=... SECRET_KEY=... gunicorn -w 2 'bench.typical_app:create_app()'
    GET /cases/<case id>
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from flask import Flask, flash, redirect, render_template, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from bench.reference_app import sqlalchemy_url


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()


class User(UserMixin, db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))
    session_token: Mapped[str] = mapped_column(String(64))

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class Case(db.Model):  # type: ignore[name-defined]
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(12))


class Contribution(db.Model):  # type: ignore[name-defined]
    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    hidden_at: Mapped[datetime | None]


class CommentForm(FlaskForm):
    body = TextAreaField("Reactie", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Plaatsen")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    raw_id, _, rest = user_id.partition(":")
    token = rest.partition(":")[0]
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_token != token or not user.is_active:
        return None
    return user


def create_app(
    database_url: str | None = None,
    secret_key: str | None = None,
    engine_options: dict[str, Any] | None = None,
    session_cookie: str | None = None,
) -> Flask:
    """The app on `database_url` (else $DATABASE_URL), reading the session cookie named
    `session_cookie` (else $SESSION_COOKIE_NAME, else Flask's `session`) signed with
    `secret_key` (else $SECRET_KEY)."""
    app = Flask(__name__, template_folder="typical_templates")
    app.config.update(
        SECRET_KEY=secret_key or os.environ["SECRET_KEY"],
        SESSION_COOKIE_NAME=session_cookie or os.environ.get("SESSION_COOKIE_NAME", "session"),
        SQLALCHEMY_DATABASE_URI=sqlalchemy_url(database_url or os.environ["DATABASE_URL"]),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, **(engine_options or {})},
    )
    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    @app.template_filter("date")
    def date(value: datetime) -> str:
        return value.strftime("%d-%m-%Y %H:%M")

    @app.route("/cases/<int:case_id>", methods=["GET", "POST"])
    @login_required
    def case(case_id: int) -> str | BaseResponse:
        case = db.get_or_404(Case, case_id)
        form = CommentForm()
        if form.validate_on_submit():
            flash("Bedankt voor je reactie.")
            return redirect(url_for("case", case_id=case.id))
        rows = db.session.execute(
            select(Contribution, User.name, User.job_title)
            .outerjoin(User, User.id == Contribution.author_id)
            .where(Contribution.case_id == case.id, Contribution.hidden_at.is_(None))
            .order_by(Contribution.created_at.desc(), Contribution.id.desc())
            .limit(50)
        ).all()
        return render_template("case.html", case=case, rows=rows, form=form)

    @app.route("/people/<int:user_id>")
    @login_required
    def person(user_id: int) -> str:
        return render_template("person.html", person=db.get_or_404(User, user_id))

    @app.route("/")
    @login_required
    def home() -> str:
        return render_template("person.html", person=current_user)

    return app
