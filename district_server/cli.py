"""`counter-server [--db URL] COMMAND …` (docs/cli.md), for district IT staff.

    serve [--host 127.0.0.1] [--port 8750] [--workers N] [TLS options] [--plain-http] [--public-url URL]
                                                    run the server, HTTPS (migrates the database first);
                                                    --public-url: where citizens open the slip's QR
    add-device --agency-code CODE --counter K [TLS options]
                                                    prints {"device_id", "token", "fingerprint", …}; the
                                                    token is shown once, the fingerprint is what `link` pins
    TLS options: --cert FILE --key FILE (a real certificate; else the server's own, made on first use in
                 --tls-dir, default the data folder's tls/), --tls-name NAME (more names in our own; repeat)
    dossiers [--agency-code CODE]                   JSON array of stored dossiers with their history
    devices | revoke-device DEVICE_ID
    set-status CODE NEW_STATUS [--note TEXT]        a status change made at the district
    publish catalogue FILE [--agency-code CODE]     .json/.csv/.xlsx, as `counter-app catalogue import` takes
    publish calendar FILE [--agency-code CODE]      a year's holiday table (JSON)
    review list [--agency-code CODE] [--all]        events kept aside for a person to look at (also: reviews)
    review resolve ID                               mark one as dealt with (also: resolve-review ID)
    review room [--day YYYY-MM-DD]                  per device: review room used that day, events refused for
                                                    lack of room (review.py: 2,000 a device a day)
    audit heads [--agency-code CODE]                per counter: the audit-trail head it last reported, open breaks
    audit breaks [--agency-code CODE] [--all]       heads that went back or were rewritten (audit_heads.py)
    audit resolve ID                                mark a break as dealt with (a restore the district knows of)
    export [--agency-code CODE]                     dossiers in the national sync format (docs/legal.md §10)
    staff add USERNAME --role admin|leader|viewer --full-name NAME
                                                    a dashboard account; the password is read from stdin
                                                    (asked twice on a terminal); docs/server-web.md
    staff disable USERNAME | staff list
    migrate

Exit status: 0 done; 2 bad input or refused (one Vietnamese line on stderr); 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from counter_app.command_line import EXIT_OK, Parser, add_status_move, run_guarded, utf8_stdio
from counter_app.errors import UserError
from district_server import __version__
from district_server.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENV_CERT,
    ENV_DB,
    ENV_KEY,
    ENV_PUBLIC_URL,
    database_url,
    given,
    public_url,
    tls_dir,
)

log = logging.getLogger("district_server")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="URL SQLAlchemy của cơ sở dữ liệu (mặc định: SQLite trong thư mục dữ liệu)")
    p = Parser(prog="counter-server", description="Máy chủ huyện của Quầy Một Cửa.", parents=[common])
    p.add_argument("--version", action="store_true")
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    tls = argparse.ArgumentParser(add_help=False)
    tls.add_argument("--cert", "--ssl-certfile", dest="cert", default=None,
                     help=f"chứng chỉ TLS thật (PEM; hoặc biến {ENV_CERT}); mặc định: chứng chỉ tự cấp của máy chủ")
    tls.add_argument("--key", "--ssl-keyfile", dest="key", default=None,
                     help=f"khóa riêng của chứng chỉ đó (PEM; hoặc biến {ENV_KEY})")
    tls.add_argument("--tls-dir", default=None,
                     help="thư mục giữ CA và chứng chỉ tự cấp (mặc định: tls/ trong thư mục dữ liệu)")
    tls.add_argument("--tls-name", action="append", default=[],
                     help="thêm một tên hoặc địa chỉ IP vào chứng chỉ tự cấp (lặp lại được)")

    serve = sub.add_parser("serve", parents=[common, tls], help="chạy máy chủ")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=1,
                       help="số tiến trình phục vụ (PostgreSQL; SQLite chỉ dùng 1)")
    serve.add_argument("--public-url", default=None,
                       help="địa chỉ công khai (chứng chỉ thật) mà mã QR tra cứu trên giấy hẹn trỏ tới")
    serve.add_argument("--plain-http", action="store_true",
                       help="chạy HTTP không mã hóa (chỉ sau một reverse proxy HTTPS hoặc trong mạng thử)")

    add = sub.add_parser("add-device", parents=[common, tls], help="cấp mã cho một máy quầy")
    add.add_argument("--agency-code", required=True)
    add.add_argument("--counter", type=int, required=True)
    add.add_argument("--label", default="")

    listing = sub.add_parser("dossiers", parents=[common], help="các hồ sơ đã nhận")
    listing.add_argument("--agency-code")

    sub.add_parser("devices", parents=[common], help="các máy quầy đã cấp mã")
    revoke = sub.add_parser("revoke-device", parents=[common], help="thu hồi mã của một máy quầy")
    revoke.add_argument("device_id")

    add_status_move(sub, "set-status", common, "chuyển trạng thái hồ sơ từ huyện")

    publish = sub.add_parser("publish", parents=[common], help="phát hành danh mục thủ tục hoặc lịch nghỉ lễ")
    publish.add_argument("what", choices=("catalogue", "calendar"))
    publish.add_argument("file")
    publish.add_argument("--agency-code")
    publish.add_argument("--note", default="")

    reviews = sub.add_parser("reviews", parents=[common], help="sự kiện bị giữ lại chờ kiểm tra")
    reviews.add_argument("--agency-code")
    resolve = sub.add_parser("resolve-review", parents=[common], help="đánh dấu đã xử lý một sự kiện bị giữ lại")
    resolve.add_argument("review_id", type=int)

    group = sub.add_parser("review", parents=[common], help="sự kiện bị giữ lại chờ kiểm tra")
    actions = group.add_subparsers(dest="review_action", parser_class=Parser, required=True)
    _cases(actions, common, "list", "các sự kiện đang chờ kiểm tra", "cả những sự kiện đã xử lý", "review_id")
    room = actions.add_parser("room", parents=[common], help="mức dùng chỗ chờ kiểm tra của từng máy quầy")
    room.add_argument("--day", help="ngày YYYY-MM-DD (mặc định: hôm nay)")

    trail = sub.add_parser("audit", parents=[common], help="đầu chuỗi nhật ký thao tác các máy quầy báo lên")
    trail_actions = trail.add_subparsers(dest="audit_action", parser_class=Parser, required=True)
    trail_heads = trail_actions.add_parser("heads", parents=[common], help="đầu chuỗi nhật ký của từng máy quầy")
    trail_heads.add_argument("--agency-code")
    _cases(trail_actions, common, "breaks", "các lần nhật ký bị lùi lại hoặc bị sửa", "cả những lần đã xử lý",
           "break_id")

    export = sub.add_parser("export", parents=[common], help="xuất hồ sơ theo định dạng đồng bộ quốc gia")
    export.add_argument("--agency-code")

    people = sub.add_parser("staff", parents=[common], help="tài khoản cán bộ huyện của trang quản trị")
    staff_actions = people.add_subparsers(dest="staff_action", parser_class=Parser, required=True)
    added = staff_actions.add_parser("add", parents=[common], help="thêm tài khoản (mật khẩu đọc từ stdin)")
    added.add_argument("username")
    added.add_argument("--role", required=True, choices=("admin", "leader", "viewer"))
    added.add_argument("--full-name", required=True)
    off = staff_actions.add_parser("disable", parents=[common], help="khóa tài khoản và đóng mọi phiên")
    off.add_argument("username")
    staff_actions.add_parser("list", parents=[common], help="các tài khoản")

    sub.add_parser("migrate", parents=[common], help="nâng cấp lược đồ cơ sở dữ liệu")
    return p


def _cases(actions: Any, common: argparse.ArgumentParser, listing: str, listing_help: str, all_help: str,
           id_name: str) -> None:
    """Cases the district looks at and closes (reviews, audit breaks): their list, per office and
    open ones unless --all, and `resolve <id>`."""
    listed = actions.add_parser(listing, parents=[common], help=listing_help)
    listed.add_argument("--agency-code")
    listed.add_argument("--all", action="store_true", help=all_help)
    done = actions.add_parser("resolve", parents=[common], help="đánh dấu đã xử lý")
    done.add_argument(id_name, type=int)


def main(argv: list[str] | None = None) -> int:
    utf8_stdio()

    def run() -> int:
        args = _parser().parse_args(argv)
        if args.version:
            print(f"Quầy Một Cửa — máy chủ huyện {__version__}")
            return EXIT_OK
        if args.command is None:
            raise UserError("Thiếu lệnh; xem 'counter-server --help'.")
        return _COMMANDS[args.command](args)

    return run_guarded(run, log)


def _db(args: argparse.Namespace):  # noqa: ANN202 - Database (imported lazily: --version stays fast)
    from sqlalchemy.exc import OperationalError

    from district_server.database import open_database

    url = database_url(getattr(args, "db", None))
    try:
        return open_database(url)
    except OperationalError as exc:
        raise UserError(f"Không kết nối được cơ sở dữ liệu ({_safe_url(url)}): "
                        f"{str(exc.orig or exc).splitlines()[0]}") from None


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message
        return "?"


def _dumps(data: Any, **options: Any) -> str:
    """JSON for stdout: Vietnamese as is, but a lone surrogate a counter sent (kept in review as
    received) as its \\u escape, or the whole listing would fail to print."""
    text = json.dumps(data, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, **options)
    return text


def _print_json(data: Any) -> None:
    print(_dumps(data, indent=2))


def _print_json_stream(items: Any) -> None:
    """A JSON array written item by item: a district's dossiers never sit in memory all at once."""
    out = sys.stdout
    out.write("[")
    first = True
    for item in items:
        out.write("\n" if first else ",\n")
        out.write(_dumps(item))
        first = False
    out.write("\n]\n" if not first else "]\n")
    out.flush()


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from district_server.app import create_app

    if not 0 < args.port < 65536:
        raise UserError(f"Cổng {args.port} không hợp lệ.")
    if not 1 <= args.workers <= 64:
        raise UserError("Số tiến trình (--workers) phải từ 1 đến 64.")
    if args.plain_http and (args.cert or args.key):
        raise UserError("--plain-http không đi cùng --cert/--key: chọn một trong hai.")
    try:
        public = public_url(args.public_url)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    certificate = None if args.plain_http else _certificate(args, host=args.host)
    db = _db(args)
    if args.workers > 1 and db.is_sqlite:
        raise UserError("SQLite chỉ cho một tiến trình ghi: dùng --workers 1, hoặc PostgreSQL.")
    # Tokens and citizens' data travel in the requests: HTTPS unless asked otherwise.
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": "info", "server_header": False}
    if certificate is None:
        print("CẢNH BÁO: máy chủ huyện chạy HTTP KHÔNG mã hóa (--plain-http): mã thiết bị và dữ liệu công dân "
              "đi qua mạng ở dạng đọc được; chỉ dùng sau một reverse proxy HTTPS hoặc trong mạng thử.",
              file=sys.stderr, flush=True)
    else:
        options.update(ssl_certfile=str(certificate.cert_file), ssl_keyfile=str(certificate.key_file))
        print(f"Máy chủ huyện chạy HTTPS; dấu vân tay chứng chỉ (SHA-256): {certificate.fingerprint}",
              file=sys.stderr, flush=True)
        if public is None and not given(args.cert, ENV_CERT):
            print("Lưu ý: chưa có địa chỉ công khai (--public-url): điện thoại người dân không tin chứng chỉ tự cấp, "
                  "nên giấy hẹn của các máy quầy sẽ không in mã QR tra cứu.", file=sys.stderr, flush=True)
    if args.workers == 1:
        uvicorn.run(create_app(db, public_url=public), **options)
        return EXIT_OK
    db.close()
    os.environ[ENV_DB] = db.url  # each worker process opens it again (app_from_env)
    if public is not None:
        os.environ[ENV_PUBLIC_URL] = public
    uvicorn.run("district_server.app:app_from_env", factory=True, workers=args.workers, **options)
    return EXIT_OK


