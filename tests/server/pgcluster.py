"""A throw-away PostgreSQL server for the server tests and the bench (docs/platform-notes.md).

As root, initdb refuses to run, so the cluster is created and started as the `postgres` user;
as anyone else it runs as that user. It listens on 127.0.0.1 only, on a free port, with its socket
and data in a private temporary folder that `stop()` removes.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

ENV_PG_BIN = "QMC_PG_BIN"


def find_pg_bin() -> Path | None:
    """The newest PostgreSQL bin folder with initdb and pg_ctl, or None."""
    candidates: list[str] = []
    if os.environ.get(ENV_PG_BIN):
        candidates.append(os.environ[ENV_PG_BIN])
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()], reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for c in candidates:
        if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    def __init__(self, bindir: Path, *, fsync: bool = False) -> None:
        self.bindir = bindir
        self.fsync = fsync
        self.root = Path(tempfile.mkdtemp(prefix="qmc-pg-"))
        self.port = 0
        self._as_root = os.geteuid() == 0
        self._lifeline: int | None = None

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        # cwd: the postgres user may not be allowed into the caller's current folder.
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False, cwd=self.root)

    def start(self) -> PgCluster:
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        data = self.root / "data"
        done = self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        last_error = ""
        for _ in range(3):  # the free port may be taken between the check and the start
            self.port = free_port()
            durable = "on" if self.fsync else "off"
            options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                       f"-c fsync={durable} -c synchronous_commit={durable}")
            done = self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w",
                             "-o", options, "start")
            if done.returncode == 0:
                self._watch_parent()
                return self
            last_error = done.stderr.strip() or done.stdout.strip()
        raise RuntimeError(f"PostgreSQL did not start: {last_error}")

    def _watch_parent(self) -> None:
        """A small watcher that stops the cluster and removes its folder when this process ends in
        any way (a test run killed by a timeout never reaches its fixture teardown). It waits on a
        pipe whose only writer is this process: the pipe closes when the process dies."""
        read_end, self._lifeline = os.pipe()  # the write end is not inherited by other children
        stop = [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"]
        if self._as_root:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        script = f"cat >/dev/null; {shlex.join(stop)} >/dev/null 2>&1; rm -rf {shlex.quote(str(self.root))}"
        subprocess.Popen(["sh", "-c", script], stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd="/", start_new_session=True)
        os.close(read_end)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        self._outside_a_transaction(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._outside_a_transaction(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _outside_a_transaction(self, sql: str) -> None:
        # CREATE and DROP DATABASE refuse to run inside a transaction block: autocommit, on the
        # maintenance database.
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def stop(self) -> None:
        if self.port:
            done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w",
                             "stop")
            if done.returncode != 0:
                raise RuntimeError(f"PostgreSQL in {self.root} did not stop: {done.stderr.strip()}")
        shutil.rmtree(self.root, ignore_errors=True)
        if self._lifeline is not None:
            os.close(self._lifeline)  # the watcher finds nothing left to do
            self._lifeline = None
