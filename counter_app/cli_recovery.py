"""The scripted interface's side of the store's key (docs/protection.md): reading the office recovery
passphrase, showing a recovery code once, and `counter-app recovery unlock|set`."""

from __future__ import annotations

import argparse
import sys

from counter_app.errors import UserError

EXIT_OK = 0


def show_recovery_code(code: str) -> None:
    print(f"Kho dữ liệu đã được mã hóa. Mã khôi phục của cơ quan (chỉ hiện một lần, hãy ghi lại và cất giữ "
          f"nơi an toàn; cần nó để khôi phục bản sao lưu trên máy khác): {code}", file=sys.stderr)


def read_passphrase(args: argparse.Namespace, *, ask: bool) -> str | None:
    """--passphrase-stdin: one line from stdin. Otherwise asked on a terminal when `ask`, else None."""
    if getattr(args, "passphrase_stdin", False):
        text = sys.stdin.readline().rstrip("\r\n")
        if not text.strip():
            raise UserError("Không đọc được cụm mật khẩu khôi phục từ stdin (dòng trống).")
        return text
    if ask and sys.stdin.isatty():
        import getpass

        return getpass.getpass("Cụm mật khẩu khôi phục của cơ quan: ")
    return None


def run(args: argparse.Namespace) -> int:
    from counter_app.config import data_dir, store_path
    from counter_app.db import keys
    from counter_app.errors import NotInitialisedError

    directory = data_dir(getattr(args, "data_dir", None))
    if not store_path(directory).exists():
        raise NotInitialisedError()
    passphrase = read_passphrase(args, ask=True)
    if passphrase is None:
        raise UserError("Cần cụm mật khẩu khôi phục: thêm --passphrase-stdin (không ghi trên dòng lệnh).")
    if args.action == "unlock":
        keys.recover(directory, passphrase)
        from counter_app.db.store import Store

        Store.open(directory).close()  # proves the key opens the store
        print("Đã mở khóa kho dữ liệu cho tài khoản này; các lệnh khác không cần cụm mật khẩu nữa.", file=sys.stderr)
    else:
        keys.set_passphrase(directory, passphrase)
        print("Đã đặt cụm mật khẩu khôi phục mới; bản sao lưu làm trước đó vẫn cần cụm cũ.", file=sys.stderr)
    return EXIT_OK
