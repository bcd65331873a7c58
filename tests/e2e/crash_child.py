"""Run by test_crash_safety: intakes in a loop, printing each code only after its commit."""

from __future__ import annotations

import sys
from pathlib import Path

from counter_app.db.store import Store
from counter_app.domain.actor import Actor
from counter_app.services import intake

store = Store.open(Path(sys.argv[1]))
request = intake.parse_intake({"procedure_code": "2.000815", "applicant": {
    "full_name": "Nguyễn Văn Đức", "id_number": "001090123456", "phone": "0912345678"},
    "received_at": "2026-03-02T09:00:00+07:00"})
print("ready", flush=True)
while True:
    with store.write() as session:
        code = intake.create_dossier(session, request, actor=Actor("crash", "scripted")).dossier["code"]
    print(code, flush=True)  # the officer is told only after the commit returned
