"""Search benchmark: `community.search.search` + the first result page on a large database.

Not a test: a standalone script that builds a fresh database (a temporary SQLite file,
or a dedicated PostgreSQL schema that is dropped afterwards), bulk-loads realistic
Dutch data with core inserts, and times what the search page does per request:
`search(user, q)` plus `paginate(statement, 20)` (the first 20 rows and a count).

    .venv/bin/python bench/search_bench.py --backend sqlite
    TEST_DATABASE_URL=postgresql://... .venv/bin/python bench/search_bench.py --backend postgresql

See docs/PERFORMANCE.md for the figures and what they mean.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text

from community import create_app, search
from community.extensions import db
from community.models import (
    Case,
    Community,
    Contribution,
    Membership,
    Organisation,
    SearchDocument,
    Theme,
    User,
)
from community.pagination import paginate

BATCH = 5000
PER_PAGE = 20  # as the search view
COMMUNITIES = 10
MEMBER_OF = 6  # the measuring user's active memberships
USERS = 200
CASES = 2000
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

# Words -------------------------------------------------------------------------


def _words(block: str) -> list[str]:
    return block.split()


# Ordered from frequent to infrequent: word n is drawn with weight 1 / (n + 1) ** ZIPF.
ZIPF = 0.9

NOUNS = _words(
    """
gemeente leegstand wijkteam corporatie aanloopstraat schuldhulpverlening buurt bewoner
ondernemer pand eigenaar huurder wijk binnenstad winkelstraat vastgoed samenwerking aanpak
jongerenwerk welzijn mantelzorg jeugdzorg jeugdhulp bijstand uitkering schulden armoede
minimabeleid inkomen werkgever werkzoekende statushouder inburgering taalcursus vrijwilliger
vereniging sportclub school onderwijs kinderopvang gezin ouder jongere oudere eenzaamheid
dementie huisarts ggz veiligheid overlast ondermijning handhaving boa toezicht politie camera
verlichting groen park plein speeltuin fietspad parkeren parkeerplaats verkeer mobiliteit
bereikbaarheid bus station stationsgebied bedrijventerrein detailhandel horeca markt evenement
cultuur bibliotheek buurthuis wijkcentrum ontmoetingsplek energietransitie warmtenet isolatie
zonnepanelen klimaatadaptatie hittestress wateroverlast riolering duurzaamheid afval
herstructurering renovatie sloop nieuwbouw woningbouw woningtekort starter doorstroming
huurprijs koopwoning huurwoning woonzorg transformatie kantoorpand bestemmingsplan omgevingsplan
omgevingsvisie omgevingswet vergunning leges subsidie begroting budget bezuiniging gemeenteraad
raadslid wethouder college burgemeester ambtenaar beleidsmedewerker projectleider
programmamanager regisseur plan programma pilot experiment evaluatie monitor indicator dashboard
data privacy convenant netwerk partner zorgaanbieder zorgverzekeraar provincie rijk ministerie
regio woondeal leefbaarheid cohesie participatie inspraak draagvlak bewonersinitiatief
burgerpanel enquete klankbordgroep werksessie bijeenkomst gesprek keukentafelgesprek casus
knelpunt oplossing resultaat ervaring advies expertise kennis opgave prioriteit doelgroep
wachtlijst toegang loket frontlijn huisbezoek vroegsignalering betalingsachterstand
energiearmoede woonlasten huurachterstand ontruiming dakloosheid opvang beschermd wonen
uitstroom dagbesteding werkplaats leerbedrijf stage arbeidsmarkt
"""
)

VERBS = _words(
    """
versterkt verbetert onderzoekt bespreekt ondersteunt vraagt organiseert financiert begeleidt
verbindt activeert signaleert voorkomt vermindert vergroot stimuleert coordineert evalueert
monitort realiseert ontwikkelt herziet betrekt informeert adviseert regelt beperkt bundelt
versnelt vertraagt verandert bepaalt ervaart waardeert herkent benut deelt opent sluit
verplaatst vernieuwt beheert handhaaft
"""
)

ADJECTIVES = _words(
    """
sociale fysieke lokale regionale landelijke integrale structurele tijdelijke nieuwe bestaande
kwetsbare betaalbare duurzame veilige leefbare gezonde actieve lastige complexe succesvolle
gezamenlijke praktische concrete heldere stevige kleinschalige grootschalige flexibele
preventieve outreachende wijkgerichte resultaatgerichte domeinoverstijgende meerjarige
haalbare toegankelijke zichtbare onzichtbare financiele juridische bestuurlijke ambtelijke
maatschappelijke economische
"""
)

ADVERBS = _words(
    """
