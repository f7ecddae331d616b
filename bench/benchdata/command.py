"""`flask --app bench.app bench-data`: generate the benchmark data set.

Every generated account shares one published password, so the command runs only with
LEERKRING_ENV=development (or --force, with a warning), like `flask demo`.
"""

from __future__ import annotations

import json

import click
from flask import current_app

from bench import benchdata
from community.cli import FORCE_HELP, require_development


@click.command("bench-data")
@click.option("--scale", type=click.Choice(sorted(benchdata.SCALES)), required=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--targets", type=click.Path(dir_okay=False), help="Write the key pages as JSON.")
@click.option("--force", is_flag=True, help=FORCE_HELP)
def bench_data_command(scale: str, seed: int, targets: str | None, force: bool) -> None:
    """Generate benchmark data (see docs/PERFORMANCE.md) into an empty, migrated database."""
    require_development("The benchmark data", force)
    try:
        with current_app.test_request_context():
            result = benchdata.generate(scale, seed, report=click.echo)
    except benchdata.NotEmpty:
        raise click.ClickException(
            "The database already holds cases; generate benchmark data into an empty database."
        ) from None
    click.echo(f"{scale}: {result['seconds']} s")
    if targets:
        with open(targets, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
