"""The store's digitised files as the sync pass's upload queue (counter_app/sync/uploads.FileQueue;
docs/sync.md, "Files").

A file waits until the district acknowledged the "digitised" event that names it (the server lets
the office's counters read a file only once one of its events names it), then goes up once: its
hash is written to file_sent when the server holds it whole and checked. Oldest first.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy import text

from counter_app import clock
from counter_app.digitise.normalise import DigitiseError
from counter_app.digitise.vault import FileVault

if TYPE_CHECKING:
    from counter_app.db.store import Store

_WAITING = """
SELECT f.sha256, MAX(f.size) AS size FROM dossier_file f
JOIN outbox o ON o.event_id = f.event_id AND o.state = 'sent'
WHERE NOT EXISTS (SELECT 1 FROM file_sent s WHERE s.sha256 = f.sha256)
GROUP BY f.sha256 ORDER BY MIN(f.id)
"""


class StoreFiles:
    """What `commands.sync_once` drains after the events, by default."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.vault = FileVault.of(store)

    def pending_files(self) -> list[tuple[str, int, Callable[[], BinaryIO]]]:
        with self.store.read() as session:
            rows = session.execute(text(_WAITING)).all()
        return [(sha, int(size), self._opener(sha)) for sha, size in rows]

    def _opener(self, sha256: str) -> Callable[[], BinaryIO]:
        # The file is sealed on disk: what goes up is the PDF it opens to (a file gone or altered
        # opens to its stored bytes, which the upload's own check then refuses to send).
        def open_file() -> BinaryIO:
            try:
                return io.BytesIO(self.vault.read(sha256))
            except DigitiseError:
                raise FileNotFoundError(sha256) from None
        return open_file

    def mark_sent(self, sha256: str) -> None:
        with self.store.write() as session:
            session.execute(text("INSERT INTO file_sent (sha256, sent_at) VALUES (:sha, :at) "
                                 "ON CONFLICT (sha256) DO NOTHING"), {"sha": sha256, "at": clock.iso(clock.now())})