sterk nauwelijks steeds vaak soms structureel tijdelijk vooral direct samen langzaam snel
voorzichtig zichtbaar nadrukkelijk opnieuw eerder later beter meestal
"""
)

PREPOSITIONS = _words("voor met naast binnen rond tussen na bij zonder tegen")

# Each of these in roughly one document in two thousand.
RARE = _words(
    """
knarrenhof voedselbos repaircafe buurtbatterij kangoeroewoning zwerfafvalcoach
skaeveboliger tozoregeling
"""
)
RARE_RATE = 0.0005

TEMPLATES = [
    "De {n} in de {n} {v} {d} de {a} {n}.",
    "Wij {v} met de {n} en de {n} aan een {a} {n}.",
    "Hoe {v} jullie de {n} {p} {a} {n}?",
    "Het {n} van de {n} is {d} {a}, zeker voor de {n}.",
    "In onze {n} {v} de {n} samen met de {n} en het {n}.",
    "Volgens de {n} {v} de {n} {d} {p} de {n}.",
    "Een {a} {n} {v} ook de {n} en de {n}.",
    "Onze ervaring: {n} en {n} werken alleen met een {a} {n}.",
    "Wie heeft ervaring met {a} {n} {p} de {n}?",
    "De {n} {v} {d}; de {n} en de {n} blijven een {a} {n}.",
]
RARE_SENTENCE = "We hebben ook gekeken naar het {r} in de {n}."

QUERIES: list[tuple[str, str]] = [
    ("common", "leegstand"),
    ("common", "wijkteam"),
    ("common", "corporatie"),
    ("common", "schuldhulpverlening"),
    ("rare", "knarrenhof"),
    ("rare", "voedselbos"),
    ("rare", "buurtbatterij"),
    ("rare", "kangoeroewoning"),
    ("two-word", "leegstand aanloopstraat"),
    ("two-word", "wijkteam schuldhulpverlening"),
    ("two-word", "corporatie renovatie"),
    ("two-word", "leegstand knarrenhof"),
    ("no-hit", "zeppelinhaven"),
    ("no-hit", "walvisbrug"),
    ("no-hit", "quantumfiets"),
    ("no-hit", "xylofoonbeleid"),
]
CATEGORIES = ["common", "rare", "two-word", "no-hit"]


class Text:
    """Dutch-like sentences from the word lists, deterministic for a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools = {
            "n": (NOUNS, self._weights(NOUNS)),
            "v": (VERBS, self._weights(VERBS)),
            "a": (ADJECTIVES, self._weights(ADJECTIVES)),
            "d": (ADVERBS, self._weights(ADVERBS)),
            "p": (PREPOSITIONS, self._weights(PREPOSITIONS)),
        }

    @staticmethod
    def _weights(words: list[str]) -> list[float]:
        total = 0.0
        cumulative = []
        for n in range(len(words)):
            total += 1 / (n + 1) ** ZIPF
            cumulative.append(total)
        return cumulative

    def _fill(self, template: str) -> str:
        parts = template.split("{")
        out = [parts[0]]
        for part in parts[1:]:
            key, rest = part[0], part[2:]
            if key == "r":
                word = self.rng.choice(RARE)
            else:
                words, weights = self.pools[key]
                word = self.rng.choices(words, cum_weights=weights)[0]
            out.append(word + rest)
        sentence = "".join(out)
        return sentence[0].upper() + sentence[1:]

    def sentence(self) -> str:
        return self._fill(self.rng.choice(TEMPLATES))

    def paragraph(self, low: int, high: int) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < RARE_RATE * len(RARE):
            sentences.insert(self.rng.randrange(len(sentences) + 1), self._fill(RARE_SENTENCE))
        return " ".join(sentences)

    def title(self) -> str:
        noun = self.pools["n"][0]
        weights = self.pools["n"][1]
        first, second = self.rng.choices(noun, cum_weights=weights, k=2)
        adjective = self.rng.choice(ADJECTIVES)
        return f"{first.capitalize()} en {adjective} {second}: wat werkt?"


# Database ------------------------------------------------------------------------


def _psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


