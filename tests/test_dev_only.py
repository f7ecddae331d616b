"""Demo and benchmark data (accounts with a published password) load only in development."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.benchdata.command import bench_data_command
from community.models import Case, User

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")


def _users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.fixture
def bench_runner(app):
    """The app with bench/app.py's command, for this test only (the app is shared)."""
    app.cli.add_command(bench_data_command)
    yield app.test_cli_runner()
    app.cli.commands.pop(bench_data_command.name, None)


@pytest.mark.parametrize("environment", ["production", "", "staging"])
def test_demo_refuses_outside_development(app, runner, db, environment):
    app.config["LEERKRING_ENV"] = environment
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code != 0
    assert "LEERKRING_ENV=development" in result.output
    assert "--force" in result.output
    assert _users(db) == 0


def test_demo_with_force_loads_with_a_warning(app, runner, db):
    app.config["LEERKRING_ENV"] = "production"
    result = runner.invoke(args=["demo", "--force"])
    assert result.exit_code == 0, result.output
    assert "Warning" in result.stderr
    assert "publicly known password" in result.stderr
    assert _users(db) == 18


def test_bench_data_refuses_outside_development(app, bench_runner, db):
    app.config["LEERKRING_ENV"] = "production"
    result = bench_runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert result.exit_code != 0
    assert "LEERKRING_ENV=development" in result.output
    assert _users(db) == 0


def test_bench_data_generates_in_development(app, bench_runner, db, tmp_path):
    app.config["LEERKRING_ENV"] = "development"
    targets = tmp_path / "targets.json"
    result = bench_runner.invoke(args=["bench-data", "--scale", "tiny", "--targets", str(targets)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 60
    assert targets.exists()


def test_the_application_package_holds_no_benchmark_generator(runner):
    assert importlib.util.find_spec("community.benchdata") is None
    result = runner.invoke(args=["bench-data", "--scale", "tiny"])
    assert result.exit_code != 0
    assert "No such command" in result.output


def test_a_real_process_refuses_demo_data_outside_development(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LEERKRING_ENV"}
    env.update(
        SECRET_KEY="a-key-for-this-test",
        LEERKRING_INSTANCE=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 120}
    assert subprocess.run([FLASK, "--app", "wsgi", "db", "upgrade"], **run).returncode == 0
    refused = subprocess.run([FLASK, "--app", "wsgi", "demo", "--if-empty"], **run)
    assert refused.returncode != 0
    assert "LEERKRING_ENV=development" in refused.stderr
    loaded = subprocess.run(
        [FLASK, "--app", "wsgi", "demo", "--if-empty"],
        **{**run, "env": {**env, "LEERKRING_ENV": "development"}},
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 18 demo accounts" in loaded.stdout
