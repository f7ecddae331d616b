"""`flask backup DIR` and `flask restore DIR`: the database and the upload store, with a
manifest of checksums, and back into an empty instance.

PostgreSQL is dumped with `pg_dump --format=custom` (a consistent snapshot while the app
keeps running) and restored with `pg_restore`; SQLite with its online backup API. The
upload store is copied file by file. `manifest.json` lists every file of the backup with
its SHA-256; `restore` checks them all before it touches anything, and refuses a
database that has tables or an upload store that has files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from community.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
UPLOADS = "uploads"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    database: str
    files: int
    uploads: int


def backup(app: Flask, directory: Path) -> Summary:
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: a backup goes into a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        url = db.engine.url
        revision = (
            db.session.scalar(text("SELECT version_num FROM alembic_version"))
            if inspect(db.engine).has_table("alembic_version")
            else None
        )
        extensions = _extensions() if url.get_backend_name() == "postgresql" else []
        db.session.remove()
        if url.get_backend_name() == "postgresql":
            _pg_dump(url, _pg_options(app, url), directory / POSTGRES_DUMP)
        else:
            _sqlite_copy(_sqlite_path(url), directory / SQLITE_COPY)
    uploads = Path(app.config["UPLOAD_DIR"])
    copied = _copy_tree(uploads, directory / UPLOADS) if uploads.is_dir() else 0
    files = {
        str(path.relative_to(directory)): {"sha256": _sha256(path), "size": path.stat().st_size}
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url.get_backend_name(),
        "revision": revision,
        "extensions": extensions,
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return Summary(url.get_backend_name(), len(files), copied)


def restore(app: Flask, directory: Path) -> Summary:
    manifest = _checked_manifest(directory)
    uploads = Path(app.config["UPLOAD_DIR"])
    if uploads.is_dir() and any(path.is_file() for path in uploads.rglob("*")):
        raise BackupError(f"The upload store {uploads} has files: restore into an empty one.")
    with app.app_context():
        url = db.engine.url
        if url.get_backend_name() != manifest["database"]:
            raise BackupError(
                f"The backup is of {manifest['database']}, this instance uses "
                f"{url.get_backend_name()}."
            )
        if inspect(db.engine).get_table_names():
            raise BackupError("The database has tables: restore into an empty database.")
        if url.get_backend_name() == "postgresql":
            missing = sorted(set(manifest.get("extensions", [])) - set(_extensions()))
            if missing:
                names = ", ".join(missing)
                raise BackupError(
                    f"The backup needs the PostgreSQL extensions {names}: a superuser runs "
                    f"CREATE EXTENSION {missing[0]}; (for each) in this database first."
                )
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "postgresql":
            _pg_restore(url, _pg_options(app, url), directory / POSTGRES_DUMP)
        else:
            _sqlite_copy(directory / SQLITE_COPY, _sqlite_path(url))
    copied = _copy_tree(directory / UPLOADS, uploads) if (directory / UPLOADS).is_dir() else 0
    return Summary(url.get_backend_name(), len(manifest["files"]), copied)


def _extensions() -> list[str]:
    """The extensions of the database (only a superuser may create some of them, RUM)."""
    rows = db.session.scalars(text("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"))
    return sorted(rows)


def _checked_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((directory / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {directory}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file() or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} is missing or differs from the manifest: not restored.")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy_tree(source: Path, target: Path) -> int:
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            count += 1
    return count


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while others write."""
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)


def _pg_options(app: Flask, url: URL) -> str:
    """The connection's libpq `options` (e.g. `-csearch_path=…`), from the URL or the
    engine options; '' without."""
    options = url.query.get("options") or (
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    )
    return options if isinstance(options, str) else " ".join(options or ())


def _libpq(url: URL, options: str) -> tuple[str, dict[str, str]]:
    """The database URL for pg_dump/pg_restore (no SQLAlchemy driver), with the password
    and options in the environment rather than on the command line."""
    plain = url.set(drivername="postgresql", password=None, query={})
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    if options:
        env["PGOPTIONS"] = options
    return plain.render_as_string(hide_password=False), env


def _pg_dump(url: URL, options: str, target: Path) -> None:
    address, env = _libpq(url, options)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    schema = re.search(r"search_path=([A-Za-z0-9_]+)", options)
    if schema:  # one schema of a shared database (the tests' schema per worker)
        command.append(f"--schema={schema.group(1)}")
    _run([*command, address], env)


def _pg_restore(url: URL, options: str, source: Path) -> None:
    address, env = _libpq(url, options)
    _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={address}", str(source)], env)


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
