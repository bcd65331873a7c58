"""The scripted interface's commands and options, as argparse reads them (docs/cli.md).

Kept apart from cli.py, which runs the commands: this is the one place to read what can be typed.
"""

from __future__ import annotations

import argparse

from counter_app.command_line import Parser, add_status_move


def build_parser() -> argparse.ArgumentParser:
    """Every command and option of the scripted interface (docs/cli.md); cli.py runs them."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu (mặc định: thư mục người dùng)")
    p = Parser(prog="counter-app", description="Quầy Một Cửa: phần mềm tiếp nhận và trả kết quả hồ sơ.",
                parents=[common])
    p.add_argument("--version", action="store_true", help="in số phiên bản")
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    init = sub.add_parser("init", parents=[common], help="khởi tạo kho dữ liệu của cơ quan")
    init.add_argument("--agency-code", required=True)
    init.add_argument("--agency-name", required=True)
    init.add_argument("--office-name", default="")
    init.add_argument("--place", default="")
    init.add_argument("--counter", type=int, default=0)
    init.add_argument("--passphrase-stdin", action="store_true",
                      help="đọc cụm mật khẩu khôi phục của cơ quan từ stdin (một dòng); không có: in mã khôi phục")

    cat = sub.add_parser("catalogue", parents=[common], help="danh mục thủ tục")
    cat_sub = cat.add_subparsers(dest="action", required=True, parser_class=Parser)
    cat_sub.add_parser("list", parents=[common])
    imp = cat_sub.add_parser("import", parents=[common])
    imp.add_argument("file")
    exp = cat_sub.add_parser("export", parents=[common])
    exp.add_argument("-o", "--output", required=True)

    intake = sub.add_parser("intake", parents=[common], help="tiếp nhận hồ sơ từ JSON")
    intake.add_argument("--json", required=True, dest="json_file")

    show = sub.add_parser("show", parents=[common], help="xem một hồ sơ theo mã")
    show.add_argument("code")

    status = add_status_move(sub, "status", common, "chuyển trạng thái hồ sơ (mã 1–10)")
    status.add_argument("--missing", action="append", default=[], help="giấy tờ cần bổ sung (lặp lại được)")

    ret = sub.add_parser("return", parents=[common], help="trả kết quả cho người nhận")
    ret.add_argument("code")
    ret.add_argument("--recipient-name", required=True)
    ret.add_argument("--recipient-id", default="")
    ret.add_argument("--relation", default="", help="quan hệ với người nộp, khi không phải người nộp")
    ret.add_argument("--rating", type=int, choices=(1, 2, 3), help="1 hài lòng, 2 bình thường, 3 không hài lòng")

    ext = sub.add_parser("extend", parents=[common], help="xin lỗi và gia hạn (một lần)")
    ext.add_argument("code")
    ext.add_argument("--new-due", required=True, help="thời điểm hẹn mới, ISO 8601")
    ext.add_argument("--reason", required=True)

    hand = sub.add_parser("handover", parents=[common], help="bàn giao hồ sơ cho nơi giải quyết")
    hand.add_argument("code")
    hand.add_argument("--to", required=True, dest="to_unit")
    hand.add_argument("--note", default="")

    att = sub.add_parser("attach", parents=[common], help="số hóa giấy tờ của hồ sơ (PDF, JPEG, PNG, TIFF)")
    att.add_argument("code")
    att.add_argument("files", nargs="+", metavar="FILE", help="các trang, theo thứ tự")
    att.add_argument("--component", type=int, default=None,
                     help="số thứ tự giấy tờ như 'show' liệt kê (từ 1); 0: giấy tờ khác")
    att.add_argument("--result", action="store_true", help="số hóa kết quả giải quyết (hồ sơ đã có kết quả)")
    att.add_argument("--name", default="", help="tên giấy tờ khác (với --component 0) hoặc của kết quả")
    att.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), default=0, help="xoay mọi trang (độ)")
    att.add_argument("--sign", action="store_true", help="ký số bản sao điện tử bằng token của cơ quan")
    att.add_argument("--pin-stdin", action="store_true",
                     help="với --sign: đọc mã PIN của token từ một dòng stdin (không ghi trên dòng lệnh)")
    fil = sub.add_parser("files", parents=[common], help="giấy tờ đã số hóa của một hồ sơ, hoặc 'verify'")
    fil.add_argument("target", metavar="CODE|verify", help="mã hồ sơ; 'verify': kiểm tra mọi tệp đã lưu")
    fil.add_argument("--history", action="store_true", help="cả các bản đã được thay")

    hist = sub.add_parser("history", parents=[common], help="lịch sử xử lý của một hồ sơ")
    hist.add_argument("code")

    att = sub.add_parser("attention", parents=[common], help="hồ sơ cần chú ý: quá hạn, đến hạn, chờ trả")
    att.add_argument("--pickup-days", type=int, default=None, help="mặc định: cài đặt attention.pickup_days")

    link = sub.add_parser("link", parents=[common], help="kết nối máy quầy với máy chủ huyện")
    link.add_argument("--server", required=True)
    link.add_argument("--token", required=True)
    link.add_argument("--fingerprint", default=None,
                      help="dấu vân tay SHA-256 chứng chỉ máy chủ (AA:BB:…) do 'counter-server add-device' in ra; "
                           "bỏ trống khi máy chủ có chứng chỉ thật")
    link.add_argument("--plain-http", action="store_true",
                      help="cho phép địa chỉ http:// không mã hóa (chỉ trong mạng nội bộ tin cậy)")
    sync = sub.add_parser("sync", parents=[common], help="đồng bộ với máy chủ huyện")
    sync.add_argument("--once", action="store_true")

    slip = sub.add_parser("slip", parents=[common], help="in giấy tiếp nhận và hẹn trả kết quả (Mẫu 01) ra PDF")
    slip.add_argument("code")
    slip.add_argument("-o", "--output", required=True)
    slip.add_argument("--paper", choices=("a5", "a4-2up"), default=None, help="mặc định: cài đặt papers.default_paper")

    paper = sub.add_parser("paper", parents=[common], help="in các mẫu 02–06 của một hồ sơ ra PDF")
    paper.add_argument("code")
    paper.add_argument("--form", required=True,
                       help="02 bổ sung, 03 từ chối, 04 xin lỗi/gia hạn, 05 dừng, 06 kiểm soát")
    paper.add_argument("-o", "--output", required=True)

    post = sub.add_parser("poster", parents=[common],
                          help="tờ niêm yết thủ tục (có mã QR) hoặc danh mục niêm yết, ra PDF")
    post.add_argument("code", nargs="?", default=None, help="mã thủ tục, ví dụ 1.001193")
    post.add_argument("--list", action="store_true", dest="listing", help="danh mục mọi thủ tục theo lĩnh vực (A4)")
    post.add_argument("--all", action="store_true", dest="every", help="tờ niêm yết của mọi thủ tục trong một PDF")
    post.add_argument("--field", default=None, help="chỉ một lĩnh vực (với --all hoặc --list), ví dụ \"Hộ tịch\"")
    post.add_argument("-o", "--output", required=True)
    post.add_argument("--paper", default=None, help="a4 (mặc định) hoặc a5")

    rep = sub.add_parser("report", parents=[common], help="sổ theo dõi và thống kê (.xlsx hoặc .pdf)")
    rep.add_argument("--from", required=True, dest="date_from")
    rep.add_argument("--to", required=True, dest="date_to")
    rep.add_argument("-o", "--output", required=True)

    bak = sub.add_parser("backup", parents=[common], help="sao lưu kho dữ liệu (trực tuyến, có kiểm tra)")
    bak.add_argument("-o", "--output", required=True)
    res = sub.add_parser("restore", parents=[common], help="khôi phục từ bản sao lưu")
    res.add_argument("file")
    res.add_argument("--passphrase-stdin", action="store_true",
                     help="đọc cụm mật khẩu khôi phục từ stdin (một dòng); không có: hỏi khi cần")
    rec = sub.add_parser("recovery", parents=[common], help="khóa của kho dữ liệu và cụm mật khẩu khôi phục")
    rec_sub = rec.add_subparsers(dest="action", required=True, parser_class=Parser)
    for name, text in (("unlock", "mở khóa kho dữ liệu bằng cụm mật khẩu khôi phục (Windows cài lại)"),
                       ("set", "đặt cụm mật khẩu khôi phục mới (bản sao lưu cũ vẫn cần cụm cũ)")):
        action = rec_sub.add_parser(name, parents=[common], help=text)
        action.add_argument("--passphrase-stdin", action="store_true", help="đọc cụm mật khẩu từ stdin (một dòng)")

    user = sub.add_parser("user", parents=[common], help="tài khoản cán bộ")
    user_sub = user.add_subparsers(dest="action", required=True, parser_class=Parser)
    user_add = user_sub.add_parser("add", parents=[common])
    user_add.add_argument("username")
    user_add.add_argument("--full-name", required=True)
    user_add.add_argument("--role", choices=("officer", "leader", "admin"), default="officer")
    user_add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin (một dòng)")
    user_sub.add_parser("list", parents=[common])

    aud = sub.add_parser("audit", parents=[common], help="nhật ký thao tác")
    aud_sub = aud.add_subparsers(dest="action", required=True, parser_class=Parser)
    aud_sub.add_parser("verify", parents=[common])
    aud_show = aud_sub.add_parser("show", parents=[common])
    aud_show.add_argument("--target", default=None)
    aud_show.add_argument("--limit", type=int, default=50)

    person = sub.add_parser("export-person", parents=[common], help="xuất mọi hồ sơ của một công dân (JSON)")
    person.add_argument("--id-number", required=True)
    person.add_argument("-o", "--output", required=True)

    find = sub.add_parser("search", parents=[common], help="tìm hồ sơ theo tên, số định danh, điện thoại, mã")
    find.add_argument("query")
    find.add_argument("--limit", type=int, default=20)

    sett = sub.add_parser("settings", parents=[common], help="cài đặt của cơ quan (docs/settings.md)")
    sett_sub = sett.add_subparsers(dest="action", required=True, parser_class=Parser)
    sett_sub.add_parser("list", parents=[common])
    sett_get = sett_sub.add_parser("get", parents=[common])
    sett_get.add_argument("key")
    sett_set = sett_sub.add_parser("set", parents=[common])
    sett_set.add_argument("key")
    sett_set.add_argument("value")

    cal = sub.add_parser("calendar", parents=[common], help="lịch nghỉ lễ và ngày làm việc bù")
    cal_sub = cal.add_subparsers(dest="action", required=True, parser_class=Parser)
    cal_show = cal_sub.add_parser("show", parents=[common])
    cal_show.add_argument("year", type=int)
    cal_set = cal_sub.add_parser("set", parents=[common])
    cal_set.add_argument("date")
    cal_set.add_argument("kind", choices=("off", "work"))
    cal_set.add_argument("--name", default="")
    cal_due = cal_sub.add_parser("due", parents=[common], help="tính hạn trả kết quả")
    cal_due.add_argument("received_at")
    cal_due.add_argument("working_days")
    return p
