"""Shared fixtures: a temporary store per test (never the user's real data folder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

AGENCY = "000.00.20.H12"
# The fixtures' office recovery passphrase, shaped as a recovery code: a store made with it costs
# the light argon2id of a code, and the window shows no code to write down (init was done before).
OFFICE_PASSPHRASE = "KHQMC-THUXA-BNHMY-KEYSS-TEST2-CUAXA"


def clerk(name: str = "kiem-thu"):  # noqa: ANN201
    """Who acts in tests that are not about permissions: the scripted interface's actor (admin
    rights, no account needed). Permission tests log real accounts in instead."""
    from counter_app.domain.actor import Actor

    return Actor(name, "scripted")


def raw_store(path: Path, *, keys_in: Path | None = None, **options):  # noqa: ANN003, ANN201
    """A DB-API connection to an encrypted store file (or a copy of one in `keys_in`/backups), keyed
    as the app keys it: what a test uses where it would have used sqlite3.connect on a clear store."""
    from counter_app.db.store import raw_connection

    return raw_connection(path, keys_in=keys_in, **options)


def dump_store(path: Path, *, keys_in: Path | None = None) -> str:
    """Everything an encrypted store holds, as SQL text (sqlite3's iterdump; sqlcipher3 has none)."""
    from sqlite3.dump import _iterdump

    conn = raw_store(path, keys_in=keys_in)
    try:
        return "\n".join(_iterdump(conn))
    finally:
        conn.close()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A test that forgets --data-dir must never touch the real user data folder, nor a server it
    # starts the real blob folder (district_server/config.blob_dir).
    monkeypatch.setenv("COUNTER_APP_DATA", str(tmp_path_factory.mktemp("default-data")))
    # Nor one that runs `counter-server serve` or `add-device` the server's (its own TLS
    # certificate, made once for the session and shared, so every server presents the same one).
    monkeypatch.setenv("COUNTER_SERVER_TLS_DIR", str(tmp_path_factory.getbasetemp() / "server-tls"))
    monkeypatch.setenv("COUNTER_SERVER_BLOBS", str(tmp_path_factory.mktemp("default-blobs")))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator:
    from counter_app.db.store import Store

    s = Store.open(data_dir, passphrase=OFFICE_PASSPHRASE)
    yield s
    s.close()


@pytest.fixture
def office_store(store):  # noqa: ANN001, ANN201
    from counter_app.services.office import init_office

    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
    return store


TEST_PROCEDURES = [
    {"code": "9.000003", "name": "Thủ tục thử ba ngày", "field": "Thử nghiệm", "working_days": 3, "fee": "",
     "documents": [{"name": "Tờ khai (theo mẫu)", "form": "bản chính", "count": 1},
                   {"name": "Giấy tờ chứng minh nơi cư trú", "form": "bản chụp", "count": 2}]},
    {"code": "9.000000", "name": "Thủ tục thử trong ngày", "field": "Thử nghiệm", "working_days": 0, "fee": "",
     "documents": [{"name": "Bản chính giấy tờ", "form": "bản chính", "count": 1}]},
    {"code": "9.000005", "name": "Thủ tục thử nửa ngày", "field": "Thử nghiệm", "working_days": 0.5, "fee": "",
     "documents": [{"name": "Đơn đề nghị", "form": "bản chính", "count": 1}]},
]


@pytest.fixture
def desk(office_store):  # noqa: ANN001, ANN201
    """An initialised office with three test procedures whose times the tests rely on."""
    from counter_app.services import catalogue

    specs = catalogue.parse_procedures([(f"#{i}", p) for i, p in enumerate(TEST_PROCEDURES, 1)])
    with office_store.write() as session:
        catalogue.import_procedures(session, specs)
    return office_store


def applicant(**overrides):  # noqa: ANN003, ANN201
    base = {"full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "birth_date": "1990-01-01",
            "gender": "Nam", "address": "Thôn Đông, xã Bình Mỹ", "phone": "0912345678", "email": ""}
    base.update(overrides)
    return base


from tests.signing_tokens import tokens  # noqa: E402, F401 - real PKCS#11 tokens (a module-scoped fixture)
