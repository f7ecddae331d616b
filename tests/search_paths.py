"""Run a search test on every full-text path: FTS5 on SQLite; RUM and GIN on PostgreSQL.

Import both names into a test module (`from tests.search_paths import
pytest_generate_tests, search_index`) and mark the tests (or the module, `pytestmark`)
with `pytest.mark.usefixtures("search_index")`: each then runs once per path, with
SEARCH_INDEX set to it. The RUM run is skipped, visibly, where the test database has no
`rum` extension (CI installs it, see .ci/run).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "search_index" in metafunc.fixturenames:
        paths = ["rum", "gin"] if metafunc.config.getoption("--postgres") else ["fts"]
        metafunc.parametrize("search_index", paths, indirect=True)


@pytest.fixture
def search_index(request: Any, app: Flask) -> str:
    from community.search import index_choice

    path = str(getattr(request, "param", "fts"))
    if path != "fts":
        app.config["SEARCH_INDEX"] = path  # the app fixture restores the configuration
        with app.app_context():
            index_choice.forget()
            try:
                assert index_choice.choose().index == path
            except index_choice.RumUnavailable:
                pytest.skip("the test database has no rum extension (CREATE EXTENSION rum)")
    return path
