"""The running cluster (deploy/cluster.sh), as the fault suite sees it: its settings,
its processes, and the means to break them."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cluster:
    directory: Path

    @classmethod
    def from_environment(cls) -> Cluster:
        default = "/tmp/leerkring-cluster"  # noqa: S108 - the same default as cluster.sh
        return cls(Path(os.environ.get("CLUSTER_DIR", default)))

    def settings(self) -> dict[str, str]:
        lines = (self.directory / "env").read_text().splitlines()
        return dict(
            line.split("=", 1) for line in lines if "=" in line and not line.startswith("#")
        )

    def use_settings(self) -> None:
        """The app in this process (checker, fixture) talks to the cluster's database."""
        os.environ.update(self.settings())

    @property
    def https_port(self) -> int:
        return int(self.settings()["BASE_URL"].rsplit(":", 1)[1])

    @property
    def cafile(self) -> str:
        return str(self.directory / "tls" / "cert.pem")

    def pid(self, name: str) -> int | None:
        try:
            return int((self.directory / name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def node_workers(self) -> list[int]:
        """The gunicorn worker processes of both nodes (children of the two masters)."""
        workers: list[int] = []
        for name in ("node1.pid", "node2.pid"):
            master = self.pid(name)
            if master is None:
                continue
            children = Path(f"/proc/{master}/task/{master}/children")
            if children.exists():
                workers += [int(pid) for pid in children.read_text().split()]
        return workers

    def kill(self, pid: int, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)

    def script(self, *arguments: str) -> None:
        env = os.environ | {"CLUSTER_DIR": str(self.directory)}
        subprocess.run(  # noqa: S603 - our own script
            [str(ROOT / "deploy" / "cluster.sh"), *arguments],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )

    def postgres(self, *arguments: str) -> None:
        """pg_ctl on the cluster's own PostgreSQL (as `postgres` when we are root)."""
        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        command = [str(pg_ctl), "-D", str(self.directory / "pg" / "data"), *arguments]
        if os.geteuid() == 0:
            command = [shutil.which("runuser") or "runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, cwd="/", stdout=subprocess.DEVNULL)  # noqa: S603
