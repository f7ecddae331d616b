"""Leerkring with the benchmark-data command, for the bench scripts only.

    LEERKRING_ENV=development .venv/bin/flask --app bench.app bench-data --scale small

The application package (`community/`) holds no benchmark generator: an installed
Leerkring cannot load benchmark data at all.
"""

from __future__ import annotations

from bench.benchdata.command import bench_data_command
from community import create_app

app = create_app()
app.cli.add_command(bench_data_command)