@contextmanager
def fresh_database(backend: str, database_url: str | None) -> Iterator[dict[str, Any]]:
    """App config for an empty database, removed again afterwards."""
    workdir = tempfile.mkdtemp(prefix="leerkring-bench-")
    os.environ["LEERKRING_INSTANCE"] = os.path.join(workdir, "instance")
    try:
        if backend == "sqlite":
            path = os.path.join(workdir, "bench.sqlite3")
            yield {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "BENCH_SQLITE_PATH": path}
            return
        raw = database_url or os.environ.get("TEST_DATABASE_URL")
        if not raw:
            raise SystemExit("--backend postgresql needs --database-url or TEST_DATABASE_URL")
        url = _psycopg_url(raw)
        schema = f"bench_search_{os.getpid()}"
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield {
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {
                    "connect_args": {"options": f"-csearch_path={schema}"},
                    "pool_pre_ping": True,
                },
                "BENCH_SCHEMA": schema,
            }
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])
    db.session.commit()


def _when(rng: random.Random) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))


def load(rng: random.Random, contributions: int) -> int:
    """Insert the data set; returns the measuring user's id."""
    words = Text(rng)
    kinds = ["gemeente", "gemeente", "woningcorporatie", "zorgaanbieder"]
    organisations = [
        {"id": i, "name": f"Organisatie {i}", "slug": f"organisatie-{i}", "kind": kinds[i % 4]}
        for i in range(1, 9)
    ]
    _bulk(Organisation, organisations)
    themes = [
        {
            "id": i,
            "slug": f"thema-{i}",
            "pillar": "Sociaal",
            "name_nl": f"Thema {i}",
            "name_en": f"Theme {i}",
        }
        for i in range(1, 7)
    ]
    _bulk(Theme, themes)
    users = [
        {
            "id": i,
            "name": f"Gebruiker {i}",
            "email": f"gebruiker{i}@organisatie{i % 8 + 1}.example",
            "organisation_id": i % 8 + 1,
            "status": "active",
            "password_hash": "!unusable",
            "email_confirmed_at": NOW,
        }
        for i in range(1, USERS + 1)
    ]
    _bulk(User, users)
    communities = [
        {
            "id": i,
            "name": f"Leergemeenschap {i}",
            "slug": f"leergemeenschap-{i}",
            "description": words.sentence(),
            "description_html": "",
            # The last two are secret; the measuring user is in neither (nor in 7 and 8).
            "visibility": "secret" if i > COMMUNITIES - 2 else "closed",
            "method": "incident",
            "theme_id": i % 6 + 1,
        }
        for i in range(1, COMMUNITIES + 1)
    ]
    _bulk(Community, communities)

    measuring_user = 1
    memberships = []
    for user_id in range(1, USERS + 1):
        if user_id == measuring_user:
            chosen = list(range(1, MEMBER_OF + 1))
        else:
            chosen = rng.sample(range(1, COMMUNITIES + 1), rng.randint(2, 5))
        for community_id in chosen:
            status = "active"
            if user_id != measuring_user and rng.random() < 0.1:
                status = rng.choice(["requested", "left", "removed"])
            memberships.append(
                {
                    "user_id": user_id,
                    "community_id": community_id,
                    "role": "moderator" if rng.random() < 0.05 else "member",
                    "status": status,
                }
            )
    _bulk(Membership, memberships)

    cases = []
    documents = []
    case_info: list[tuple[int, int, str, str]] = []
    for case_id in range(1, CASES + 1):
        community_id = (case_id - 1) % COMMUNITIES + 1
        theme_id = rng.randint(1, 6)
        created = _when(rng)
        title = words.title()
        context, question = words.paragraph(2, 5), words.paragraph(1, 2)
        tried, stakeholders = words.paragraph(1, 3), words.paragraph(1, 2)
        phase = rng.choice(["questions", "advice", "reflection", "closed"])
        cases.append(
            {
                "id": case_id,
                "community_id": community_id,
                "author_id": rng.randint(1, USERS),
                "theme_id": theme_id,
                "title": title,
                "context": context,
                "context_html": f"<p>{html.escape(context)}</p>",
                "question": question,
                "question_html": f"<p>{html.escape(question)}</p>",
                "tried": tried,
                "stakeholders": stakeholders,
                "phase": phase,
                "created_at": created,
                "published_at": created,
                "updated_at": created,
                "last_activity_at": created,
            }
        )
        documents.append(
            {
                "id": case_id,
                "kind": "case",
                "object_id": case_id,
                "community_id": community_id,
                "scope": "community",
                "theme_id": theme_id,
                "case_id": case_id,
                "title": title,
                "body": "\n".join([context, question, tried, stakeholders, "", ""]),
                "updated_at": created,
            }
        )
        case_info.append((community_id, theme_id, title, phase))
    _bulk(Case, cases)
    _bulk(SearchDocument, documents)
    progress(f"  {CASES} cases")

    kinds_of_contribution = ["question", "answer", "advice", "expert_advice", "reflection"]
    for start in range(1, contributions + 1, BATCH):
        rows = []
        documents = []
        for contribution_id in range(start, min(start + BATCH, contributions + 1)):
            case_id = int(CASES * rng.random() ** 1.5) + 1  # some cases are much busier
            community_id, theme_id, title, phase = case_info[case_id - 1]
            body = words.paragraph(1, 6)
            created = _when(rng)
            rows.append(
                {
                    "id": contribution_id,
                    "case_id": case_id,
                    "author_id": rng.randint(1, USERS),
                    "kind": rng.choice(kinds_of_contribution),
                    "phase": phase,
                    "body": body,
                    "body_html": f"<p>{html.escape(body)}</p>",
                    "created_at": created,
                }
            )
            documents.append(
                {
                    "id": CASES + contribution_id,
                    "kind": "contribution",
                    "object_id": contribution_id,
                    "community_id": community_id,
                    "scope": "community",
                    "theme_id": theme_id,
                    "case_id": case_id,
                    "title": title,
                    "body": body + "\n",
                    "updated_at": created,
                }
            )
        db.session.execute(insert(Contribution), rows)
        db.session.execute(insert(SearchDocument), documents)
        db.session.commit()
        progress(f"  {min(start + BATCH - 1, contributions)} contributions")
    return measuring_user


