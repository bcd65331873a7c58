"""The blob store's lock (district_server/blob_lock.py): one writer of a file at a time, in one
process or two (`serve --workers N`), with no lock file left behind; the same code on Windows."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from district_server import blob_lock
from district_server.blob_lock import BlobLock
from district_server.blobs import BlobError, BlobStore, Held, Receiving

DATA = os.urandom(3000)
SHA = hashlib.sha256(DATA).hexdigest()


def test_a_second_writer_of_the_same_file_is_told_busy_until_the_first_is_done(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = store.begin(SHA, 0, len(DATA), 1000)
    assert isinstance(first, Receiving)
    with pytest.raises(BlobError) as busy:
        store.begin(SHA, 0, len(DATA), 1000)  # another counter, the same file, the same moment
    assert busy.value.status == 409 and busy.value.code == "busy" and busy.value.offset == 0
    with first:
        first.write(DATA[:1000])
        assert first.finish() == Held(1000, False)
    assert store.append(SHA, 1000, len(DATA), DATA[1000:]) == Held(len(DATA), True)
    assert store.path(SHA).read_bytes() == DATA
    assert sorted(p.name for p in (tmp_path / SHA[:2]).iterdir()) == [SHA]  # no partial, no lock file


def test_a_writer_in_another_process_holds_the_file_off(tmp_path: Path) -> None:
    # What two workers of `serve --workers 2` do: the lock holds across processes, not only threads.
    holder = textwrap.dedent(f"""
        import sys
        from district_server.blobs import BlobStore
        rx = BlobStore(sys.argv[1]).begin({SHA!r}, 0, {len(DATA)}, 10)
        print("held", flush=True)
        sys.stdin.readline()
        rx.abort()
        rx.close()
        print("let go", flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", holder, str(tmp_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(BlobError) as busy:
            BlobStore(tmp_path).append(SHA, 0, len(DATA), DATA)
        assert busy.value.code == "busy"
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "let go"
    finally:
        child.communicate(timeout=60)
    assert BlobStore(tmp_path).append(SHA, 0, len(DATA), DATA).complete


def test_a_lock_file_removed_by_its_holder_just_before_it_is_locked_is_not_taken(tmp_path: Path,
                                                                                 monkeypatch) -> None:  # noqa: ANN001
    # The holder lets go (and removes the lock file) between our open and our lock: what we lock
    # then is a file no longer in the folder, and a third writer could make and lock a new one.
    path = tmp_path / f"{SHA}.lock"
    real = blob_lock.lock_descriptor
    calls = []

    def holder_lets_go_first(fd: int, *, blocking: bool) -> bool:
        if not calls:
            os.unlink(path)
        calls.append(fd)
        return real(fd, blocking=blocking)

    monkeypatch.setattr(blob_lock, "lock_descriptor", holder_lets_go_first)
    lock = BlobLock(path)
    assert lock.acquire() and len(calls) == 2  # the orphan let go, the lock file the folder has taken
    monkeypatch.setattr(blob_lock, "lock_descriptor", real)
    assert os.fstat(lock.fd).st_ino == os.stat(path).st_ino
    assert not BlobLock(path).acquire()
    lock.release()
    assert not path.exists()


def test_a_partial_being_written_is_not_pruned_however_old(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    rx = store.begin(SHA, 0, len(DATA), 10)
    assert isinstance(rx, Receiving)
    with rx:
        rx.write(DATA[:10])
        rx.finish()
        assert store.prune_partials(older_than_s=-1) == 0  # locked by the request writing it
    assert store.prune_partials(older_than_s=-1) == 1
    assert not any((tmp_path / SHA[:2]).iterdir())
