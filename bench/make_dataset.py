"""Fill a store with N realistic dossiers: Vietnamese names with diacritics, the shipped procedure
mix, ten years of working-day dates, every status. 1M rows take a few minutes.

    .venv/bin/python bench/make_dataset.py --data-dir /tmp/qmc-1m --count 1000000

Rows go in through a raw (keyed) connection in large transactions (the service path fsyncs every dossier, which
is right for an officer and far too slow for ten years of history); the columns, codes, folded keys,
search index and due dates are made with the same domain functions the service uses.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter_app import clock  # noqa: E402
from counter_app.db import cipher  # noqa: E402
from counter_app.db.store import Store  # noqa: E402
from counter_app.domain.codes import format_dossier_code  # noqa: E402
from counter_app.domain.ids import new_id  # noqa: E402
from counter_app.domain.text import fold  # noqa: E402
from counter_app.domain.vn_time import VN_TZ  # noqa: E402
from counter_app.services import calendar_store, catalogue  # noqa: E402
from counter_app.services.office import init_office  # noqa: E402

AGENCY = "000.00.20.H12"
SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 2), ("Phan", 4),
            ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 1), ("Ngô", 1), ("Dương", 1),
            ("Lý", 1), ("Đinh", 1), ("Trịnh", 1), ("Đoàn", 1), ("Lương", 1)]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thành", "Ngọc", "Đình", "Quốc", "Anh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Mai", "Hồng", "Kim", "Phương", "Thùy", "Bích", "Diệu", "Minh"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Minh",
           "Nam", "Phong", "Quân", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Đạt"]
GIVEN_F = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc",
           "Nhung", "Phương", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Oanh", "Huyền", "Quỳnh", "Ánh"]
HAMLETS = ["thôn Đông", "thôn Tây", "thôn Nam", "thôn Bắc", "thôn Thượng", "thôn Hạ", "xóm Mới", "tổ dân phố 3"]
FIELD_WEIGHT = {"Chứng thực": 12, "Hộ tịch": 5}


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def person(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.52
    name = " ".join([weighted(rng, SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)])
    return name, "Nữ" if female else "Nam"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--passphrase", default=None, help="office recovery passphrase (default: a code, printed)")
    ap.add_argument("--clear", action="store_true",
                    help="a clear store as versions before encryption made (bench/bench_protection.py's baseline)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    directory = Path(args.data_dir)
    if args.clear:
        directory.mkdir(parents=True, exist_ok=True)
        store = Store(directory / "counter.sqlite3", key=None)
        store.migrate()
    else:
        store = Store.open(directory, passphrase=args.passphrase)
        if store.recovery_code:
            print(f"recovery code: {store.recovery_code}")
    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND phường Bình Mỹ", place="Bình Mỹ", counter=0)
        specs = catalogue.list_procedures(session)
        cal = calendar_store.work_calendar(session)
    key = store.key
    store.close()

    weights = [FIELD_WEIGHT.get(s.field, 1) for s in specs]
    end = date(2026, 11, 20)
    start = end - timedelta(days=365 * args.years)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    working = [d for d in days if cal.is_working_day(d)]
    per_day = args.count / len(working)
    t0 = time.perf_counter()
    conn = cipher.connect(directory / "counter.sqlite3", key)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -200000")
    made = 0
    key_used: set[int] = set()
    for di, day in enumerate(working):
        n_today = int(per_day * (di + 1)) - int(per_day * di)
        if made + n_today > args.count:
            n_today = args.count - made
        if n_today <= 0:
            continue
        age_days = (end - day).days
        counters = {0: 0, 1: 0, 2: 0}
        apps, dossiers, docs, events, box, fts, codes = [], [], [], [], [], [], []
        for _ in range(n_today):
            counter = rng.choice((0, 0, 1, 2))
            counters[counter] += 1
            seq = counter * 1000 + counters[counter]
            minute = rng.randrange(7 * 60, 17 * 60)
            received = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=VN_TZ)
            spec = rng.choices(specs, weights=weights)[0]
            due = cal.due_at(received, spec.working_days)
            name, gender = person(rng)
            aid, did, eid = new_id(), new_id(), new_id()
            key = int(received.timestamp() * 1000) * 1000
            while key in key_used:
                key += 1
            key_used.add(key)
            idn = (f"0{rng.randrange(1, 96):02d}{rng.randrange(0, 4)}"
                   f"{rng.randrange(40, 100):02d}{rng.randrange(10**6):06d}")
            phone = f"09{rng.randrange(10**8):08d}"
            status = 10 if age_days > 60 or rng.random() < 0.5 else rng.choice((2, 4, 4, 5, 9, 9, 7))
            span = due.due - received
            finished = (received + span * rng.uniform(0.3, 1.15)) if status in (7, 9, 10) else None
            returned = clock.iso(finished + timedelta(hours=rng.uniform(1, 72))) if status == 10 else None
            rating = rng.choice((1, 1, 1, 1, 2, 3, None)) if status == 10 else None
            stamp = clock.iso(received)
            apps.append((aid, name, fold(name), idn, "", "1980-01-01", gender,
                         f"Số {rng.randrange(1, 200)}, {rng.choice(HAMLETS)}, phường Bình Mỹ", phone, "", "{}"))
            dossiers.append((did, format_dossier_code(AGENCY, day, seq), key, AGENCY, counter, spec.code, spec.name,
                             spec.working_days, aid, status, 1, 1, stamp, clock.iso(due.start), clock.iso(due.due),
                             returned, name if returned else None, None, None, "", "cb.mot", stamp, stamp,
                             clock.iso(finished) if finished else None, rating))
            for pos, d in enumerate(spec.documents, 1):
                docs.append((did, pos, d.name, d.form, d.count))
            events.append((eid, did, "intake", None, 2, stamp, "cb.mot", "officer", "", "{}"))
            sent = age_days > 1
            box.append((eid, did, "intake", json.dumps({"event_id": eid, "code": dossiers[-1][1]}), stamp,
                        stamp if sent else None, 1 if sent else 0, "", "sent" if sent else "pending"))
            fts.append((key, fold(name)))
        for counter, last in counters.items():
            if last:
                codes.append((AGENCY, day.isoformat(), counter, last))
        with conn:
            conn.executemany("INSERT INTO applicant VALUES (?,?,?,?,?,?,?,?,?,?,?)", apps)
            conn.executemany(
                "INSERT INTO dossier (id, code, search_key, agency_code, counter, procedure_code, procedure_name, "
                "working_days, applicant_id, status, channel, sets, received_at, start_at, due_at, returned_at, "
                "recipient_name, recipient_id_number, recipient_relation, note, officer, created_at, updated_at, "
                "finished_at, rating) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", dossiers)
            conn.executemany("INSERT INTO dossier_document (dossier_id, position, name, form, count) "
                             "VALUES (?,?,?,?,?)", docs)
            conn.executemany("INSERT INTO status_event VALUES (?,?,?,?,?,?,?,?,?,?)", events)
            conn.executemany("INSERT INTO outbox (event_id, dossier_id, kind, payload_json, created_at, sent_at, "
                             "attempts, last_error, state) VALUES (?,?,?,?,?,?,?,?,?)", box)
            conn.executemany("INSERT INTO dossier_search(rowid, name) VALUES (?,?)", fts)
            conn.executemany("INSERT INTO code_counter (agency_code, day, counter, last_n) VALUES (?,?,?,?)", codes)
        made += n_today
        if di % 250 == 0:
            print(f"  {made:>9,} dossiers  {time.perf_counter() - t0:6.1f} s", flush=True)
    conn.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    size = (directory / "counter.sqlite3").stat().st_size
    print(f"made {made:,} dossiers in {time.perf_counter() - t0:.1f} s; store {size / 2**20:.0f} MiB "
          f"({size / max(made, 1) * 1_000_000 / 2**30:.2f} GiB per 1M dossiers)")


if __name__ == "__main__":
    main()
