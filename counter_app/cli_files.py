"""Digitisation from the scripted interface: `attach CODE --component N FILE…`, `files CODE` and
`files verify` (docs/cli.md, docs/digitisation.md). They go through the desk, as the window does."""

from __future__ import annotations

import argparse
import sys

from counter_app.cli_common import open_desk, print_json
from counter_app.command_line import EXIT_OK
from counter_app.errors import UserError


def attach(args: argparse.Namespace) -> int:
    from counter_app import desk_digitise
    from counter_app.digitise.normalise import Page

    if args.result and args.component is not None:
        raise UserError("Kết quả giải quyết không thuộc danh mục giấy tờ: dùng --result hoặc --component N, "
                        "không dùng cả hai.")
    if not args.result and args.component is None:
        raise UserError("Cần --component N (số thứ tự giấy tờ như 'show' liệt kê, 0 là giấy tờ khác) "
                        "hoặc --result.")
    if args.component is not None and args.component < 0:
        raise UserError("Số thứ tự giấy tờ (--component) phải từ 0 trở lên.")
    pin = _token_pin(args) if args.sign else None
    pages = [Page(path, rotate=args.rotate) for path in args.files]
    done = desk_digitise.attach(open_desk(args), args.code, pages, component=args.component or 0,
                                result=args.result, name=args.name, sign_pin=pin)
    for note in done.notes:
        print(note, file=sys.stderr)
    what = "thay bản số hóa trước (vẫn giữ trong lịch sử)" if done.replaced else "đã lưu"
    print(f"Đã số hóa '{done.file.component_name}' của hồ sơ {done.file.code}: {done.file.pages} trang, "
          f"{what}.", file=sys.stderr)
    print_json({**done.file.as_dict(), "replaced": done.replaced, "notes": list(done.notes)})
    return EXIT_OK


def _token_pin(args: argparse.Namespace) -> str:
    """The token's PIN: one line of stdin (--pin-stdin), else asked on a terminal; never an argument
    (it would stay in the shell's history and the process list)."""
    if args.pin_stdin:
        pin = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        import getpass

        pin = getpass.getpass("Mã PIN của USB ký số: ")
    else:
        raise UserError("Cần mã PIN của USB ký số: thêm --pin-stdin và đưa mã PIN vào stdin.")
    if not pin:
        raise UserError("Hãy nhập mã PIN của USB ký số.")
    return pin


def files(args: argparse.Namespace) -> int:
    from counter_app import desk_digitise

    desk = open_desk(args)
    if args.target == "verify":
        check = desk_digitise.verify_files(desk)
        if not check.ok:
            print_json({"ok": False, "files": check.checked,
                        "problems": [{"sha256": p.sha256, "state": p.state, "papers": list(p.papers)}
                                     for p in check.problems]})
            raise UserError(check.message)
        print(check.message, file=sys.stderr)
        print_json({"ok": True, "files": check.checked})
        return EXIT_OK
    print_json([f.as_dict() for f in desk_digitise.files(desk, args.target, history=args.history)])
    return EXIT_OK
