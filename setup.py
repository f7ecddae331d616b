"""The build hook that makes an installed Leerkring complete by itself.

Run from the source tree, the app reads `templates/`, `static/` and `migrations/` beside
the package and the catalogues `make` compiled. A wheel (`pip install .`) has no source
tree: this hook compiles the translation catalogues (`*.mo`) into the package and copies
those three directories to `community/site/`, where `community.site_root` finds them.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SITE_DIRECTORIES = ("templates", "static", "migrations")


class BuildWithSite(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the source tree itself
        self._compile_catalogues()
        for name in SITE_DIRECTORIES:
            self.copy_tree(name, os.path.join(self.build_lib, "community", "site", name))

    def _compile_catalogues(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for source in Path("community", "translations").glob("*/LC_MESSAGES/messages.po"):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po, target.open("wb") as mo:
                write_mo(mo, read_po(po))


setup(cmdclass={"build_py": BuildWithSite})
