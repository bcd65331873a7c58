"""Where the store lives: --data-dir, then COUNTER_APP_DATA, then the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "QuayMotCua"
STORE_FILE = "counter.sqlite3"
ENV_DATA_DIR = "COUNTER_APP_DATA"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def store_path(directory: Path) -> Path:
    return directory / STORE_FILE


def ensure_private_dir(directory: Path) -> Path:
    """Citizens' personal data: the folder is readable by the owning account only."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        directory.chmod(0o700)
    except OSError:  # e.g. a FAT-formatted USB stick; nothing better to do there
        pass
    return directory
