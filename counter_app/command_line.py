"""What both command-line programs (counter-app, counter-server) share: the exit codes, the argparse
class that answers in Vietnamese, UTF-8 streams, and the one ladder that turns an outcome into an
exit status (docs/cli.md, "Exit status")."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from counter_app.errors import UserError

EXIT_OK, EXIT_FAILURE, EXIT_REFUSED, EXIT_OFFLINE = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own messages are English
        program = self.prog.split()[0]
        raise UserError(f"Lệnh không hợp lệ ({message}); xem '{program} --help'.")


def add_status_move(sub: Any, name: str, common: argparse.ArgumentParser, help_text: str) -> argparse.ArgumentParser:  # noqa: ANN401
    """`<name> CODE NEW_STATUS [--note …]`: a dossier's status move, taken alike by both programs."""
    move = sub.add_parser(name, parents=[common], help=help_text)
    move.add_argument("code")
    move.add_argument("new_status", type=int)
    move.add_argument("--note", default="")
    return move


def utf8_stdio() -> None:
    # stdin too: Windows pipes default to the ANSI code page (cp1258 on a Vietnamese PC); -sig drops a BOM
    for stream, encoding in ((sys.stdin, "utf-8-sig"), (sys.stdout, "utf-8"), (sys.stderr, "utf-8")):
        try:
            stream.reconfigure(encoding=encoding)  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def run_guarded(run: Callable[[], int], log: logging.Logger,
                handlers: Mapping[type[Exception], Callable[[Exception], int]] | None = None) -> int:
    """`run()`'s exit status; a refusal is one line on stderr and exit 2, the unexpected exit 1 (and
    the log), never a traceback. `handlers` answer the program's own kinds of outcome first."""
    try:
        return run()
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # `… list | head`: the reader left, nothing went wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_OK
    except Exception as exc:
        for kind, handle in (handlers or {}).items():
            if isinstance(exc, kind):
                return handle(exc)
        if log.hasHandlers():  # the counter's log file (counter_app.logs); never Python's stderr fallback
            log.exception("unexpected error")
        first = str(exc).splitlines()[0] if str(exc) else ""
        print(f"Lỗi không mong đợi: {type(exc).__name__}: {first}", file=sys.stderr)
        return EXIT_FAILURE