def _certificate(args: argparse.Namespace, *, host: str | None = None):  # noqa: ANN202 - tls.ServerCertificate
    """The certificate `serve` serves and `add-device` prints the fingerprint of (the same one)."""
    from district_server import tls

    cert, key = given(args.cert, ENV_CERT), given(args.key, ENV_KEY)
    certificate = tls.server_certificate(cert=cert, key=key, names=tls.names_for(host, args.tls_name),
                                         directory=None if cert or key else tls_dir(args.tls_dir))
    if certificate.missing_names:
        print(f"Lưu ý: chứng chỉ tự cấp không có tên {', '.join(certificate.missing_names)} (trình duyệt sẽ cảnh báo; "
              "máy quầy đã ghim dấu vân tay vẫn kết nối được). Muốn thêm: xóa server.pem và server-key.pem trong "
              f"{certificate.cert_file.parent} rồi chạy lại — sau đó mọi máy quầy phải liên kết lại.",
              file=sys.stderr, flush=True)
    return certificate


def _cmd_add_device(args: argparse.Namespace) -> int:
    from district_server.auth import add_device

    certificate = _certificate(args)
    dev, token = add_device(_db(args), args.agency_code, args.counter, args.label)
    _print_json({"device_id": dev.id, "token": token, "agency_code": dev.agency_code, "counter": dev.counter,
                 "fingerprint": certificate.fingerprint})
    print(f"Dấu vân tay chứng chỉ máy chủ (SHA-256): {certificate.fingerprint}\n"
          f"Trên máy quầy: counter-app link --server https://… --token … --fingerprint {certificate.fingerprint}",
          file=sys.stderr)
    return EXIT_OK