def analyze() -> None:
    """Planner statistics, as autovacuum / a maintenance job would have them in production."""
    if db.engine.dialect.name == "postgresql":
        tables = "search_documents, contributions, cases, memberships, users, communities"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM ANALYZE {tables}")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def counts() -> dict[str, int]:
    result = {}
    for name, model in [
        ("organisations", Organisation),
        ("users", User),
        ("communities", Community),
        ("memberships", Membership),
        ("cases", Case),
        ("contributions", Contribution),
        ("search_documents", SearchDocument),
    ]:
        result[name] = db.session.scalar(select(func.count()).select_from(model)) or 0
    if db.engine.dialect.name == "postgresql":
        indexed = select(func.count()).select_from(SearchDocument).where(text("tsv IS NOT NULL"))
    else:
        indexed = select(func.count()).select_from(text("search_fts"))
    result["full_text_index"] = db.session.scalar(indexed) or 0
    return result


def database_info(config: dict[str, Any]) -> dict[str, Any]:
    if db.engine.dialect.name == "postgresql":
        version = db.session.scalar(text("SHOW server_version"))
        size = db.session.scalar(text("SELECT pg_total_relation_size('search_documents')"))
        return {
            "database": f"PostgreSQL {version}",
            "search_documents_bytes": size,
        }
    version = db.session.scalar(text("SELECT sqlite_version()"))
    return {
        "database": f"SQLite {version}",
        "file_bytes": os.path.getsize(config["BENCH_SQLITE_PATH"]),
    }


# Measuring -----------------------------------------------------------------------


