"""Writing a file the officer asked for (a paper, a report) so that a failure never leaves half of one:
a temporary file in the same folder, flushed to disk, renamed over the target, the folder synced.
Refusals are one clear Vietnamese sentence naming the file and the folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from counter_app.errors import UserError


def write_atomically(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write `data` to `path` atomically: a temporary file in the same folder, flushed to disk, then
    renamed over the target. A failed write leaves no file (and an existing one untouched)."""
    target = Path(path)
    if not str(path).strip():
        raise UserError("Cần chọn nơi lưu tệp.", field="output")
    if target.is_dir():
        raise UserError(f"'{target}' là một thư mục; hãy chọn tên tệp, ví dụ '{target / 'giay-hen.pdf'}'.",
                        field="output")
    folder = target.parent if str(target.parent) else Path(".")
    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
        temp = None
    except FileNotFoundError:
        raise UserError(f"Không ghi được tệp '{target}': thư mục '{folder}' không tồn tại.", field="output") from None
    except (PermissionError, IsADirectoryError, NotADirectoryError):
        raise UserError(
            f"Không ghi được tệp '{target}': không có quyền ghi vào thư mục '{folder}', hoặc tệp đang được mở "
            "trong một chương trình khác.", field="output",
        ) from None
    except OSError as exc:
        raise UserError(f"Không ghi được tệp '{target}': {exc.strerror or exc}.", field="output") from None
    finally:
        if temp is not None:
            _remove_quietly(temp)
    _sync_folder(folder)
    return target


def write_private(data: bytes, path: str | os.PathLike[str]) -> Path:
    """A secret (a key): owner-only (0600) from the first byte, on disk before the rename, so a
    crash leaves the old file or the new one, and never a moment when another account can read it."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.dang-ghi")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    _sync_folder(target.parent)
    return target


def _mode_for(target: Path) -> int:
    """Keep the mode of a file being replaced; a new one gets the usual rw-r--r-- (mkstemp's 0600
    would hide a paper or a report from the other accounts of a shared counter PC)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to flush."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
