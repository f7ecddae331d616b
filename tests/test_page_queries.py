"""Every key page runs the same, bounded number of SQL queries at two data sizes.

The data comes from the benchmark generator (`flask bench-data`), so these are the
pages and the user the load runner measures (see docs/PERFORMANCE.md). No timings:
only query counts and what the pages show.
"""

from __future__ import annotations

import re
from typing import Any

from bench import benchdata
from bench.benchdata.scales import BENCH_EMAIL, BENCH_PASSWORD
from tests.conftest import count_queries, database, login, make_app

MAX_QUERIES = 12


def _measure(database_config: dict[str, Any], scale: str) -> dict[str, int]:
    app = make_app(database_config)
    with database(app):
        with app.test_request_context():
            data = benchdata.generate(scale, report=lambda _line: None)
        client = app.test_client()
        login(client, BENCH_EMAIL, BENCH_PASSWORD)
        counts = {}
        for name, path in data["pages"].items():
            assert path, name
            client.get(path)  # the first visit of a page may register the browser
            with count_queries(app) as statements:
                response = client.get(path)
            assert response.status_code == 200, (scale, name)
            html = response.get_data(as_text=True)
            if name.startswith("case_"):  # all of the case's contributions, on one page
                shown = len(re.findall(r'<article class="contribution ', html))
                assert shown == int(name.removeprefix("case_")), (scale, name, shown)
            counts[name] = len(statements)
        return counts


def test_key_pages_run_the_same_bounded_number_of_queries_at_two_sizes(database_config):
    tiny = _measure(database_config, "tiny")
    small = _measure(database_config, "small")
    assert set(tiny) == {
        "home",
        "directory",
        "community",
        "case_50",
        "case_200",
        "library",
        "approach",
        "notifications",
        "search_2",
        "search_5",
    }
    assert all(count <= MAX_QUERIES for count in small.values()), small
    assert tiny == small
