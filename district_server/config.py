"""Where the server's database is: --db, then COUNTER_SERVER_DB, then SQLite in the data folder.
Where its files are (the digitised papers, blobs.py): COUNTER_SERVER_BLOBS, else "blobs" in the data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "COUNTER_SERVER_DB"
ENV_BLOBS = "COUNTER_SERVER_BLOBS"
BLOB_DIR = "blobs"
APP_NAME = "QuayMotCuaServer"
DB_FILE = "district.sqlite3"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_url(explicit: str | None = None) -> str:
    url = (explicit or os.environ.get(ENV_DB) or "").strip()
    if not url:
        directory = default_data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        try:
            directory.chmod(0o700)  # citizens' personal data
        except OSError:
            pass
        url = f"sqlite:///{directory / DB_FILE}"
    return normalise_url(url)


def normalise_url(url: str) -> str:
    # Only psycopg 3 is installed: "postgresql://" alone would make SQLAlchemy look for psycopg2.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def blob_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the files counters send (made on the first file, private like the database).
    Every worker of `serve --workers N` must see the same one: the env variable is inherited."""
    raw = str(explicit or os.environ.get(ENV_BLOBS) or "").strip()
    return Path(raw).expanduser() if raw else default_data_dir() / BLOB_DIR
