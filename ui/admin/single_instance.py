"""One window per data folder: the window holds counter_app.instance.InstanceLock for its whole life
(so `counter-app restore` refuses while it is open), and a second start only brings the first
window to the front.

The lock is the authority (the OS drops it when the process dies, so a crash leaves nothing stale);
the local socket is a courtesy: a second start knocks on it and the first window raises itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMainWindow

from counter_app.config import ensure_private_dir
from counter_app.instance import InstanceLock

KNOCK = b"raise\n"


def server_name(directory: Path) -> str:
    digest = hashlib.sha256(str(directory.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"quaymotcua-{digest}"


def bring_to_front() -> bool:
    """Show the (first) main window on top; False when there is none yet."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow) and widget.isVisible():
            if widget.isMinimized():
                widget.showNormal()
            widget.raise_()
            widget.activateWindow()
            return True
    return False


class SingleInstance(QObject):
    def __init__(self, directory: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self.lock = InstanceLock(ensure_private_dir(directory))
        self.server: QLocalServer | None = None
        self.knocks = 0  # how many later starts were sent back here (tests read it)
        self.on_knock: Callable[[], object] = bring_to_front

    def claim(self) -> bool:
        if not self.lock.acquire():
            return False
        name = server_name(self.directory)
        QLocalServer.removeServer(name)  # a socket file left by a crashed window (we hold the lock)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(name):
            server.newConnection.connect(self._accept)
            self.server = server
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.release()

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(KNOCK.strip()):
            self.knocks += 1
            self.on_knock()


def knock(directory: Path, timeout_ms: int = 500) -> bool:
    """Ask the window that holds `directory` to come to the front; True if it heard."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(directory))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(KNOCK)
    socket.flush()
    done = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return done