def _cmd_dossiers(args: argparse.Namespace) -> int:
    from district_server.dossiers import iter_dossiers

    _print_json_stream(iter_dossiers(_db(args), args.agency_code))
    return EXIT_OK


def _cmd_devices(args: argparse.Namespace) -> int:
    from district_server.auth import list_devices

    _print_json(list_devices(_db(args)))
    return EXIT_OK


def _cmd_revoke(args: argparse.Namespace) -> int:
    from district_server.auth import revoke_device

    if not revoke_device(_db(args), args.device_id):
        raise UserError(f"Không có máy quầy {args.device_id} đang hoạt động.")
    print(f"Đã thu hồi mã của máy quầy {args.device_id}.", file=sys.stderr)
    return EXIT_OK


def _cmd_set_status(args: argparse.Namespace) -> int:
    from district_server.admin import set_status

    if not 1 <= args.new_status <= 10:
        raise UserError("Mã trạng thái phải từ 1 đến 10.")
    _print_json(set_status(_db(args), args.code, args.new_status, note=args.note, officer="district"))
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from counter_app.services import catalogue
    from district_server import admin

    path = Path(args.file)
    if args.what == "catalogue":
        specs = catalogue.read_catalogue_file(path)
        seq = admin.publish_catalogue(_db(args), [s.to_dict() for s in specs], agency_code=args.agency_code,
                                      note=args.note)
    else:
        try:
            table = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise UserError(f"Không tìm thấy tệp '{path}'.") from None
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise UserError(f"Tệp '{path.name}' không phải JSON UTF-8 hợp lệ.") from None
        seq = admin.publish_calendar(_db(args), table, agency_code=args.agency_code, note=args.note)
    _print_json({"published": args.what, "seq": seq, "agency_code": args.agency_code})
    return EXIT_OK


