"""The scripted interface's commands and options, as argparse reads them (docs/cli.md).

Kept apart from cli.py, which runs the commands: this is the one place to read what can be typed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from counter_app.command_line import Parser

AddCommand = Callable[..., argparse.ArgumentParser]


def build_parser() -> argparse.ArgumentParser:
    """Every command and option of the scripted interface (docs/cli.md); cli.py runs them."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu (mặc định: thư mục người dùng)")
    p = Parser(prog="counter-app", description="Quầy Một Cửa: phần mềm tiếp nhận và trả kết quả hồ sơ.",
                parents=[common])
    p.add_argument("--version", action="store_true", help="in số phiên bản")
    command = _commands(p, common, "command")

    def actions(parser: argparse.ArgumentParser) -> AddCommand:
        """A command made of actions (`catalogue list`, `user add`): one of them must be named."""
        return _commands(parser, common, "action", required=True)

    init = command("init", help="khởi tạo kho dữ liệu của cơ quan")
    init.add_argument("--agency-code", required=True)
    init.add_argument("--agency-name", required=True)
    init.add_argument("--office-name", default="")
    init.add_argument("--place", default="")
    init.add_argument("--counter", type=int, default=0)
    init.add_argument("--passphrase-stdin", action="store_true",
                      help="đọc cụm mật khẩu khôi phục của cơ quan từ stdin (một dòng); không có: in mã khôi phục")

    cat = actions(command("catalogue", help="danh mục thủ tục"))
    cat("list")
    cat("import").add_argument("file")
    cat("export").add_argument("-o", "--output", required=True)

    intake = command("intake", help="tiếp nhận hồ sơ từ JSON")
    intake.add_argument("--json", required=True, dest="json_file")

    show = command("show", help="xem một hồ sơ theo mã")
    show.add_argument("code")

    status = command("status", help="chuyển trạng thái hồ sơ (mã 1–10)")
    status.add_argument("code")
    status.add_argument("new_status", type=int)
    status.add_argument("--note", default="")
    status.add_argument("--missing", action="append", default=[], help="giấy tờ cần bổ sung (lặp lại được)")

    ret = command("return", help="trả kết quả cho người nhận")
    ret.add_argument("code")
    ret.add_argument("--recipient-name", required=True)
    ret.add_argument("--recipient-id", default="")
    ret.add_argument("--relation", default="", help="quan hệ với người nộp, khi không phải người nộp")
    ret.add_argument("--rating", type=int, choices=(1, 2, 3), help="1 hài lòng, 2 bình thường, 3 không hài lòng")

    ext = command("extend", help="xin lỗi và gia hạn (một lần)")
    ext.add_argument("code")
    ext.add_argument("--new-due", required=True, help="thời điểm hẹn mới, ISO 8601")
    ext.add_argument("--reason", required=True)

    hand = command("handover", help="bàn giao hồ sơ cho nơi giải quyết")
    hand.add_argument("code")
    hand.add_argument("--to", required=True, dest="to_unit")
    hand.add_argument("--note", default="")

    att = command("attach", help="số hóa giấy tờ của hồ sơ (PDF, JPEG, PNG, TIFF)")
    att.add_argument("code")
    att.add_argument("files", nargs="+", metavar="FILE", help="các trang, theo thứ tự")
    att.add_argument("--component", type=int, default=None,
                     help="số thứ tự giấy tờ như 'show' liệt kê (từ 1); 0: giấy tờ khác")
    att.add_argument("--result", action="store_true", help="số hóa kết quả giải quyết (hồ sơ đã có kết quả)")
    att.add_argument("--name", default="", help="tên giấy tờ khác (với --component 0) hoặc của kết quả")
    att.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), default=0, help="xoay mọi trang (độ)")
    att.add_argument("--sign", action="store_true", help="ký số bản sao điện tử bằng USB ký số của cơ quan")
    att.add_argument("--pin-stdin", action="store_true",
                     help="với --sign: đọc mã PIN của USB ký số từ một dòng stdin (không ghi trên dòng lệnh)")
    fil = command("files", help="giấy tờ đã số hóa của một hồ sơ, hoặc 'verify'")
    fil.add_argument("target", metavar="CODE|verify", help="mã hồ sơ; 'verify': kiểm tra mọi tệp đã lưu")
    fil.add_argument("--history", action="store_true", help="cả các bản đã được thay")

    hist = command("history", help="lịch sử xử lý của một hồ sơ")
    hist.add_argument("code")

    att = command("attention", help="hồ sơ cần chú ý: quá hạn, đến hạn, chờ trả")
    att.add_argument("--pickup-days", type=int, default=None, help="mặc định: cài đặt attention.pickup_days")

    link = command("link", help="kết nối máy quầy với máy chủ huyện")
    link.add_argument("--server", required=True)
    link.add_argument("--token", required=True)
    link.add_argument("--fingerprint", default=None,
                      help="dấu vân tay SHA-256 chứng chỉ máy chủ (AA:BB:…) do 'counter-server add-device' in ra; "
                           "bỏ trống khi máy chủ có chứng chỉ thật")
    link.add_argument("--plain-http", action="store_true",
                      help="cho phép địa chỉ http:// không mã hóa (chỉ trong mạng nội bộ tin cậy)")
    sync = command("sync", help="đồng bộ với máy chủ huyện")
    sync.add_argument("--once", action="store_true")

    slip = command("slip", help="in giấy tiếp nhận và hẹn trả kết quả (Mẫu 01) ra PDF")
    slip.add_argument("code")
    slip.add_argument("-o", "--output", required=True)
    slip.add_argument("--paper", choices=("a5", "a4-2up"), default=None, help="mặc định: cài đặt papers.default_paper")

    paper = command("paper", help="in các mẫu 02–06 của một hồ sơ ra PDF")
    paper.add_argument("code")
    paper.add_argument("--form", required=True,
                       help="02 bổ sung, 03 từ chối, 04 xin lỗi/gia hạn, 05 dừng, 06 kiểm soát")
    paper.add_argument("-o", "--output", required=True)

    post = command("poster", help="tờ niêm yết thủ tục (có mã QR) hoặc danh mục niêm yết, ra PDF")
    post.add_argument("code", nargs="?", default=None, help="mã thủ tục, ví dụ 1.001193")
    post.add_argument("--list", action="store_true", dest="listing", help="danh mục mọi thủ tục theo lĩnh vực (A4)")
    post.add_argument("--all", action="store_true", dest="every", help="tờ niêm yết của mọi thủ tục trong một PDF")
    post.add_argument("--field", default=None, help="chỉ một lĩnh vực (với --all hoặc --list), ví dụ \"Hộ tịch\"")
    post.add_argument("-o", "--output", required=True)
    post.add_argument("--paper", default=None, help="a4 (mặc định) hoặc a5")

    rep = command("report", help="sổ theo dõi và thống kê (.xlsx hoặc .pdf)")
    rep.add_argument("--from", required=True, dest="date_from")
    rep.add_argument("--to", required=True, dest="date_to")
    rep.add_argument("-o", "--output", required=True)

    bak = command("backup", help="sao lưu kho dữ liệu (trực tuyến, có kiểm tra)")
    bak.add_argument("-o", "--output", required=True)
    res = command("restore", help="khôi phục từ bản sao lưu")
    res.add_argument("file")
    res.add_argument("--passphrase-stdin", action="store_true",
                     help="đọc cụm mật khẩu khôi phục từ stdin (một dòng); không có: hỏi khi cần")
    rec = actions(command("recovery", help="khóa của kho dữ liệu và cụm mật khẩu khôi phục"))
    for name, text in (("unlock", "mở khóa kho dữ liệu bằng cụm mật khẩu khôi phục (Windows cài lại)"),
                       ("set", "đặt cụm mật khẩu khôi phục mới (bản sao lưu cũ vẫn cần cụm cũ)")):
        action = rec(name, help=text)
        action.add_argument("--passphrase-stdin", action="store_true", help="đọc cụm mật khẩu từ stdin (một dòng)")

    user = actions(command("user", help="tài khoản cán bộ"))
    user_add = user("add")
    user_add.add_argument("username")
    user_add.add_argument("--full-name", required=True)
    user_add.add_argument("--role", choices=("officer", "leader", "admin"), default="officer")
    user_add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin (một dòng)")
    user("list")

    aud = actions(command("audit", help="nhật ký thao tác"))
    aud("verify")
    aud_show = aud("show")
    aud_show.add_argument("--target", default=None)
    aud_show.add_argument("--limit", type=int, default=50)

    person = command("export-person", help="xuất mọi hồ sơ của một công dân (JSON)")
    person.add_argument("--id-number", required=True)
    person.add_argument("-o", "--output", required=True)

    find = command("search", help="tìm hồ sơ theo tên, số định danh, điện thoại, mã")
    find.add_argument("query")
    find.add_argument("--limit", type=int, default=20)

    sett = actions(command("settings", help="cài đặt của cơ quan (docs/settings.md)"))
    sett("list")
    sett("get").add_argument("key")
    sett_set = sett("set")
    sett_set.add_argument("key")
    sett_set.add_argument("value")

    cal = actions(command("calendar", help="lịch nghỉ lễ và ngày làm việc bù"))
    cal_show = cal("show")
    cal_show.add_argument("year", type=int)
    cal_set = cal("set")
    cal_set.add_argument("date")
    cal_set.add_argument("kind", choices=("off", "work"))
    cal_set.add_argument("--name", default="")
    cal_due = cal("due", help="tính hạn trả kết quả")
    cal_due.add_argument("received_at")
    cal_due.add_argument("working_days")
    return p


def _commands(parser: argparse.ArgumentParser, common: argparse.ArgumentParser, dest: str, *,
              required: bool = False) -> AddCommand:
    """How the commands under `parser` (or a command's actions) are added: each takes the common
    options, so --data-dir may stand before or after the command's name."""
    group = parser.add_subparsers(dest=dest, required=required, parser_class=Parser)

    def add(name: str, **options: Any) -> argparse.ArgumentParser:
        return group.add_parser(name, parents=[common], **options)

    return add
