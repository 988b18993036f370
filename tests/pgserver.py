"""A real, throw-away PostgreSQL server for tests and benchmarks.

It is started from the machine's own binaries (``initdb``/``pg_ctl``; ALIGNWORK_PG_BIN may
point at their folder) in a temporary folder, on a free local port with its unix socket in that
folder. PostgreSQL refuses to run as root, so under root a system user ``alignwork-pg`` is made
(once) and the server runs as that user. Password login over TCP (scram) for the app's URLs;
trust on the socket only.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVICE_USER = "alignwork-pg"
ROLE = "alignwork"
PASSWORD = "team-secret-42"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    wanted = os.environ.get("ALIGNWORK_PG_BIN")
    candidates = [Path(wanted)] if wanted else []
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(Path(which).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ensure_service_user() -> None:
    if subprocess.run(["id", SERVICE_USER], capture_output=True).returncode == 0:
        return
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
                   check=True, capture_output=True)


class LocalPostgres:
    """initdb + pg_ctl start in a temporary folder; ``stop()`` removes everything."""

    def __init__(self, bindir: Path, *, fast: bool = True):
        self.bindir = bindir
        self.fast = fast  # tests: fsync off (a crash of the test server loses nothing we need)
        self.root = Path(tempfile.mkdtemp(prefix="alignwork-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *argv: str, **kwargs) -> subprocess.CompletedProcess:
        command = [str(a) for a in argv]
        if self.as_root:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root, **kwargs)

    def start(self) -> "LocalPostgres":
        if self.as_root:
            _ensure_service_user()
            shutil.chown(self.root, SERVICE_USER, SERVICE_USER)
        os.chmod(self.root, 0o700)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.as_root:
            shutil.chown(pwfile, SERVICE_USER, SERVICE_USER)
        try:
            self._run(self.bindir / "initdb", "-D", self.data, "-U", ROLE, "--pwfile", pwfile,
                      "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                      "--no-sync" if self.fast else "--no-instructions")
        finally:
            pwfile.unlink(missing_ok=True)
        self.resume()
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(self.bindir / "pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w", "-t", "30")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server but keep its data (a network drop, as the app sees it)."""
        self._run(self.bindir / "pg_ctl", "stop", "-D", self.data, "-m", "fast", "-w", "-t", "30")

    def resume(self) -> None:
        """Start (again) on the same port and data."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=80"
        if self.fast:
            options += " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        self._run(self.bindir / "pg_ctl", "start", "-w", "-t", "30", "-D", self.data, "-l", self.root / "log",
                  "-o", options)

    def url(self, database: str = "postgres", *, password: str | None = PASSWORD) -> str:
        auth = f"{ROLE}:{password}" if password is not None else ROLE
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement through psql over the socket (for CREATE DATABASE and such)."""
        result = self._run(self.bindir / "psql", "-h", self.root, "-p", str(self.port), "-U", ROLE, "-d", database,
                           "-v", "ON_ERROR_STOP=1", "-Atc", statement)
        return result.stdout.strip()

    def wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("PostgreSQL did not come up")
