"""Flask commands: seed, demo, create-admin, worker.

The benchmark data (`bench-data`) lives outside the package, in bench/ (bench/app.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app

from community import (
    addresses,
    demo,
    demo_approaches,
    demo_cases,
    demo_meetings,
    mail,
    search,
    search_ddl,
    seed,
)
from community import backup as backups
from community import config as settings
from community.accounts import passwords, services
from community.cases import experts, follow_up
from community.extensions import db
from community.meetings import reminders
from community.models import User
from community.models.base import utcnow
from community.notifications import digest
from community.search import index_choice

log = logging.getLogger(__name__)

FORCE_HELP = "Run even though LEERKRING_ENV is not development (never on a live site)."


def require_development(what: str, force: bool) -> None:
    """Refuse `what` (known accounts and passwords) outside LEERKRING_ENV=development."""
    if settings.is_development(current_app.config):
        return
    environment = current_app.config.get("LEERKRING_ENV") or "production"
    if not force:
        raise click.ClickException(
            f"{what} creates accounts with a publicly known password, so it only runs with "
            f"LEERKRING_ENV=development (here: {environment!r}). On a development machine, "
            "set LEERKRING_ENV=development; to load it here anyway, add --force."
        )
    click.secho(
        f"Warning: loading {what} with LEERKRING_ENV={environment!r} because of --force. "
        "Its accounts have a publicly known password: never do this on a live site.",
        fg="yellow",
        err=True,
    )


@click.command("seed")
def seed_command() -> None:
    """Add the organisations and themes (safe to run again)."""
    organisations = seed.seed_organisations()
    themes = seed.seed_themes()
    db.session.commit()
    click.echo(f"Seeded {organisations} new organisations and {themes} new themes.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when there are no accounts yet.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def demo_command(if_empty: bool, force: bool) -> None:
    """Load the demo accounts, communities, cases, approaches and meetings (password in
    the README).

    Only with LEERKRING_ENV=development (or --force).
    """
    require_development("The demo data", force)
    if if_empty and not demo.database_is_empty():
        click.echo("The database already has accounts; demo data not loaded.")
        return
    seed.seed_organisations()
    seed.seed_themes()
    added = demo.load_demo()
    communities = demo.load_demo_communities()
    cases = demo_cases.load_demo_cases()
    approaches = demo_approaches.load_demo_approaches()
    meetings = demo_meetings.load_demo_meetings()
    search.reindex_all()
    db.session.commit()
    click.echo(
        f"Loaded {added} demo accounts (password: {demo.DEMO_PASSWORD}), "
        f"{communities} demo communities, {cases} demo cases and {approaches} demo approaches."
    )
    click.echo(f"Loaded {meetings} demo meetings.")


@click.command("digest")
@click.option("--period", type=click.Choice(sorted(digest.PERIODS)), required=True)
def digest_command(period: str) -> None:
    """Send the daily or weekly digests that are due, and deliver them."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        sent = digest.send_digests(period)
        db.session.commit()
    mail.deliver_due(app)
    click.echo(f"Sent {sent} {period} digests.")


@click.command("search-reindex")
@click.option(
    "--index-only",
    is_flag=True,
    help="Only make (or drop) the RUM index as SEARCH_INDEX asks; keep the documents.",
)
def search_reindex_command(index_only: bool) -> None:
    """Rebuild the search index from the database. On PostgreSQL, first make the RUM index
    when SEARCH_INDEX is auto or rum and the extension is installed, or drop it for gin."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        if not search_ddl.wanted(current_app.config):
            search_ddl.drop_rum_index(connection)
            click.echo("SEARCH_INDEX=gin: no RUM index; searches read the GIN index.")
        elif search_ddl.create_rum_index(connection):
            click.echo("RUM index present: searches read it (restart the application).")
        else:
            click.echo("No rum extension in this database: searches read the GIN index.")
    count = 0 if index_only else search.reindex_all()
    db.session.commit()
    index_choice.forget()
    if not index_only:
        click.echo(f"Indexed {count} objects.")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", required=True, help="The administrator's full name.")
def create_admin_command(email: str, name: str) -> None:
    """Create an active administrator, or make an existing account one."""
    try:
        address = addresses.check(email)
    except addresses.InvalidAddress as error:
        raise click.ClickException(f"{email!r} is not a valid e-mail address: {error}") from None
    password = os.environ.get("LEERKRING_ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH or passwords.is_common(
        password
    ):
        raise click.ClickException(
            f"The password needs {passwords.MIN_LENGTH} to {passwords.MAX_LENGTH} characters "
            "and may not be a common password."
        )
    user = services.find_user_by_email(address)
    if user is None:
        user = User(name=name, email=address, locale="nl")
        db.session.add(user)
    user.name = name
    user.platform_role = "admin"
    user.status = "active"
    user.password_hash = passwords.hash_password(password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.approved_at = user.approved_at or utcnow()
    user.rotate_session_token()
    db.session.commit()
    click.echo(f"Administrator {user.email} is ready.")


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due once and stop.")
def worker_command(once: bool) -> None:
    """Run the scheduled jobs and deliver the outbox, polling every few seconds."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    while True:
        run_jobs(app)
        delivered = mail.deliver_due(app)
        if delivered:
            click.echo(f"Delivered {delivered} messages.")
        if once:
            return
        db.session.remove()
        time.sleep(app.config["WORKER_POLL_SECONDS"])


def run_jobs(app: Flask) -> None:
    """The scheduled jobs, with links built for `BASE_URL`; a failing job is logged and skipped."""
    jobs = (
        ("overdue expert requests", experts.notify_overdue),
        ("follow-up requests", follow_up.request_follow_ups),
        ("meeting reminders", reminders.send_reminders),
        ("daily digests", lambda: digest.send_digests("daily")),
        ("weekly digests", lambda: digest.send_digests("weekly")),
    )
    for name, job in jobs:
        with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
            try:
                done = job()
                db.session.commit()
            except Exception:  # keep delivering mail whatever a job does
                db.session.rollback()
                log.exception("the job %s failed", name)
                continue
        if done:
            click.echo(f"Handled {done} {name}.")


@click.command("backup")
@click.argument("directory", type=click.Path(path_type=Path))
def backup_command(directory: Path) -> None:
    """Back up the database and the upload store into DIRECTORY (new or empty)."""
    summary = _backup_step(backups.backup, directory)
    click.echo(
        f"Backed up the {summary.database} database and {summary.uploads} uploaded files "
        f"into {directory} ({summary.files} files in the manifest)."
    )


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(directory: Path) -> None:
    """Restore a backup from DIRECTORY into this instance's empty database and upload store."""
    summary = _backup_step(backups.restore, directory)
    click.echo(
        f"Restored the {summary.database} database and {summary.uploads} uploaded files "
        f"from {directory}."
    )


def _backup_step(
    step: Callable[[Flask, Path], backups.Summary], directory: Path
) -> backups.Summary:
    """Run a backup or restore for this app; a refusal is the command's error message."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        return step(app, directory)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error


@click.command("jobs")
def jobs_command() -> None:
    """Run the scheduled jobs once (for cron) and deliver what they queued."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_jobs(app)
    mail.deliver_due(app)


def init_app(app: Flask) -> None:
    for command in (
        seed_command,
        demo_command,
        create_admin_command,
        worker_command,
        jobs_command,
        search_reindex_command,
        digest_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)
