"""The scripted interface (docs/cli.md): `counter-app [--data-dir DIR] COMMAND …`.

Exit status: 0 done; 2 bad input or refused (one Vietnamese line on stderr, nothing changed);
3 server unreachable; 1 anything else. Scripted actions run as the OS user, recorded as such.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from counter_app import __version__, cli_recovery
from counter_app.atomic_file import write_atomically
from counter_app.cli_parser import build_parser
from counter_app.cli_recovery import read_passphrase, show_recovery_code
from counter_app.command_line import EXIT_OFFLINE, EXIT_OK, run_guarded, utf8_stdio
from counter_app.errors import UserError
from counter_app.sync.errors import ServerUnreachable

log = logging.getLogger("counter_app")


def main(argv: list[str] | None = None) -> int:
    from counter_app import logs

    utf8_stdio()
    logs.quiet()

    def run() -> int:
        args = build_parser().parse_args(argv)
        if args.version:
            print(f"Quầy Một Cửa {__version__}")
            return EXIT_OK
        if args.command is None:
            return _open_window(getattr(args, "data_dir", None))
        return _COMMANDS[args.command](args)

    return run_guarded(run, log, {ServerUnreachable: _offline})


def _offline(exc: Exception) -> int:
    assert isinstance(exc, ServerUnreachable)
    if exc.summary:
        _print_json(exc.summary)
    print(exc.message, file=sys.stderr)
    return EXIT_OFFLINE


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _open_store(args: argparse.Namespace, *, must_exist: bool = True, passphrase: str | None = None):  # noqa: ANN202
    from counter_app import logs
    from counter_app.config import data_dir, store_path
    from counter_app.db.store import Store
    from counter_app.errors import NotInitialisedError

    directory = data_dir(getattr(args, "data_dir", None))
    if must_exist and not store_path(directory).exists():
        raise NotInitialisedError()
    store = Store.open(directory, passphrase=passphrase)
    logs.to_folder(directory)
    if store.recovery_code and args.command != "init":  # a clear store just encrypted on upgrade
        show_recovery_code(store.recovery_code)
    return store


def _cmd_init(args: argparse.Namespace) -> int:
    from counter_app.db import keys
    from counter_app.services.office import init_office

    passphrase = read_passphrase(args, ask=False)
    if passphrase is not None:
        keys.check_passphrase(passphrase)  # refused before anything is made
    store = _open_store(args, must_exist=False)
    with store.write() as session:
        result = init_office(session, agency_code=args.agency_code, agency_name=args.agency_name,
                             office_name=args.office_name, place=args.place, counter=args.counter, actor=_actor())
        office = result.office
        summary = {"agency_code": office.agency_code, "agency_name": office.agency_name,
                   "office_name": office.office_name, "place": office.place, "counter": office.counter,
                   "data_dir": str(store.path.parent), "created": result.created}
    if result.created:
        store.set_office_passphrase(passphrase)
    elif passphrase is not None:
        print("Cụm mật khẩu khôi phục không đổi (kho đã khởi tạo): dùng 'counter-app recovery set' để đổi.",
              file=sys.stderr)
    if store.recovery_code:
        summary["recovery_code"] = store.recovery_code
        show_recovery_code(store.recovery_code)
    if not result.created:
        print(f"Kho dữ liệu đã được khởi tạo cho cơ quan {office.agency_code}; không có gì thay đổi.",
              file=sys.stderr)
    _print_json(summary)
    return EXIT_OK


def _cmd_catalogue(args: argparse.Namespace) -> int:
    from counter_app.services import catalogue

    store = _open_store(args)
    if args.action == "list":
        with store.read() as session:
            _print_json([s.to_dict() for s in catalogue.list_procedures(session)])
        return EXIT_OK
    if args.action == "export":
        with store.read() as session:
            specs = catalogue.list_procedures(session)
        _write_checked(Path(args.output), lambda p: catalogue.write_catalogue_file(specs, p))
        print(f"Đã xuất {len(specs)} thủ tục ra {args.output}.", file=sys.stderr)
        return EXIT_OK
    specs = catalogue.read_catalogue_file(Path(args.file))
    with store.write() as session:
        result = catalogue.import_procedures(session, specs, actor=_actor())
    _print_json({"added": result.added, "updated": result.updated, "unchanged": result.unchanged})
    return EXIT_OK


def _write_checked(path: Path, write) -> None:  # noqa: ANN001
    try:
        write(path)
    except (PermissionError, FileNotFoundError, IsADirectoryError):
        raise UserError(f"Không ghi được tệp '{path}': thư mục không tồn tại hoặc không có quyền ghi.") from None


def _read_json_input(source: str) -> Any:
    try:
        raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp '{source}'.") from None
    except UnicodeDecodeError:
        raise UserError("Dữ liệu vào phải là văn bản UTF-8.") from None
    from counter_app.domain import json_input

    return json_input.loads(raw, "Dữ liệu vào")


def _cmd_intake(args: argparse.Namespace) -> int:
    from counter_app.services import catalogue, intake

    data = _read_json_input(args.json_file)
    many = isinstance(data, list)
    items = data if many else [data]
    if many and not items:
        raise UserError("Mảng hồ sơ trống: không có gì để tiếp nhận.")
    store = _open_store(args)
    # Check every item before committing any, so a typo in item 7 does not leave items 1–6 half done.
    requests = []
    with store.read() as session:
        for i, item in enumerate(items, 1):
            try:
                request = intake.parse_intake(item)
                catalogue.get_procedure(session, request.procedure_code)
            except UserError as exc:
                raise UserError(f"Hồ sơ thứ {i}: {exc.message}" if many else exc.message) from None
            requests.append(request)
    actor = _actor()
    created: list[dict[str, Any]] = []
    for i, request in enumerate(requests, 1):
        try:
            with store.write() as session:
                result = intake.create_dossier(session, request, actor=actor)
        except UserError as exc:
            if created:
                _print_json(created)
            raise UserError(f"Hồ sơ thứ {i}: {exc.message} ({len(created)} hồ sơ trước đó đã được lưu.)"
                            if many else exc.message) from None
        for warning in result.warnings:
            print(f"{result.dossier['code']}: {warning}", file=sys.stderr)
        created.append({**result.dossier, "warnings": list(result.warnings)} if result.warnings else result.dossier)
    _print_json(created if many else created[0])
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from counter_app.services.lookup import open_by_code

    store = _open_store(args)
    with store.read() as session:
        _print_json(open_by_code(session, args.code))
    return EXIT_OK


def _actor():  # noqa: ANN202
    from counter_app.domain.actor import scripted_actor

    return scripted_actor()


def _open_desk(args: argparse.Namespace):  # noqa: ANN202
    """The same core object the window talks to, acting as the OS user (admin rights, audited as
    scripted: docs/roles.md)."""
    from counter_app.desk import Desk

    return Desk(_open_store(args), _actor())


def _cmd_status(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = _open_store(args)
    with store.write() as session:
        data = workflow.move(session, args.code, args.new_status, actor=_actor(), note=args.note,
                             missing=args.missing)
    _print_json(data)
    return EXIT_OK


def _cmd_return(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = _open_store(args)
    recipient = workflow.Recipient(args.recipient_name, args.recipient_id, args.relation)
    with store.write() as session:
        data = workflow.return_result(session, args.code, recipient, actor=_actor(), rating=args.rating)
    _print_json(data)
    return EXIT_OK


def _cmd_extend(args: argparse.Namespace) -> int:
    from counter_app import clock
    from counter_app.services import workflow

    try:
        new_due = clock.parse_iso(args.new_due)
    except ValueError:
        raise UserError(f"Thời điểm hẹn mới '{args.new_due}' không hợp lệ (ISO 8601).") from None
    store = _open_store(args)
    with store.write() as session:
        data = workflow.extend(session, args.code, new_due=new_due, reason=args.reason, actor=_actor())
    _print_json(data)
    return EXIT_OK


def _cmd_handover(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = _open_store(args)
    with store.write() as session:
        data = workflow.hand_over(session, args.code, to_unit=args.to_unit, note=args.note, actor=_actor())
    _print_json(data)
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = _open_store(args)
    with store.read() as session:
        _print_json(workflow.history(session, args.code))
    return EXIT_OK


def _cmd_attention(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    desk = _open_desk(args)
    result = desk.attention(None if args.pickup_days is None else max(0, args.pickup_days))
    _print_json({name: [asdict(r) for r in getattr(result, name)]
                 for name in ("overdue", "due_today", "due_24h", "awaiting_pickup")})
    return EXIT_OK


def _cmd_link(args: argparse.Namespace) -> int:
    from counter_app.sync.commands import link

    _print_json(link(_open_store(args), args.server, args.token))
    return EXIT_OK


def _cmd_sync(args: argparse.Namespace) -> int:
    from counter_app.sync.commands import sync_once

    if not args.once:
        raise UserError("Hãy dùng 'counter-app sync --once' (đồng bộ nền chạy trong cửa sổ).")
    _print_json(sync_once(_open_store(args)))
    return EXIT_OK


def _cmd_slip(args: argparse.Namespace) -> int:

    desk = _open_desk(args)
    paper = args.paper or desk.setting("papers.default_paper")
    data = desk.slip_pdf(args.code, paper)  # refused before any file exists
    write_atomically(data, args.output)
    desk.record_print(args.code.strip().upper(), "01", detail={"paper": paper, "file": Path(args.output).name})
    print(f"Đã ghi giấy hẹn ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_paper(args: argparse.Namespace) -> int:

    desk = _open_desk(args)
    data = desk.form_pdf(args.code, args.form)
    write_atomically(data, args.output)
    desk.record_print(args.code.strip().upper(), args.form, detail={"file": Path(args.output).name})
    print(f"Đã ghi mẫu {args.form} ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_poster(args: argparse.Namespace) -> int:
    from counter_app.domain.public_papers import poster_job, with_field_named

    job = poster_job(args.code, listing=args.listing, every=args.every, field=args.field, paper=args.paper)
    desk = _open_desk(args)
    job = with_field_named(job, desk.poster_fields())
    write_atomically(desk.public_pdf(job), args.output)  # refused before any file exists
    desk.record_print(job.target, job.audit_form, detail={"paper": job.paper, "file": Path(args.output).name})
    print(f"Đã ghi {job.what[:1].lower() + job.what[1:]} ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _parse_day(value: str, label: str):  # noqa: ANN202
    from counter_app.domain.validation import iso_day

    return iso_day(value, label=label)


def _cmd_report(args: argparse.Namespace) -> int:
    from counter_app import desk_admin
    from counter_app.services import statistics

    date_from, date_to = _parse_day(args.date_from, "Ngày bắt đầu"), _parse_day(args.date_to, "Ngày kết thúc")
    statistics.period_bounds(date_from, date_to)  # refuse a bad range before opening anything
    desk_admin.check_report_path(args.output)
    # The window's path: the same permission check and the same audit entry (report.export).
    output, rows = desk_admin.export_report(_open_desk(args), date_from, date_to, args.output)
    print(f"Đã ghi {rows} hồ sơ vào {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from counter_app.services.backup import make_backup

    store = _open_store(args)
    info = make_backup(store, Path(args.output))
    _print_json({"file": str(info.path), "agency_code": info.agency_code, "dossiers": info.dossiers,
                 "size": info.size, "schema": info.revision})
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from counter_app.config import data_dir
    from counter_app.services.backup import is_sealed, restore
    from counter_app.sync.commands import after_restore

    source = Path(args.file)
    sealed = source.is_file() and is_sealed(source)
    result = restore(data_dir(getattr(args, "data_dir", None)), source, read_passphrase(args, ask=sealed))
    store = _open_store(args)  # brings an older backup's schema up to date (with its own backup first)
    advice = after_restore(store, Path(args.file).name)
    store.close()
    if advice:
        print(advice, file=sys.stderr)
    summary = {"restored": str(result.restored.path), "agency_code": result.restored.agency_code,
               "dossiers": result.restored.dossiers,
               "previous_store_kept_at": str(result.previous_kept_at) if result.previous_kept_at else None}
    if result.recovery_code:
        summary["recovery_code"] = result.recovery_code
        show_recovery_code(result.recovery_code)
    _print_json(summary)
    return EXIT_OK



def _cmd_user(args: argparse.Namespace) -> int:
    from counter_app.services import accounts

    store = _open_store(args)
    if args.action == "list":
        with store.read() as session:
            _print_json([{"username": a.username, "full_name": a.full_name, "role": a.role}
                         for a in accounts.list_accounts(session)])
        return EXIT_OK
    if not args.password_stdin:
        raise UserError("Mật khẩu được đọc từ stdin: thêm --password-stdin (không ghi mật khẩu trên dòng lệnh).")
    password = sys.stdin.readline().rstrip("\r\n")
    with store.write() as session:
        account = accounts.create_account(session, args.username, args.full_name, args.role, password,
                                          actor=_actor())
    _print_json({"username": account.username, "full_name": account.full_name, "role": account.role})
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from counter_app.services import audit

    store = _open_store(args)
    if args.action == "verify":
        return _verify_audit(store)
    with store.read() as session:
        rows = audit.entries(session, target=args.target, limit=max(1, min(args.limit, 1000)))
        _print_json([{"seq": e.seq, "at": e.at, "actor": e.actor, "actor_kind": e.actor_kind, "action": e.action,
                      "target": e.target, "detail": json.loads(e.detail_json)} for e in rows])
    return EXIT_OK


def _verify_audit(store) -> int:  # noqa: ANN001 - Store
    """The chain on this machine, then (when linked) against the head the district server holds:
    2 when either is broken, 3 when the server could not be asked (the local check still ran)."""
    from counter_app.services import audit
    from counter_app.sync.audit_anchor import verify_upstream

    with store.read() as session:
        result = audit.verify(session)
    if not result.ok:
        raise UserError(result.message)
    upstream = verify_upstream(store)
    if not upstream.ok:
        raise UserError(upstream.message)
    summary = {"ok": True, "entries": result.entries, "upstream": upstream.status}
    if upstream.status == "unreachable":
        raise ServerUnreachable(f"{result.message} {upstream.message}", summary=summary)
    print(f"{result.message} {upstream.message}", file=sys.stderr)
    _print_json(summary)
    return EXIT_OK


def _cmd_export_person(args: argparse.Namespace) -> int:
    from counter_app.services.privacy import export_person

    store = _open_store(args)
    with store.read() as session:
        data = export_person(session, args.id_number)
    _write_checked(Path(args.output), lambda p: p.write_text(json.dumps(data, ensure_ascii=False, indent=2),
                                                            encoding="utf-8"))
    print(f"Đã xuất {len(data['dossiers'])} hồ sơ ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from counter_app.services.search import search

    store = _open_store(args)
    with store.read() as session:
        page = search(session, args.query, limit=max(1, min(args.limit, 500)))
    _print_json([asdict(r) for r in page.rows])
    return EXIT_OK


def _cmd_calendar(args: argparse.Namespace) -> int:
    from counter_app import clock
    from counter_app.domain import validation
    from counter_app.domain.vn_time import vn_datetime
    from counter_app.services import calendar_store, catalogue

    store = _open_store(args)
    if args.action == "show":
        with store.read() as session:
            table = calendar_store.year_table(session, args.year)
        _print_json({"year": table.year, "official": table.official, "source": table.source,
                     "days": [{"date": d.day.isoformat(), "kind": d.kind, "name": d.name,
                               "provisional": d.provisional} for d in table.days]})
        return EXIT_OK
    if args.action == "set":
        day = validation.iso_day(args.date, label="Ngày")
        with store.write() as session:
            calendar_store.set_day(session, day, args.kind, args.name, actor=_actor())
        print(f"Đã cập nhật ngày {day:%d/%m/%Y}.", file=sys.stderr)
        return EXIT_OK
    try:
        received = clock.parse_iso(args.received_at)
    except ValueError:
        raise UserError(f"Thời điểm '{args.received_at}' không hợp lệ (ISO 8601).") from None
    days = catalogue.working_days_value(args.working_days, "Thời hạn")
    with store.read() as session:
        due = calendar_store.work_calendar(session).due_at(received, days)
    _print_json({"received_at": clock.iso(received), "start_at": clock.iso(due.start), "due_at": clock.iso(due.due),
                 "due_text": vn_datetime(due.due),
                 "provisional_days": [d.day.isoformat() for d in due.provisional_days]})
    return EXIT_OK


def _cmd_settings(args: argparse.Namespace) -> int:
    desk = _open_desk(args)
    if args.action == "list":
        _print_json(desk.settings())
    elif args.action == "get":
        from counter_app.services.office_settings import option

        option(args.key)  # an unknown key is refused before the store is read
        _print_json(desk.setting(args.key))
    else:
        stored = desk.set_setting(args.key, args.value)
        _print_json({args.key: stored})
    return EXIT_OK


def _open_window(data_dir: str | None) -> int:
    try:
        from ui.app import run
    except ImportError as exc:
        raise UserError(f"Không mở được cửa sổ: thiếu thành phần giao diện ({exc}).") from None
    return run(data_dir)


_COMMANDS = {
    "init": _cmd_init,
    "catalogue": _cmd_catalogue,
    "intake": _cmd_intake,
    "show": _cmd_show,
    "status": _cmd_status,
    "return": _cmd_return,
    "extend": _cmd_extend,
    "handover": _cmd_handover,
    "history": _cmd_history,
    "attention": _cmd_attention,
    "link": _cmd_link,
    "sync": _cmd_sync,
    "slip": _cmd_slip,
    "paper": _cmd_paper,
    "poster": _cmd_poster,
    "report": _cmd_report,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "recovery": cli_recovery.run,
    "user": _cmd_user,
    "audit": _cmd_audit,
    "export-person": _cmd_export_person,
    "search": _cmd_search,
    "calendar": _cmd_calendar,
    "settings": _cmd_settings,
}


if __name__ == "__main__":
    sys.exit(main())
