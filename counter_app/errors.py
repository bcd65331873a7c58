"""Errors that reach a person: each carries one clear Vietnamese sentence."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action. Nothing was changed. `message` is shown as is (Vietnamese)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # which input field is wrong, so a form can put the message beside it


class NotInitialisedError(UserError):
    def __init__(self) -> None:
        super().__init__("Kho dữ liệu chưa được khởi tạo: hãy chạy 'counter-app init' trước.")


class StoreBusyError(UserError):
    def __init__(self) -> None:
        super().__init__(
            "Kho dữ liệu đang bị một chương trình khác khóa; vui lòng thử lại sau ít phút."
        )


class StoreReadOnlyError(UserError):
    """The store's folder or file cannot be written by this account (or the disk is read-only).
    SQLite must create its -wal/-shm files beside the store even to read it, so this is not damage."""

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Không ghi được vào '{path}': tài khoản này chỉ có quyền đọc kho dữ liệu (hoặc ổ đĩa chỉ đọc); "
            "hãy chạy bằng tài khoản sở hữu kho dữ liệu hoặc cấp quyền ghi. Không có gì thay đổi."
        )
