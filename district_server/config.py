"""The server's options that have a default: each given on the command line, else in an environment
variable, else the default here.

- the database: --db, then COUNTER_SERVER_DB, then SQLite in the data folder;
- its TLS certificate: --cert/--key, then COUNTER_SERVER_CERT/COUNTER_SERVER_KEY, then the server's
  own, made on first use in the data folder's tls/ (or --tls-dir / COUNTER_SERVER_TLS_DIR) — tls.py;
- its files (the digitised papers, blobs.py): COUNTER_SERVER_BLOBS, else "blobs" in the data folder;
- its public address (--public-url, then COUNTER_SERVER_PUBLIC_URL, else none): where citizens' phones
  open the status page behind a slip's QR, announced to the counters (docs/server-web.md).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DB = "COUNTER_SERVER_DB"
ENV_BLOBS = "COUNTER_SERVER_BLOBS"
ENV_PUBLIC_URL = "COUNTER_SERVER_PUBLIC_URL"
BLOB_DIR = "blobs"
APP_NAME = "QuayMotCuaServer"
DB_FILE = "district.sqlite3"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
ENV_CERT = "COUNTER_SERVER_CERT"
ENV_KEY = "COUNTER_SERVER_KEY"
ENV_TLS_DIR = "COUNTER_SERVER_TLS_DIR"
TLS_DIR = "tls"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _private_dir(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    try:
        directory.chmod(0o700)  # citizens' personal data, the TLS private keys
    except OSError:
        pass
    return directory


def database_url(explicit: str | None = None) -> str:
    url = (explicit or os.environ.get(ENV_DB) or "").strip()
    if not url:
        url = f"sqlite:///{_private_dir(default_data_dir()) / DB_FILE}"
    return normalise_url(url)


def given(explicit: str | None, env: str) -> str | None:
    """An option's value: on the command line, else in the environment variable `env`, else None."""
    return (explicit or os.environ.get(env) or "").strip() or None


def tls_dir(explicit: str | None = None) -> Path:
    """Where the server's own CA and certificate live (created owner-only)."""
    chosen = given(explicit, ENV_TLS_DIR)
    return _private_dir(Path(chosen) if chosen else default_data_dir() / TLS_DIR)


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


def public_url(explicit: str | None = None) -> str | None:
    """The address (scheme and host, maybe a path) under which citizens reach /tra-cuu; None when the
    district set none. ValueError (in Vietnamese) for one that is not an http(s) address."""
    from urllib.parse import urlsplit

    raw = given(explicit, ENV_PUBLIC_URL)
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"Địa chỉ công khai '{raw}' không hợp lệ: cần dạng https://tracuu.huyen.gov.vn.")
    return raw.rstrip("/")
