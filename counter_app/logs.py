"""Logging to a rotating file in the data folder, with ID and phone numbers masked."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from counter_app.domain.privacy import mask

_configured: set[Path] = set()


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def quiet() -> None:
    """Nothing reaches stderr from logging: the scripted interface prints one line of its own."""
    logger = logging.getLogger("counter_app")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def to_folder(directory: Path) -> None:
    directory = directory / "logs"
    if directory in _configured:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(directory / "counter-app.log", maxBytes=2_000_000, backupCount=5,
                                      encoding="utf-8")
    except OSError:
        return  # a read-only folder must not stop the counter
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("counter_app")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _configured.add(directory)
