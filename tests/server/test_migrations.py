"""A district server made by the previous build (schema 0001) upgrades in place, with its data:
dossiers, events, devices and the review cases it already held keep working."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from counter_app.domain.ids import new_id
from counter_app.sync.protocol import canonical_json, event_key
from district_server import review
from district_server.auth import add_device
from district_server.database import Database
from district_server.dossiers import get_dossier
from district_server.indexed import long_running
from tests.conftest import AGENCY
from tests.server.helpers import LiveServer, auth, batch_body, intake_many, move, outbox_payloads


def test_a_server_database_of_the_previous_schema_upgrades_with_its_data(db_url, counter0) -> None:  # noqa: ANN001
    (did,) = intake_many(counter0, 1)
    move(counter0, did, 4)
    intake, at_4 = outbox_payloads(counter0)
    old = Database(db_url)
    try:
        old.migrate("0001")
        dev, token = add_device(old, AGENCY, 0)
        code = intake["dossier"]["code"]
        with old.write(AGENCY) as conn:  # what the previous build wrote for one dossier and one refusal
            for p in (intake, at_4):
                conn.execute(sa.text(
                    "INSERT INTO event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, "
                    "from_status, to_status, at, sort_key, payload_hash, payload_json, received_at, batch_id) "
                    "VALUES (:e, :d, :a, :dev, 0, 'counter', :k, :f, :t, :at, :key, 'h', :j, :at, NULL)"),
                    {"e": p["event_id"], "d": did, "a": AGENCY, "dev": dev.id, "k": p["kind"], "f": p["from_status"],
                     "t": p["to_status"], "at": p["at"], "key": _key(p), "j": _json(p)})
            conn.execute(sa.text(
                "INSERT INTO dossier (id, agency_code, code, counter, status, procedure_code, received_at, due_at, "
                "returned_at, last_key, last_event_id, created_at, updated_at) VALUES (:d, :a, :c, 0, 4, :p, :r, "
                ":due, NULL, :key, :e, :r, :r)"),
                {"d": did, "a": AGENCY, "c": code, "p": intake["dossier"]["procedure_code"],
                 "r": intake["dossier"]["received_at"], "due": intake["dossier"]["due_at"], "key": _key(at_4),
                 "e": at_4["event_id"]})
            conn.execute(sa.text(
                "INSERT INTO review (event_id, payload_hash, result, code, reason, device_id, agency_code, "
                "payload_json, received_at) VALUES (:e, 'x', 'invalid', 'unknown_kind', 'Loại sự kiện lạ', :dev, "
                ":a, :j, :r)"),
                {"e": new_id(), "dev": dev.id, "a": AGENCY, "j": _json({**at_4, "kind": "drop_table"}),
                 "r": at_4["at"]})
        assert old.current_revision() == "0001"
    finally:
        old.close()

    db = Database(db_url)
    try:
        db.migrate()
        assert db.current_revision() == "0010"
        with db.engine.connect() as conn:  # the dashboard's columns, filled in from the latest snapshot
            name, id_number = conn.execute(sa.text("SELECT name_folded, id_number FROM dossier")).one()
        assert (name, id_number) == ("nguyen van duc", intake["dossier"]["applicant"]["id_number"])
        (kept,) = review.list_reviews(db)
        assert kept["code"] == "unknown_kind" and kept["dossier_id"] == did  # filled in from its payload
        assert review.room(db, at_4["at"][:10])[0]["kept"] == 1
        assert get_dossier(db, code)["status"] == 4
        with LiveServer(db) as live, httpx.Client(base_url=live.url, verify=live.verify, trust_env=False,
                                                  timeout=30) as http:
            move(counter0, did, 9)  # the dossier moves on, checked against the history the old build held
            ready = outbox_payloads(counter0)[-1]
            answer = http.post("/v1/push", content=batch_body([ready]), headers=auth(token)).json()
            assert [r["result"] for r in answer["results"]] == ["stored"]
        assert [h["status"] for h in get_dossier(db, code)["history"]] == [2, 4, 9]
    finally:
        db.close()


def _key(p: dict) -> str:
    return event_key(p["at"], p["event_id"])


def _json(p: dict) -> str:
    return canonical_json(p)


def test_counters_can_still_push_while_the_district_builds_its_new_indexes(db_url) -> None:  # noqa: ANN001
    """Migration 0006 builds four indexes over every dossier (minutes at millions): on PostgreSQL a
    push's write to the dossier table must not wait for it. The write is made in the middle of the
    build, from another connection, with a lock timeout that a blocked write would hit."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: its upgrade runs while the server is down")
    db = Database(db_url)
    writes: list[str] = []

    def write_meanwhile(conn, cursor, statement, *_args) -> None:  # noqa: ANN001
        if "CREATE INDEX" not in statement or "ix_dossier_received_stats" not in statement:
            return
        other = sa.create_engine(db_url, poolclass=sa.pool.NullPool)
        try:
            with other.connect() as push:  # what ingest does to a dossier it already holds
                push.exec_driver_sql("SET lock_timeout = '3s'")
                push.exec_driver_sql("UPDATE dossier SET updated_at = updated_at WHERE agency_code = 'x'")
                push.commit()
            writes.append("stored")
        except sa.exc.OperationalError as exc:
            writes.append(f"blocked: {exc.orig}")
        finally:
            other.dispose()

    try:
        db.migrate("0005")
        sa.event.listen(db.engine, "after_cursor_execute", write_meanwhile)
        db.migrate()
        sa.event.remove(db.engine, "after_cursor_execute", write_meanwhile)
        assert writes == ["stored"]
        assert db.current_revision() == "0010"
        with db.engine.connect() as conn:  # every index built whole (a failed concurrent build stays INVALID)
            invalid = conn.execute(sa.text("SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                           "WHERE NOT i.indisvalid")).scalars().all()
            names = set(conn.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'dossier'"))
                        .scalars())
        assert invalid == []
        assert {"ix_dossier_name_code", "ix_dossier_received_stats", "ix_dossier_finished_stats",
                "ix_dossier_returned_stats"} <= names and "ix_dossier_name" not in names
    finally:
        db.close()


def test_the_dossiers_held_before_0010_are_marked_long_running_when_their_processing_took_over_90_days(
        db_url) -> None:  # noqa: ANN001
    db = Database(db_url)
    try:
        db.migrate("0009")
        held = {  # id: (received, finished)
            "a" * 36: ("2025-01-02T08:00:00+07:00", "2025-06-30T10:00:00+07:00"),  # 179 days
            "b" * 36: ("2025-01-02T08:00:00+07:00", "2025-01-20T10:00:00+07:00"),  # 18 days
            "c" * 36: ("2025-01-02T08:00:00+07:00", None),  # still open
        }
        with db.write(AGENCY) as conn:
            for i, (did, (received, finished)) in enumerate(held.items()):
                conn.execute(sa.text(
                    "INSERT INTO dossier (id, agency_code, code, counter, status, procedure_code, received_at, due_at, "
                    "last_key, last_event_id, created_at, updated_at, start_at, finished_at) VALUES (:d, :a, :c, 0, "
                    ":s, 'p', :r, :r, 'k', 'e', :r, :r, :r, :f)"),
                    {"d": did, "a": AGENCY, "c": f"{AGENCY}-250102-000{i + 1}", "s": 10 if finished else 4,
                     "r": received, "f": finished})
        db.migrate()
        with db.read() as conn:
            flags = dict(conn.execute(sa.text("SELECT id, long_running FROM dossier")).all())
        assert flags == {"a" * 36: 1, "b" * 36: 0, "c" * 36: 0}
    finally:
        db.close()
    # Times the statistics cannot compare as text (another offset, unreadable) are never left out
    # of "open at an instant" by the 90 days' bound: they count as long running.
    assert long_running("2025-01-02T08:00:00+07:00", "2025-01-03T01:00:00Z") == 1
    assert long_running("2025-01-02T08:00:00+07:00", "not a time") == 1