def _cmd_reviews(args: argparse.Namespace) -> int:
    from district_server.review import list_reviews

    _print_json(list_reviews(_db(args), agency_code=args.agency_code, include_resolved=getattr(args, "all", False)))
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    if args.review_action == "list":
        return _cmd_reviews(args)
    if args.review_action == "resolve":
        return _cmd_resolve(args)
    from datetime import date

    from district_server.review import room

    if args.day is not None:
        try:
            args.day = date.fromisoformat(args.day).isoformat()
        except ValueError:
            raise UserError(f"Ngày '{args.day}' không đúng dạng YYYY-MM-DD.") from None
    _print_json(room(_db(args), args.day))
    return EXIT_OK


def _cmd_resolve(args: argparse.Namespace) -> int:
    from district_server.review import resolve_review

    if not resolve_review(_db(args), args.review_id):
        raise UserError(f"Không có mục chờ kiểm tra số {args.review_id} (hoặc đã xử lý).")
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from district_server import audit_heads

    if args.audit_action == "heads":
        _print_json(audit_heads.heads(_db(args), agency_code=args.agency_code))
    elif args.audit_action == "breaks":
        _print_json(audit_heads.breaks(_db(args), agency_code=args.agency_code, include_resolved=args.all))
    elif not audit_heads.resolve_break(_db(args), args.break_id):
        raise UserError(f"Không có lần đứt nhật ký số {args.break_id} đang chờ xử lý.")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from district_server.dossiers import iter_dossiers
    from district_server.export import to_national

    _print_json_stream(to_national(d) for d in iter_dossiers(_db(args), args.agency_code))
    return EXIT_OK


def _cmd_staff(args: argparse.Namespace) -> int:
    from district_server import staff

    if args.staff_action == "list":
        _print_json(staff.list_staff(_db(args)))
        return EXIT_OK
    if args.staff_action == "disable":
        if not staff.disable_staff(_db(args), args.username):
            raise UserError(f"Không có tài khoản '{args.username}' đang hoạt động.")
        print(f"Đã khóa tài khoản {args.username}.", file=sys.stderr)
        return EXIT_OK
    who = staff.add_staff(_db(args), args.username, args.full_name, args.role, _read_password())
    _print_json({"username": who.username, "full_name": who.full_name, "role": who.role})
    return EXIT_OK


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise UserError("Hai lần nhập mật khẩu không khớp.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _cmd_migrate(args: argparse.Namespace) -> int:
    db = _db(args)
    print(f"Lược đồ cơ sở dữ liệu: {db.current_revision()}", file=sys.stderr)
    return EXIT_OK


_COMMANDS = {
    "serve": _cmd_serve,
    "add-device": _cmd_add_device,
    "dossiers": _cmd_dossiers,
    "devices": _cmd_devices,
    "revoke-device": _cmd_revoke,
    "set-status": _cmd_set_status,
    "publish": _cmd_publish,
    "reviews": _cmd_reviews,
    "resolve-review": _cmd_resolve,
    "review": _cmd_review,
    "audit": _cmd_audit,
    "export": _cmd_export,
    "staff": _cmd_staff,
    "migrate": _cmd_migrate,
}
