"""`upgrade head` gives the same schema as the models."""

from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from community.extensions import db
from community.search_ddl import is_index_object
from tests.conftest import make_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_upgrade_head_matches_the_models(database_config, tmp_path):
    config = dict(database_config)
    schema = None
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        schema = config["TEST_SCHEMA"] + "_migrations"
        engine = create_engine(config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = make_app(config)
    try:
        with app.app_context():
            upgrade(directory=os.path.join(ROOT, "migrations"))
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection,
                    opts={
                        "compare_type": True,
                        "compare_server_default": True,
                        "include_object": lambda obj, name, type_, *rest: (
                            not is_index_object(name, type_)
                        ),
                    },
                )
                diff = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert diff == []
    finally:
        if schema:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
