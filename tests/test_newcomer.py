"""A newcomer's set-up: `make run` serves where its links point, the README stays inside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _dry_run(*args: str, env: dict[str, str] | None = None) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(  # noqa: S603 - a fixed command, no shell
        [make, "-n", "-C", str(ROOT), "run", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return result.stdout


def test_make_run_serves_on_port_and_points_base_url_there():
    default = _dry_run()
    assert "--port 5000" in default
    assert "BASE_URL=${BASE_URL:-http://127.0.0.1:5000}" in default
    other = _dry_run("PORT=8123")
    assert "--port 8123" in other
    assert "BASE_URL=${BASE_URL:-http://127.0.0.1:8123}" in other


def test_a_given_base_url_wins_and_the_default_follows_the_port():
    recipe = _dry_run("PORT=8123").splitlines()
    line = next(part for part in recipe if "BASE_URL=" in part)
    value = re.search(r"BASE_URL=(\S+)", line).group(1)
    echo = ["sh", "-c", f"echo {value}"]
    assert subprocess.run(echo, capture_output=True, text=True, env={}).stdout.strip() == (  # noqa: S603
        "http://127.0.0.1:8123"
    )
    given = {"BASE_URL": "https://leerkring.example"}
    assert subprocess.run(echo, capture_output=True, text=True, env=given).stdout.strip() == (  # noqa: S603
        "https://leerkring.example"
    )


@pytest.mark.parametrize("document", DOCS, ids=lambda p: p.name)
def test_documentation_links_stay_inside_the_repository(document):
    text = document.read_text("utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        assert not re.match(r"[a-z]+:", target), (document.name, target)  # no web links
        path = target.split("#")[0]
        if path:
            resolved = (document.parent / path).resolve()
            assert resolved.is_relative_to(ROOT), (document.name, target)
            assert resolved.exists(), (document.name, target)
    # Nor a path named in the text that leaves the repository.
    assert not re.search(r"`\.\./", text), document.name
