"""A district of millions of dossiers made by PostgreSQL itself (bench/bench_district.py).

Python makes only the small things: one real site (tests/server/web_helpers.build_site: real
pushed events, staff accounts, a review case), the devices of every office, and two real event
payloads cut into pieces around the values that vary. PostgreSQL makes the rest with
generate_series in a few statements: each dossier row and its events, the payload spliced from the
real template's pieces with to_json() of each varying value (so it is the JSON a counter sends,
correctly escaped), sha256 of it as payload_hash. The indexes and constraints the migrations made
are dropped before the load and rebuilt after it from their own definitions (pg_indexes,
pg_get_constraintdef): a sort per index instead of 20M random B-tree inserts, and the same indexes.

Shape: `offices` offices × `per_office` dossiers spread evenly on the weekdays of `years` years up to
yesterday,
three counters each (the code slices 0xxx/1xxx/2xxx), procedures weighted as make_dataset.py does
(Chứng thực and Hộ tịch most), names from make_dataset.py's Vietnamese name lists, 12-digit ID
numbers, channel 1/2/3 at 75/20/5 %. Status by age: older than 60 days mostly returned (10), some
done and not collected (9), withdrawn (7), refused (3), stopped (8); the last 60 days a mix of
every open status. About 13 % finish after their due date. A refused dossier ended when it was
received (finished_at = received_at), as a counter's intake writes it. Events: the intake (2, or 3
when refused at intake), plus, for a dossier that moved on, its latest move carrying the latest snapshot
(~1.9 events a dossier; a real history has 2–4, which only adds rows the per-dossier index skips).
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

import make_dataset
import sqlalchemy as sa

from counter_app.db import tally_sql
from counter_app.domain.text import fold
from counter_app.services import catalogue
from counter_app.sync.protocol import canonical_json
from district_server.auth import add_device
from district_server.database import Database
from district_server.indexed import LONG_RUNNING_DAYS

COUNTERS = 3
VARYING = ("event_id", "dossier_id", "code", "agency_code", "at", "received_at", "start_at", "due_at",
           "finished_at", "returned_at", "full_name", "id_number", "procedure_code", "procedure_name")


def agency_of(office: int) -> str:
    """Office n's code, apart from the site's 000.00.20/21.H12."""
    return f"000.{30 + office // 100:02d}.{office % 100:02d}.H12"


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(sql_text(v) for v in values) + "]"


def spliced(payload: dict[str, Any], exprs: dict[str, str]) -> str:
    """SQL that builds `payload` again with each varying string replaced by its SQL expression.
    Every occurrence is found as its own JSON string ("..."), so a value inside another one (the
    agency code inside the dossier code) is not touched."""
    snap = payload["dossier"]
    values = {"event_id": payload["event_id"], "dossier_id": payload["dossier_id"], "at": payload["at"],
              "full_name": snap["applicant"]["full_name"], "id_number": snap["applicant"]["id_number"],
              **{k: snap.get(k) for k in VARYING if k in snap}}
    text = canonical_json(payload)
    marks: dict[str, str] = {}
    for name in VARYING:
        value = values.get(name)
        if not isinstance(value, str) or not value or name not in exprs:
            continue
        quoted = json.dumps(value, ensure_ascii=False)
        if quoted in marks.values():
            continue  # the same string twice (at = received_at): the first name's expression serves
        mark = f"\x00{len(marks)}\x00"
        text = text.replace(quoted, mark)
        marks[mark] = quoted
        exprs.setdefault(mark, exprs[name])
    parts = []
    for piece in text.split("\x00"):
        key = f"\x00{piece}\x00"
        parts.append(f"to_json({exprs[key]}::text)::text" if key in marks else sql_text(piece))
    return " || ".join(p for p in parts if p != "''")


def payload_templates(db: Database) -> tuple[dict[str, Any], dict[str, Any]]:
    """A real intake payload and a real latest-move payload (the returned dossier's), as stored."""
    with db.engine.connect() as conn:  # the first of each: the site's, also once the district is loaded
        intake, moved = (conn.execute(sa.text(f"SELECT payload_json FROM event WHERE {where} ORDER BY seq LIMIT 1"))
                         .scalar_one() for where in ("kind = 'intake'", "to_status = 10"))
    return json.loads(intake), json.loads(moved)


def procedures(store: Any) -> list[tuple[str, str, int, int]]:
    with store.read() as session:
        specs = catalogue.list_procedures(session)
    return [(s.code, s.name, s.working_days, make_dataset.FIELD_WEIGHT.get(s.field, 1)) for s in specs]


def names_sql() -> str:
    """name, name_folded from weighted surnames and gendered middle and given names (make_dataset)."""
    sur = [s for s, w in make_dataset.SURNAMES for _ in range(w)]
    pick = lambda arr, idx: f"({sql_array(arr)})[1 + ({idx}) % {len(arr)}]"  # noqa: E731
    parts = []
    for folded in (False, True):
        f = fold if folded else (lambda x: x)
        mid = f"CASE WHEN female THEN {pick([f(x) for x in make_dataset.MIDDLE_F], 'r_mid')} " \
              f"ELSE {pick([f(x) for x in make_dataset.MIDDLE_M], 'r_mid')} END"
        giv = f"CASE WHEN female THEN {pick([f(x) for x in make_dataset.GIVEN_F], 'r_giv')} " \
              f"ELSE {pick([f(x) for x in make_dataset.GIVEN_M], 'r_giv')} END"
        parts.append(f"{pick([f(x) for x in sur], 'r_sur')} || ' ' || {mid} || ' ' || {giv}")
    return f"{parts[0]} AS full_name, {parts[1]} AS name_folded"


def generate(db: Database, store: Any, *, offices: int, per_office: int, years: int, log: Any = print) -> int:
    """Load the district; the number of dossiers made."""
    end = date.today() - timedelta(days=1)
    first = end - timedelta(days=365 * years)
    first -= timedelta(days=first.weekday())  # a Monday: day n is first + (n // 5) weeks + n % 5 days
    weekdays = (end - first).days * 5 // 7
    per_day = -(-per_office // weekdays)
    total = offices * per_office
    for o in range(offices):
        for k in range(COUNTERS):
            add_device(db, agency_of(o), k, f"Quầy {k} đơn vị {o}")
    procs = procedures(store)
    expanded = [i for i, p in enumerate(procs) for _ in range(p[3])]
    intake_tpl, moved_tpl = payload_templates(db)
    common = {"event_id": "eid", "dossier_id": "did", "code": "code", "agency_code": "agency",
              "received_at": "recv", "start_at": "recv", "due_at": "due", "full_name": "full_name",
              "id_number": "id_number", "procedure_code": "pcode", "procedure_name": "pname"}
    intake_json = spliced(intake_tpl, {**common, "at": "recv"})
    moved_json = spliced(moved_tpl, {**common, "event_id": "eid2", "at": "moved_at", "finished_at": "fin",
                                     "returned_at": "ret"})
    iso = lambda ts: f"""to_char({ts}, 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"')"""  # noqa: E731
    utc_key = lambda ts, eid: f"""to_char({ts} - interval '7 hours', 'YYYY-MM-DD"T"HH24:MI:SS".000000Z|"') || {eid}"""  # noqa: E731
    # Returned 1–72 hours after the result was ready; the latest move: that return, the end, or
    # (still in process) a fifth of the way to the due date.
    ret_ts = f"LEAST(fin_ts + (1 + r_ret * 71) * interval '1 hour', TIMESTAMP '{end.isoformat()} 17:30')"
    moved_ts = (f"CASE WHEN status = 10 THEN {ret_ts} WHEN fin_ts IS NOT NULL THEN fin_ts "
                "ELSE recv_ts + (due_ts - recv_ts) * 0.2 END")
    seen_at = iso(f"TIMESTAMP '{end.isoformat()} 16:00' + (random() * 20) * interval '1 hour'")
    # Three ids a row, written so that no two are the same expression: PostgreSQL merges equal
    # target expressions of an inlined CTE, volatile or not, and gave one uuid thrice.
    uuids = ("gen_random_uuid()::text AS did, lower(gen_random_uuid()::text) AS eid, "
             "upper(gen_random_uuid()::text)::uuid::text AS eid2,")
    steps: list[tuple[str, str]] = [
        ("settings", "SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SELECT setseed(0.17)"),
        ("random draws", f"""
CREATE UNLOGGED TABLE bench_gen AS
SELECT i, office, dayn, j - (dayn * {per_office} + {weekdays - 1}) / {weekdays} AS k,
       random() AS r_status, random() AS r_fin, random() AS r_ret, random() < 0.52 AS female,
       (random() * 1e6)::int AS r_sur, (random() * 1e6)::int AS r_mid, (random() * 1e6)::int AS r_giv,
       (random() * 1e6)::int AS r_proc, random() AS r_channel, (random() * 1e6)::int AS r_id,
       (random() * 600)::int AS r_minute
FROM (SELECT i, i % {offices} AS office, i / {offices} AS j,
             ((i / {offices})::bigint * {weekdays} / {per_office})::int AS dayn
      FROM generate_series(0, {total - 1}) AS i) AS spread"""),
        ("dossier columns", f"""
CREATE UNLOGGED TABLE bench_d AS
WITH g0 AS (
  SELECT g.*, 1 + (ARRAY[{",".join(str(i) for i in expanded)}])[1 + r_proc % {len(expanded)}] AS pi FROM bench_gen g
), g AS (
  SELECT g0.*, (DATE '{first.isoformat()}' + (dayn / 5) * 7 + dayn % 5) AS day,
         ({sql_array([p[0] for p in procs])})[pi] AS pcode, ({sql_array([p[1] for p in procs])})[pi] AS pname,
         (ARRAY[{",".join(str(p[2]) for p in procs)}])[pi] AS wd
  FROM g0
), t AS (
  SELECT g.*, day + time '07:30' + ((k + r_minute / 600.0) * 570.0 / {per_day} || ' minutes')::interval AS recv_ts,
         DATE '{end.isoformat()}' - day AS age
  FROM g
), s AS (
  SELECT t.*, CASE WHEN age > 60 THEN CASE WHEN r_status < 0.92 THEN 10 WHEN r_status < 0.95 THEN 9
                     WHEN r_status < 0.97 THEN 7 WHEN r_status < 0.985 THEN 3 ELSE 8 END
                   ELSE CASE WHEN r_status < 0.35 THEN 10 WHEN r_status < 0.50 THEN 9 WHEN r_status < 0.75 THEN 4
                     WHEN r_status < 0.80 THEN 5 WHEN r_status < 0.82 THEN 7 WHEN r_status < 0.84 THEN 3
                     ELSE (CASE WHEN age < 10 THEN 2 ELSE 4 END) END END AS status,
         (recv_ts + ((wd + 2 * ((extract(isodow FROM day)::int - 1 + wd) / 5)) || ' days')::interval)::date
           + time '17:00' AS due_ts
  FROM t
)
SELECT {uuids}
       '000.' || lpad((30 + office / 100)::text, 2, '0') || '.' || lpad((office % 100)::text, 2, '0') || '.H12'
         AS agency,
       (k % {COUNTERS}) * 1000 + 1 + k / {COUNTERS} AS num,
       k % {COUNTERS} AS counter, status, pcode, pname, day,
       (CASE WHEN r_channel < 0.75 THEN 1 WHEN r_channel < 0.95 THEN 2 ELSE 3 END) AS channel,
       recv_ts, due_ts,
       CASE WHEN status IN (7, 8, 9, 10) THEN LEAST(recv_ts + (due_ts - recv_ts) * (0.3 + r_fin * 0.85),
            TIMESTAMP '{end.isoformat()} 17:00') WHEN status = 3 THEN recv_ts END AS fin_ts,
       r_ret, {names_sql()},
       '0' || lpad((1 + r_id % 95)::text, 2, '0') || (r_id % 4)::text || lpad((40 + r_id % 60)::text, 2, '0')
         || lpad((r_id::bigint * 7919 % 1000000)::text, 6, '0') AS id_number
FROM s"""),
        ("drop the draws", "DROP TABLE bench_gen"),
        ("codes and times", f"""
CREATE UNLOGGED TABLE bench_x AS
SELECT d.*, agency || '-' || to_char(day, 'YYMMDD') || '-' || lpad(num::text, 4, '0') AS code,
       {iso('recv_ts')} AS recv, {iso('due_ts')} AS due, {iso('fin_ts')} AS fin,
       CASE WHEN status = 10 THEN {iso(ret_ts)} END AS ret, {moved_ts} AS moved_ts, {iso(moved_ts)} AS moved_at
FROM bench_d d"""),
        ("drop the columns", "DROP TABLE bench_d"),
        ("drop indexes", "__drop__"),
        # The running totals made again over every row (the migration's own fill) rather than by
        # the trigger row by row: the same sums, a few grouped passes instead of 2M trigger calls.
        ("pause the totals", "ALTER TABLE dossier DISABLE TRIGGER tally_dossier_changed"),
        ("dossier rows", f"""
INSERT INTO dossier (id, agency_code, code, counter, status, procedure_code, received_at, due_at, returned_at, last_key,
                     last_event_id, created_at, updated_at, name_folded, id_number, procedure_name, channel, start_at,
                     finished_at)
SELECT did, agency, code, counter, status, pcode, recv, due, ret,
       CASE WHEN status IN (2, 3) THEN {utc_key('recv_ts', 'eid')} ELSE {utc_key('moved_ts', 'eid2')} END,
       CASE WHEN status IN (2, 3) THEN eid ELSE eid2 END, recv, recv, name_folded, id_number, pname, channel, recv, fin
FROM bench_x"""),
        # indexed.long_running, as ingest would set it (the generated times are all of one offset).
        ("long running", "UPDATE dossier SET long_running = 1 WHERE finished_at::timestamptz - "
                         f"received_at::timestamptz > interval '{LONG_RUNNING_DAYS} days'"),
        ("totals", "; ".join(["DELETE FROM tally_day", "DELETE FROM tally_work",
                              *tally_sql.fill(tally_sql.DISTRICT, postgresql=True)])
         + "; ALTER TABLE dossier ENABLE TRIGGER tally_dossier_changed"),
        ("intake events", f"""
INSERT INTO event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, from_status, to_status, at,
                   sort_key, payload_hash, payload_json, received_at)
SELECT eid, did, agency, dv.id, x.counter, 'counter', 'intake', NULL, CASE WHEN status = 3 THEN 3 ELSE 2 END, recv,
       {utc_key('recv_ts', 'eid')}, encode(sha256(convert_to(p, 'UTF8')), 'hex'), p, recv
FROM (SELECT x.*, {intake_json} AS p FROM bench_x x) x
JOIN device dv ON dv.agency_code = x.agency AND dv.counter = x.counter"""),
        ("latest moves", f"""
INSERT INTO event (event_id, dossier_id, agency_code, device_id, counter, origin, kind, from_status, to_status, at,
                   sort_key, payload_hash, payload_json, received_at)
SELECT eid2, did, agency, dv.id, x.counter, 'counter', CASE WHEN status = 5 THEN 'supplement' ELSE 'move' END,
       CASE status WHEN 10 THEN 9 WHEN 4 THEN 2 ELSE 4 END, status, moved_at,
       {utc_key('moved_ts', 'eid2')}, encode(sha256(convert_to(p, 'UTF8')), 'hex'), p, moved_at
FROM (SELECT x.*, {moved_json} AS p FROM bench_x x WHERE status NOT IN (2, 3)) x
JOIN device dv ON dv.agency_code = x.agency AND dv.counter = x.counter"""),
        ("last seen", f"""
INSERT INTO batch (batch_id, device_id, events, stored, received_at)
SELECT gen_random_uuid()::text, id, 40, 40, {seen_at}
FROM device"""),
        ("drop staging", "DROP TABLE bench_x"),  # before the indexes: room on the disk for their sorts
        ("rebuild indexes", "__rebuild__"),
    ]
    saved: list[tuple[str, str]] = []
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.autocommit = True
        for name, sql in steps:
            t = time.perf_counter()
            if sql == "__drop__":
                saved = _drop_indexes(raw, ("dossier", "event"))
            elif sql == "__rebuild__":
                for statement in saved:
                    raw.execute(statement)
            else:
                raw.execute(sql)
            log(f"  {name}: {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        raw.execute("VACUUM (ANALYZE) dossier")
        raw.execute("VACUUM (ANALYZE) event")
        raw.execute("ANALYZE")
        log(f"  vacuum, analyze: {time.perf_counter() - t:.0f} s")
    return total


def _drop_indexes(raw: Any, tables: tuple[str, ...]) -> list[str]:
    """Drop every index and key of the tables; the statements that make them again, as they were."""
    rebuild: list[str] = []
    for table in tables:
        cons = raw.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')", (table,)).fetchall()
        idx = raw.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                          "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                          (table, table)).fetchall()
        for name, _ in idx:
            raw.execute(f'DROP INDEX "{name}"')
        for name, _ in cons:
            raw.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild += [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in cons]
        rebuild += [d for _, d in idx]
    return rebuild
