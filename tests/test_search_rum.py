"""Search on PostgreSQL reads the RUM index where the extension is installed, else GIN.

Both give the same results, in the same order, within the same scope: the RUM run and
the fallback run below compare every page, filter and count. The other search tests run
on both paths too (tests/search_paths.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text

from community import create_app, policy, search, search_ddl
from community.config import ConfigurationError
from community.extensions import db as _db
from community.models import SearchDocument, User
from community.search import index_choice
from tests.conftest import TEST_CONFIG, count_queries, make_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = "wadlopersgids"
BEFORE_RUM = "9c4e1f7a2b53"  # the revision before the RUM index


def _postgres(app: Any) -> bool:
    with app.app_context():
        return bool(_db.engine.dialect.name == "postgresql")


@pytest.fixture
def rum(app: Any) -> Iterator[None]:
    """PostgreSQL with the rum extension in the test database (and so the RUM index:
    create_all makes it wherever the extension is, whatever SEARCH_INDEX)."""
    if not _postgres(app):
        pytest.skip("RUM is PostgreSQL's")
    with app.app_context(), _db.engine.connect() as connection:
        if search_ddl.rum_schema(connection) is None:
            pytest.skip("the test database has no rum extension (CREATE EXTENSION rum)")
        assert search_ddl.has_rum_index(connection), "create_all makes the RUM index"
    index_choice.forget()
    yield
    index_choice.forget()


@contextmanager
def rum_index_dropped(app: Any) -> Iterator[None]:
    """The RUM index dropped (as in a database without the extension), made again after."""
    with app.app_context(), _db.engine.begin() as connection:
        search_ddl.drop_rum_index(connection)
    index_choice.forget()
    try:
        yield
    finally:
        with app.app_context(), _db.engine.begin() as connection:
            search_ddl.create_rum_index(connection)
        index_choice.forget()


@pytest.fixture
def archive(app, db, make_community, make_membership, make_user, make_case, make_contribution):
    """A member of two communities, a closed and a left one with the same word, a library
    approach elsewhere: 45 hits for the member, over three pages and two kinds."""
    from community.models import Approach, Case
    from community.models.base import utcnow

    mine, also_mine = make_community(name="Eigen kring"), make_community(name="Tweede kring")
    closed, left = make_community(name="Dichte kring"), make_community(name="Verlaten kring")
    member, outsider = make_user(), make_user()
    make_membership(member, mine)
    make_membership(member, also_mine)
    make_membership(member, left, status="left")
    for community in (closed, left):
        make_membership(outsider, community)
    cases: list[Case] = []
    for n in range(12):
        community = (mine, also_mine, closed, left)[n % 4]
        author = member if community in (mine, also_mine) else outsider
        case = make_case(community, author, title=f"Casus {n} over {WORD}", phase="questions")
        cases.append(case)
        for m in range(6):
            make_contribution(case, author, body=f"Reactie {m}: {WORD} en meer")
    library = Approach(
        community_id=closed.id,
        author_id=outsider.id,
        title=f"Gedeelde aanpak {WORD}",
        summary="s",
        problem="p",
        steps="s",
        scope="library",
        library_approved_at=utcnow(),
    )
    db.session.add(library)
    db.session.commit()
    with app.test_request_context():
        search.reindex_all()
        db.session.commit()
    return {"member": member, "mine": mine, "closed": closed, "left": left, "cases": cases}


def _everything(app: Any, archive: dict[str, Any]) -> dict[str, Any]:
    """Every page, filter and similar-case list the member sees: (document id, kind, object
    id), in the order shown."""
    with app.test_request_context():
        user = _db.session.get(User, archive["member"].id)
        results: dict[str, Any] = {}
        for name, options in {
            "all": {},
            "cases": {"kind": "case"},
            "contributions": {"kind": "contribution"},
            "approaches": {"kind": "approach"},
            "one community": {"community_id": archive["mine"].id},
            "a closed one": {"community_id": archive["closed"].id},
            "a left one": {"community_id": archive["left"].id},
        }.items():
            for page in (1, 2, 3):
                found = search.search(user, WORD, page=page, **options)
                assert found is not None
                results[f"{name} {page}"] = (
                    found.total,
                    found.more,
                    [(d.id, d.kind, d.object_id) for d in found.items],
                )
        results["similar"] = [
            (d.id, d.kind, d.object_id)
            for d in search.similar(user, f"Casus over {WORD}", None, archive["cases"][0].id)
        ]
        stop_words = search.search(user, "de het")
        results["stop words"] = stop_words.total if stop_words else None
        _db.session.remove()
    return results


def test_rum_and_the_gin_fallback_find_the_same_in_the_same_order(app, archive, rum):
    app.config["SEARCH_INDEX"] = "auto"
    with app.app_context():
        assert index_choice.choose().index == "rum"
    with count_queries(app) as statements:
        with_rum = _everything(app, archive)
    assert any("<=|" in s for s in statements), "the RUM path orders inside the index"

    with rum_index_dropped(app):
        with app.app_context():
            assert index_choice.choose().index == "gin"
        with count_queries(app) as statements:
            with_gin = _everything(app, archive)
        assert not any("<=|" in s for s in statements)
        assert any("ORDER BY search_documents.id DESC" in s for s in statements)

    assert with_gin == with_rum
    # What that is: only the member's two communities and the library, newest first.
    total, more, items = with_rum["all 1"]
    assert (total, more, len(items)) == (43, False, 20)  # 6 cases, 36 replies, 1 approach
    assert with_rum["all 3"][2]
    assert len(with_rum["all 3"][2]) == 3
    ids = [i for page in (1, 2, 3) for i, _, _ in with_rum[f"all {page}"][2]]
    assert ids == sorted(ids, reverse=True)  # newest document first, across the pages
    assert len(set(ids)) == 43
    assert with_rum["cases 1"][0] == 6
    assert with_rum["approaches 1"][0] == 1  # the library approach, from a closed community
    assert with_rum["a closed one 1"][0] == 0
    assert with_rum["a left one 1"][0] == 0
    assert with_rum["one community 1"][0] == 21
    assert with_rum["similar"]
    assert with_rum["stop words"] == 0


def test_a_closed_community_stays_closed_on_every_path(app, archive, rum):
    """Nothing of the closed or the left community, whichever index answers."""
    closed = {archive["closed"].id, archive["left"].id}
    with app.app_context():
        foreign = set(
            _db.session.scalars(
                select(SearchDocument.id).where(
                    SearchDocument.community_id.in_(closed), SearchDocument.scope != "library"
                )
            )
        )
    assert foreign
    for setting in ("auto", "gin"):
        app.config["SEARCH_INDEX"] = setting
        with app.test_request_context():
            user = _db.session.get(User, archive["member"].id)
            found = search.search(user, WORD, per_page=1000)
            assert found is not None
            assert found.total == 43
            assert not {d.id for d in found.items} & foreign, setting
            _db.session.remove()


def test_the_ordering_is_read_from_the_rum_index(app, archive, rum):
    """EXPLAIN: the newest matches come from an index scan of the RUM index, ordered by it."""
    from community.search import querying

    app.config["SEARCH_INDEX"] = "auto"
    with app.test_request_context():
        user = _db.session.get(User, archive["member"].id)
        condition = querying._expression(  # the search's own statement
            [querying.Word(w) for w in search.terms(WORD)], policy.search_scope(user), [], []
        )
        statement = querying._matching_ids(condition, 10).compile(_db.engine)
        connection = _db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        explained = connection.exec_driver_sql(f"EXPLAIN {statement}", statement.params)
        plan = "\n".join(row[0] for row in explained)
        _db.session.rollback()
    assert f"Index Scan using {search_ddl.RUM_INDEX}" in plan, plan
    assert "Order By:" in plan, plan
    assert "Sort" not in plan, plan


def test_the_fallback_is_chosen_when_the_index_is_missing_and_made_again(app, runner, rum):
    app.config["SEARCH_INDEX"] = "auto"
    with rum_index_dropped(app):
        with app.app_context():
            assert index_choice.choose().index == "gin"
            app.config["SEARCH_INDEX"] = "rum"  # forced: refused rather than a silent GIN
            index_choice.forget()
            with pytest.raises(index_choice.RumUnavailable):
                index_choice.choose()
            app.config["SEARCH_INDEX"] = "auto"
        # What a DBA runs after CREATE EXTENSION rum: the index, the documents kept.
        result = runner.invoke(args=["search-reindex", "--index-only"])
        assert result.exit_code == 0, result.output
        assert "RUM index present" in result.output
        with app.app_context():
            assert index_choice.choose().index == "rum"
            with _db.engine.connect() as connection:
                assert search_ddl.has_rum_index(connection)
        # Back to gin: the command drops the index, which GIN queries would otherwise
        # meet in the planner (a bitmap scan of the larger RUM index).
        app.config["SEARCH_INDEX"] = "gin"
        result = runner.invoke(args=["search-reindex", "--index-only"])
        assert result.exit_code == 0, result.output
        with app.app_context(), _db.engine.connect() as connection:
            assert not search_ddl.has_rum_index(connection)


def test_the_choice_is_looked_up_once_per_process(app, rum):
    app.config["SEARCH_INDEX"] = "auto"
    with count_queries(app) as statements, app.app_context():
        for _ in range(3):
            assert index_choice.choose().index == "rum"
    assert len([s for s in statements if "pg_extension" in s]) == 1


def test_gin_is_the_setting_that_never_reads_rum(app, rum):
    app.config["SEARCH_INDEX"] = "gin"
    with count_queries(app) as statements, app.app_context():
        assert index_choice.choose() == index_choice.Choice("gin")
    assert statements == []  # not even the look-up


def test_sqlite_searches_fts5_whatever_the_setting(app):
    if _postgres(app):
        pytest.skip("SQLite's")
    app.config["SEARCH_INDEX"] = "rum"
    with app.app_context():
        assert index_choice.choose().index == "fts"
        with _db.engine.begin() as connection:
            assert search_ddl.create_rum_index(connection) is False


def test_gin_is_the_default_and_an_unknown_setting_is_refused_at_start():
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SEARCH_INDEX"] == "gin"  # RUM measured slower: docs/PERFORMANCE.md
    with pytest.raises(ConfigurationError, match="SEARCH_INDEX"):
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SEARCH_INDEX": "x"})


@pytest.mark.parametrize(
    ("extension", "setting"), [("installed", "auto"), ("installed", "gin"), ("absent", "auto")]
)
def test_the_migration_makes_the_rum_index_only_with_the_extension_and_the_setting(
    database_config, tmp_path, monkeypatch, extension, setting
):
    """Upgrade, downgrade and upgrade again, with the extension and as if without it."""
    config = {**database_config, "SEARCH_INDEX": setting}
    postgres = config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    if extension == "absent":
        monkeypatch.setattr(search_ddl, "rum_schema", lambda connection: None)
    schema = None
    if postgres:
        schema = config["TEST_SCHEMA"] + "_rum_migration"
        engine = create_engine(config["SQLALCHEMY_DATABASE_URI"])
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            made = search_ddl.rum_schema(connection) is not None and setting == "auto"
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
    else:
        made = False
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = make_app(config)
    directory = os.path.join(ROOT, "migrations")

    def rum_index() -> bool:
        with _db.engine.connect() as connection:
            return search_ddl.has_rum_index(connection)

    try:
        with app.app_context():
            upgrade(directory=directory)
            assert rum_index() == made
            downgrade(directory=directory, revision=BEFORE_RUM)
            assert not rum_index()
            upgrade(directory=directory)
            assert rum_index() == made
            _db.engine.dispose()
    finally:
        if schema:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            engine.dispose()
