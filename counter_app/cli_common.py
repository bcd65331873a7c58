"""What the scripted interface's commands share (counter_app/cli.py and cli_trail.py run them): the
store and the desk they open, the JSON they print, what they read and write (docs/cli.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counter_app.cli_recovery import show_recovery_code
from counter_app.command_line import EXIT_OK
from counter_app.errors import UserError


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def print_read(store, read: Callable[[Any], Any]) -> int:  # noqa: ANN001 - a Store
    """A read-only command's answer: what `read` finds in one read session of the store, as JSON."""
    with store.read() as session:
        print_json(read(session))
    return EXIT_OK


def open_store(args: argparse.Namespace, *, must_exist: bool = True, passphrase: str | None = None):  # noqa: ANN202
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


def write_checked(path: Path, write) -> None:  # noqa: ANN001
    try:
        write(path)
    except (PermissionError, FileNotFoundError, IsADirectoryError):
        raise UserError(f"Không ghi được tệp '{path}': thư mục không tồn tại hoặc không có quyền ghi.") from None


def read_json_input(source: str) -> Any:
    try:
        raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp '{source}'.") from None
    except UnicodeDecodeError:
        raise UserError("Dữ liệu vào phải là văn bản UTF-8.") from None
    from counter_app.domain import json_input

    return json_input.loads(raw, "Dữ liệu vào")


def actor():  # noqa: ANN202
    from counter_app.domain.actor import scripted_actor

    return scripted_actor()


def open_desk(args: argparse.Namespace):  # noqa: ANN202
    """The same core object the window talks to, acting as the OS user (admin rights, audited as
    scripted: docs/roles.md)."""
    from counter_app.desk import Desk

    return Desk(open_store(args), actor())


def parse_day(value: str, label: str):  # noqa: ANN202
    from counter_app.domain.validation import iso_day

    return iso_day(value, label=label)
