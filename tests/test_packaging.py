"""A production install is complete by itself (issue 16): the wheel that `pip install .`
builds carries the templates, the static files, the migrations and the compiled
catalogues, so an installed Leerkring, away from the source tree, migrates an empty
database and serves English."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Run by the installed package only: the source tree is not on its path.
PROBE = """
import json, os, community
from flask_migrate import upgrade
app = community.create_app()
with app.app_context():
    upgrade()
client = app.test_client()
english = client.get("/login", headers={"Accept-Language": "en"})
dutch = client.get("/login", headers={"Accept-Language": "nl"})
html = english.get_data(as_text=True)
css = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
print(json.dumps({
    "package": community.__file__,
    "english": english.status_code, "sign_in": "Sign in" in html, "lang": '<html lang="en"' in html,
    "dutch": "Inloggen" in dutch.get_data(as_text=True),
    "css": client.get(css).status_code,
}))
"""


def _clean_tree(into: Path) -> Path:
    """What git tracks, plus the NL Design System CSS that `make vendor` builds from npm:
    no compiled catalogue, no instance, nothing a developer's `make` left behind."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    shutil.copytree(ROOT / "static" / "vendor", into / "static" / "vendor")
    assert not list(into.glob("community/translations/*/LC_MESSAGES/*.mo"))
    return into


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = _clean_tree(tmp_path_factory.mktemp("tree"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(out), str(tree)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("leerkring-*.whl")
    return built


def test_the_wheel_carries_the_site_and_compiled_catalogues(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "community/translations/en/LC_MESSAGES/messages.mo" in names
    assert "community/site/templates/base.html" in names
    assert "community/site/static/css/app.css" in names
    assert "community/site/migrations/env.py" in names
    assert not [name for name in names if "__pycache__" in name]


def test_an_installed_package_migrates_and_serves_english(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(target),  # before the virtualenv's editable source tree
        "SECRET_KEY": "a-key-for-the-installed-package",
        "BASE_URL": "https://leerkring.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'installed.sqlite3'}",
        "LEERKRING_INSTANCE": str(tmp_path / "instance"),
        "MAIL_BACKEND": "console",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["package"].startswith(str(target)), seen
    assert seen == {
        "package": seen["package"],
        "english": 200,
        "sign_in": True,
        "lang": True,
        "dutch": True,
        "css": 200,
    }
