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


def _queue_world(
    n: int,
    make_user: Any,
    make_community: Any,
    make_membership: Any,
    make_case: Any,
    make_contribution: Any,
) -> Any:
    """An administrator who moderates two communities, with `n` items in every section
    of the review queue (flags on cases, contributions and approaches)."""
    from community.extensions import db
    from community.models import Approach, Flag
    from community.models.base import utcnow

    boss = make_user(platform_role="admin")
    for _c in range(2):
        community = make_community()
        make_membership(boss, community, role="moderator")
        author = make_user()
        make_membership(author, community)
        case = make_case(community, author)
        for i in range(n):
            make_membership(make_user(), community, status="requested", motivation="Graag")
            held = make_contribution(case, author, body=f"Wacht {i}")
            held.pending_review = True
            approach = Approach(
                community_id=community.id,
                author_id=author.id,
                title=f"Aanpak {i}",
                library_requested_at=utcnow(),
            )
            db.session.add(approach)
            db.session.flush()
            reporter = make_user()
            make_membership(reporter, community)
            other = make_case(community, author)
            said = make_contribution(case, author, body=f"Gemeld {i}")
            for target_type, target_id in (
                ("case", other.id),
                ("contribution", said.id),
                ("approach", approach.id),
            ):
                db.session.add(
                    Flag(
                        reporter_id=reporter.id,
                        community_id=community.id,
                        target_type=target_type,
                        target_id=target_id,
                        reason="other",
                    )
                )
            make_user(status="pending")
        db.session.commit()
    return boss


def test_the_review_queue_runs_the_same_bounded_number_of_queries_at_two_sizes(
    app, make_user, make_community, make_membership, make_case, make_contribution
):
    counts = []
    for n in (1, 12):  # under and over the overview's cap of 10 per section
        boss = _queue_world(
            n, make_user, make_community, make_membership, make_case, make_contribution
        )
        client = app.test_client()
        login(client, boss.email)
        sizes = []
        for path in ("/moderation", "/moderation?section=flags", "/moderation?section=held"):
            client.get(path)
            with count_queries(app) as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            html = response.get_data(as_text=True)
            assert "Hier wacht niets." not in html  # every section has its items
            sizes.append(len(statements))
        counts.append(sizes)
        from community.extensions import db
        from community.models import User

        db.session.get(User, boss.id).status = "suspended"  # the next world's admin only
        db.session.commit()
    print(f"\nreview queue: {counts}")
    assert counts[0] == counts[1], counts
    assert all(count <= MAX_QUERIES for count in counts[1]), counts
