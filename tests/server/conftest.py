"""Fixtures of the server tests: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is a throw-away cluster started once per session (pgcluster.py), with a fresh database
per test. When no PostgreSQL binaries exist on the machine (`apt-get install postgresql`; CI
installs it) the PostgreSQL variants are skipped, saying why; the SQLite ones still run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from district_server.auth import add_device
from district_server.database import Database, open_database
from tests.conftest import AGENCY
from tests.server.helpers import LiveServer, make_counter
from tests.server.pgcluster import PgCluster, find_pg_bin

NO_PG = ("PostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL variant is skipped; "
         "install them with 'apt-get install -y postgresql' (CI does)")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster | None]:
    bindir = find_pg_bin()
    if bindir is None:
        yield None
        return
    cluster = PgCluster(bindir).start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'district.sqlite3'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    if cluster is None:
        pytest.skip(NO_PG)
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = cluster.create_database(name)
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One server database for a whole test module (the web face's tests share one site, one
    server and one browser per module), on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('district') / 'district.sqlite3'}"
        name = None
    else:
        cluster = request.getfixturevalue("pg_cluster")
        if cluster is None:
            pytest.skip(NO_PG)
        name = f"m_{uuid.uuid4().hex[:12]}"
        url = cluster.create_database(name)
    db = open_database(url)
    try:
        yield db
    finally:
        db.close()
        if name is not None:
            request.getfixturevalue("pg_cluster").drop_database(name)


@pytest.fixture(scope="module")
def web_site(module_db: Database, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - web_helpers.Site
    """The web face's tests' district: two offices' counters, dossiers in several states, a review
    case, a staff account per role (tests/server/web_helpers.build_site)."""
    from tests.server.web_helpers import build_site, quick_hashes

    with quick_hashes():
        built = build_site(module_db, tmp_path_factory.mktemp("site"))
        yield built
    built.close()


@pytest.fixture
def server_db(db_url: str) -> Iterator[Database]:
    db = open_database(db_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def live(server_db: Database) -> Iterator[LiveServer]:
    with LiveServer(server_db) as server:
        yield server


@pytest.fixture
def tokens(server_db: Database) -> dict[str, str]:
    """Device tokens: counters 0 and 1 of the test office, and counter 0 of another office."""
    return {
        "c0": add_device(server_db, AGENCY, 0)[1],
        "c1": add_device(server_db, AGENCY, 1)[1],
        "other": add_device(server_db, "000.00.21.H12", 0)[1],
    }


@pytest.fixture
def counter0(tmp_path: Path):  # noqa: ANN201 - Store
    store = make_counter(tmp_path / "counter0", 0)
    yield store
    store.close()


@pytest.fixture
def counter1(tmp_path: Path):  # noqa: ANN201 - Store
    store = make_counter(tmp_path / "counter1", 1)
    yield store
    store.close()


@pytest.fixture
def cli_in_process() -> Iterator[None]:
    """`counter-app …` called in this process (cheaper than a child): it sets up the "counter_app"
    logger for a command line (no propagation, a log file in the data folder); put it back after."""
    import logging

    logger = logging.getLogger("counter_app")
    saved = (logger.propagate, list(logger.handlers), logger.level)
    yield
    for handler in logger.handlers:
        if handler not in saved[1]:
            handler.close()
    logger.propagate, logger.handlers[:], logger.level = saved[0], saved[1], saved[2]
