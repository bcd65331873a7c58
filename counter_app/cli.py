"""The scripted interface (docs/cli.md): `counter-app [--data-dir DIR] COMMAND …`.

Exit status: 0 done; 2 bad input or refused (one Vietnamese line on stderr, nothing changed);
3 server unreachable; 1 anything else. Scripted actions run as the OS user, recorded as such.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from counter_app import __version__, cli_files, cli_recovery, cli_trail
from counter_app.atomic_file import write_atomically
from counter_app.cli_common import actor as scripted
from counter_app.cli_common import (
    open_desk,
    open_store,
    parse_day,
    print_json,
    print_read,
    read_json_input,
    write_checked,
)
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
        print_json(exc.summary)
    print(exc.message, file=sys.stderr)
    return EXIT_OFFLINE


def _cmd_init(args: argparse.Namespace) -> int:
    from counter_app.db import keys
    from counter_app.services.office import init_office

    passphrase = read_passphrase(args, ask=False)
    if passphrase is not None:
        keys.check_passphrase(passphrase)  # refused before anything is made
    store = open_store(args, must_exist=False)
    with store.write() as session:
        result = init_office(session, agency_code=args.agency_code, agency_name=args.agency_name,
                             office_name=args.office_name, place=args.place, counter=args.counter, actor=scripted())
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
    print_json(summary)
    return EXIT_OK


def _cmd_catalogue(args: argparse.Namespace) -> int:
    from counter_app.services import catalogue

    store = open_store(args)
    if args.action == "list":
        return print_read(store, lambda session: [s.to_dict() for s in catalogue.list_procedures(session)])
    if args.action == "export":
        with store.read() as session:
            specs = catalogue.list_procedures(session)
        write_checked(Path(args.output), lambda p: catalogue.write_catalogue_file(specs, p))
        print(f"Đã xuất {len(specs)} thủ tục ra {args.output}.", file=sys.stderr)
        return EXIT_OK
    specs = catalogue.read_catalogue_file(Path(args.file))
    with store.write() as session:
        result = catalogue.import_procedures(session, specs, actor=scripted())
    print_json({"added": result.added, "updated": result.updated, "unchanged": result.unchanged})
    return EXIT_OK


def _cmd_intake(args: argparse.Namespace) -> int:
    from counter_app.services import catalogue, intake

    data = read_json_input(args.json_file)
    many = isinstance(data, list)
    items = data if many else [data]
    if many and not items:
        raise UserError("Mảng hồ sơ trống: không có gì để tiếp nhận.")
    store = open_store(args)
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
    actor = scripted()
    created: list[dict[str, Any]] = []
    for i, request in enumerate(requests, 1):
        try:
            with store.write() as session:
                result = intake.create_dossier(session, request, actor=actor)
        except UserError as exc:
            if created:
                print_json(created)
            raise UserError(f"Hồ sơ thứ {i}: {exc.message} ({len(created)} hồ sơ trước đó đã được lưu.)"
                            if many else exc.message) from None
        for warning in result.warnings:
            print(f"{result.dossier['code']}: {warning}", file=sys.stderr)
        created.append({**result.dossier, "warnings": list(result.warnings)} if result.warnings else result.dossier)
    print_json(created if many else created[0])
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from counter_app.services.lookup import open_by_code

    return print_read(open_store(args), lambda session: open_by_code(session, args.code))


def _cmd_status(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = open_store(args)
    with store.write() as session:
        data = workflow.move(session, args.code, args.new_status, actor=scripted(), note=args.note,
                             missing=args.missing)
    print_json(data)
    return EXIT_OK


def _cmd_return(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = open_store(args)
    recipient = workflow.Recipient(args.recipient_name, args.recipient_id, args.relation)
    with store.write() as session:
        data = workflow.return_result(session, args.code, recipient, actor=scripted(), rating=args.rating)
    print_json(data)
    return EXIT_OK


def _cmd_extend(args: argparse.Namespace) -> int:
    from counter_app import clock
    from counter_app.services import workflow

    try:
        new_due = clock.parse_iso(args.new_due)
    except ValueError:
        raise UserError(f"Thời điểm hẹn mới '{args.new_due}' không hợp lệ (ISO 8601).") from None
    store = open_store(args)
    with store.write() as session:
        data = workflow.extend(session, args.code, new_due=new_due, reason=args.reason, actor=scripted())
    print_json(data)
    return EXIT_OK


def _cmd_handover(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    store = open_store(args)
    with store.write() as session:
        data = workflow.hand_over(session, args.code, to_unit=args.to_unit, note=args.note, actor=scripted())
    print_json(data)
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    from counter_app.services import workflow

    return print_read(open_store(args), lambda session: workflow.history(session, args.code))


def _cmd_attention(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    desk = open_desk(args)
    result = desk.attention(None if args.pickup_days is None else max(0, args.pickup_days))
    print_json({name: [asdict(r) for r in getattr(result, name)]
                 for name in ("overdue", "due_today", "due_24h", "awaiting_pickup")})
    return EXIT_OK


def _cmd_link(args: argparse.Namespace) -> int:
    from counter_app.sync.commands import link

    print_json(link(open_store(args), args.server, args.token, fingerprint=args.fingerprint,
                    plain_http=args.plain_http))
    return EXIT_OK


def _cmd_sync(args: argparse.Namespace) -> int:
    from counter_app.sync.commands import sync_once

    if not args.once:
        raise UserError("Hãy dùng 'counter-app sync --once' (đồng bộ nền chạy trong cửa sổ).")
    print_json(sync_once(open_store(args)))
    return EXIT_OK


def _cmd_slip(args: argparse.Namespace) -> int:

    desk = open_desk(args)
    paper = args.paper or desk.setting("papers.default_paper")
    data = desk.slip_pdf(args.code, paper)  # refused before any file exists
    write_atomically(data, args.output)
    desk.record_print(args.code.strip().upper(), "01", detail={"paper": paper, "file": Path(args.output).name})
    print(f"Đã ghi giấy hẹn ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_paper(args: argparse.Namespace) -> int:

    desk = open_desk(args)
    data = desk.form_pdf(args.code, args.form)
    write_atomically(data, args.output)
    desk.record_print(args.code.strip().upper(), args.form, detail={"file": Path(args.output).name})
    print(f"Đã ghi mẫu {args.form} ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_poster(args: argparse.Namespace) -> int:
    from counter_app.domain.public_papers import poster_job, with_field_named

    job = poster_job(args.code, listing=args.listing, every=args.every, field=args.field, paper=args.paper)
    desk = open_desk(args)
    job = with_field_named(job, desk.poster_fields())
    write_atomically(desk.public_pdf(job), args.output)  # refused before any file exists
    desk.record_print(job.target, job.audit_form, detail={"paper": job.paper, "file": Path(args.output).name})
    print(f"Đã ghi {job.what[:1].lower() + job.what[1:]} ra {args.output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from counter_app import desk_admin
    from counter_app.services import statistics

    date_from, date_to = parse_day(args.date_from, "Ngày bắt đầu"), parse_day(args.date_to, "Ngày kết thúc")
    statistics.period_bounds(date_from, date_to)  # refuse a bad range before opening anything
    desk_admin.check_report_path(args.output)
    # The window's path: the same permission check and the same audit entry (report.export).
    output, rows = desk_admin.export_report(open_desk(args), date_from, date_to, args.output)
    print(f"Đã ghi {rows} hồ sơ vào {output}.", file=sys.stderr)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from counter_app.services.backup import make_backup

    store = open_store(args)
    info = make_backup(store, Path(args.output))
    if info.files_missing:
        print(f"{info.files_missing} tệp số hóa bị mất hoặc bị sửa nên không có trong bản sao lưu: "
              "hãy chạy 'counter-app files verify'.", file=sys.stderr)
    print_json({"file": str(info.path), "agency_code": info.agency_code, "dossiers": info.dossiers,
                 "size": info.size, "schema": info.revision, "files": info.files, "files_missing": info.files_missing})
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from counter_app.config import data_dir
    from counter_app.services.backup import is_sealed, restore
    from counter_app.sync.commands import after_restore

    source = Path(args.file)
    sealed = source.is_file() and is_sealed(source)
    result = restore(data_dir(getattr(args, "data_dir", None)), source, read_passphrase(args, ask=sealed))
    store = open_store(args)  # brings an older backup's schema up to date (with its own backup first)
    advice = after_restore(store, Path(args.file).name)
    store.close()
    if advice:
        print(advice, file=sys.stderr)
    summary = {"restored": str(result.restored.path), "agency_code": result.restored.agency_code,
               "dossiers": result.restored.dossiers,
               "previous_store_kept_at": str(result.previous_kept_at) if result.previous_kept_at else None,
               "files": result.files, "files_missing": result.files_missing}
    if result.files_missing:
        print(f"{result.files_missing} tệp số hóa mà kho dữ liệu khôi phục cần không có (đã mất trước khi sao lưu): "
              "hãy chạy 'counter-app files verify' để biết hồ sơ nào cần số hóa lại.", file=sys.stderr)
    if result.recovery_code:
        summary["recovery_code"] = result.recovery_code
        show_recovery_code(result.recovery_code)
    print_json(summary)
    return EXIT_OK



def _cmd_user(args: argparse.Namespace) -> int:
    from counter_app.services import accounts

    store = open_store(args)
    if args.action == "list":
        return print_read(store, lambda session: [_account(a) for a in accounts.list_accounts(session)])
    if not args.password_stdin:
        raise UserError("Mật khẩu được đọc từ stdin: thêm --password-stdin (không ghi mật khẩu trên dòng lệnh).")
    password = sys.stdin.readline().rstrip("\r\n")
    with store.write() as session:
        account = accounts.create_account(session, args.username, args.full_name, args.role, password,
                                          actor=scripted())
    print_json(_account(account))
    return EXIT_OK


def _account(account) -> dict[str, str]:  # noqa: ANN001 - an Officer
    return {"username": account.username, "full_name": account.full_name, "role": account.role}


def _cmd_search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from counter_app.services.search import search

    store = open_store(args)
    with store.read() as session:
        page = search(session, args.query, limit=max(1, min(args.limit, 500)))
    print_json([asdict(r) for r in page.rows])
    return EXIT_OK


def _cmd_calendar(args: argparse.Namespace) -> int:
    from counter_app import clock
    from counter_app.domain import validation
    from counter_app.domain.vn_time import vn_datetime
    from counter_app.services import calendar_store, catalogue

    store = open_store(args)
    if args.action == "show":
        with store.read() as session:
            table = calendar_store.year_table(session, args.year)
        print_json({"year": table.year, "official": table.official, "source": table.source,
                     "days": [{"date": d.day.isoformat(), "kind": d.kind, "name": d.name,
                               "provisional": d.provisional} for d in table.days]})
        return EXIT_OK
    if args.action == "set":
        day = validation.iso_day(args.date, label="Ngày")
        with store.write() as session:
            calendar_store.set_day(session, day, args.kind, args.name, actor=scripted())
        print(f"Đã cập nhật ngày {day:%d/%m/%Y}.", file=sys.stderr)
        return EXIT_OK
    try:
        received = clock.parse_iso(args.received_at)
    except ValueError:
        raise UserError(f"Thời điểm '{args.received_at}' không hợp lệ (ISO 8601).") from None
    days = catalogue.working_days_value(args.working_days, "Thời hạn")
    with store.read() as session:
        due = calendar_store.work_calendar(session).due_at(received, days)
    print_json({"received_at": clock.iso(received), "start_at": clock.iso(due.start), "due_at": clock.iso(due.due),
                 "due_text": vn_datetime(due.due),
                 "provisional_days": [d.day.isoformat() for d in due.provisional_days]})
    return EXIT_OK


def _cmd_settings(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    if args.action == "list":
        print_json(desk.settings())
    elif args.action == "get":
        from counter_app.services.office_settings import option

        option(args.key)  # an unknown key is refused before the store is read
        print_json(desk.setting(args.key))
    else:
        stored = desk.set_setting(args.key, args.value)
        print_json({args.key: stored})
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
    "attach": cli_files.attach,
    "files": cli_files.files,
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
    "audit": cli_trail.audit,
    "export-person": cli_trail.export_person,
    "search": _cmd_search,
    "calendar": _cmd_calendar,
    "settings": _cmd_settings,
}


if __name__ == "__main__":
    sys.exit(main())