def run_query(app: Flask, user_id: int, query: str, allowed: set[int]) -> tuple[float, int]:
    """One search as the view does it, in its own request; returns (seconds, total hits)."""
    with app.test_request_context("/search", query_string={"q": query}):
        user = db.session.get(User, user_id)  # Flask-Login's user loader, not timed
        start = time.perf_counter()
        statement = search.search(user, query)
        assert statement is not None
        page = paginate(statement, PER_PAGE)
        items, total = page.items, page.total
        elapsed = time.perf_counter() - start
        if any(d.community_id not in allowed for d in items):
            raise SystemExit(f"{query!r}: a result from a community the user is not in")
        return elapsed, total or 0


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def summary(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {
        "runs": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
    }


def measure(app: Flask, user_id: int, runs: int) -> dict[str, Any]:
    allowed = set(range(1, MEMBER_OF + 1))
    hits = {}
    for _, query in QUERIES:  # warm-up: statement caches, page cache
        hits[query] = run_query(app, user_id, query, allowed)[1]
    timings: dict[str, list[float]] = {query: [] for _, query in QUERIES}
    # Round robin over the categories, so every category gets its share of the runs.
    groups = [[q for c, q in QUERIES if c == category] for category in CATEGORIES]
    order = [query for group in zip(*groups, strict=True) for query in group]
    for n in range(runs):
        query = order[n % len(order)]
        timings[query].append(run_query(app, user_id, query, allowed)[0])
    per_category = {}
    for category in CATEGORIES:
        queries = [q for c, q in QUERIES if c == category]
        values = [t for q in queries for t in timings[q]]
        if values:
            per_category[category] = summary(values) | {
                "hits_min": min(hits[q] for q in queries),
                "hits_max": max(hits[q] for q in queries),
            }
    everything = [t for values in timings.values() for t in values]
    return {
        "categories": per_category,
        "all": summary(everything),
        "queries": [
            {"category": c, "query": q, "hits": hits[q]} | summary(timings[q])
            for c, q in QUERIES
            if timings[q]
        ],
    }


# Output --------------------------------------------------------------------------


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    size = result.get("file_bytes") or result.get("search_documents_bytes") or 0
    size_label = "database file" if "file_bytes" in result else "search_documents (with index)"
    lines = [
        f"Leerkring search benchmark: {result['backend']} ({result['database']}), "
        f"{result['machine']['cpus']} CPUs, Python {result['machine']['python']}",
        "rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()),
        f"load: {result['load_seconds']:.1f} s (bulk inserts incl. full-text index), "
        f"analyze: {result['analyze_seconds']:.1f} s, {size_label}: {size / 1e6:.0f} MB",
        f"measuring user: active member of {MEMBER_OF} of {COMMUNITIES} communities; "
        f"{result['visible_documents']:,} documents visible",
        "",
        f"{'queries':<10} {'runs':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'hits':>15}",
    ]
    for category, figures in result["measurements"]["categories"].items():
        low, high = figures["hits_min"], figures["hits_max"]
        hits = f"{low:,}" if low == high else f"{low:,}-{high:,}"
        lines.append(
            f"{category:<10} {figures['runs']:>5} {figures['median_ms']:>10.1f} "
            f"{figures['p95_ms']:>8.1f} {figures['max_ms']:>8.1f} {hits:>15}"
        )
    overall = result["measurements"]["all"]
    lines.append(
        f"{'all':<10} {overall['runs']:>5} {overall['median_ms']:>10.1f} "
        f"{overall['p95_ms']:>8.1f} {overall['max_ms']:>8.1f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--contributions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="timed searches in total")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: TEST_DATABASE_URL)")
    parser.add_argument("--seed", type=int, default=20250601)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.contributions < 1 or args.queries < 1:
        parser.error("--contributions and --queries must be at least 1")

    rng = random.Random(args.seed)  # noqa: S311 - test data, not secrets
    with fresh_database(args.backend, args.database_url) as database:
        config = {
            "SECRET_KEY": "bench-secret-key",
            "MAIL_BACKEND": "memory",
            "RATELIMIT_ENABLED": False,
            **{k: v for k, v in database.items() if k.startswith("SQLALCHEMY_")},
        }
        app = create_app(config)
        try:
            with app.app_context():
                db.create_all()  # also the FTS5 table + triggers / tsvector column + GIN index
                progress(f"loading {args.contributions:,} contributions into {args.backend} ...")
                started = time.perf_counter()
                user_id = load(rng, args.contributions)
                load_seconds = time.perf_counter() - started
                started = time.perf_counter()
                analyze()
                analyze_seconds = time.perf_counter() - started
                rows = counts()
                visible = db.session.scalar(
                    select(func.count())
                    .select_from(SearchDocument)
                    .where(SearchDocument.community_id.in_(range(1, MEMBER_OF + 1)))
                )
                info = database_info(database)
            progress(f"measuring {args.queries} searches ...")
            measurements = measure(app, user_id, args.queries)
        finally:
            with app.app_context():  # no open connection may hold up dropping the schema
                db.session.remove()
                db.engine.dispose()

    result = {
        "backend": args.backend,
        **info,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "contributions": args.contributions,
        "seed": args.seed,
        "rows": rows,
        "visible_documents": visible,
        "load_seconds": round(load_seconds, 2),
        "analyze_seconds": round(analyze_seconds, 2),
        "measurements": measurements,
    }
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
