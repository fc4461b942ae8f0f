"""One running app per data folder, and a way for a second launch to wake the first.

The lock is a QLockFile in the data folder: two apps writing the same files could undo
each other's saves. A lock left by a crashed app is recognised by its dead process id and
taken over; so is one whose owner does not answer as Desktop Chat (its process id now
belongs to another program). A second launch asks the running app, over a local socket
named after the data folder, to bring its window forward.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile

if TYPE_CHECKING:
    # Imported where used: QtNetwork is not needed before the first window is painted.
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_FILE_NAME = "desktop-chat.lock"
ACTIVATE = b"activate\n"
ACKNOWLEDGED = b"ok\n"


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        self._lock = QLockFile(str(data_dir / LOCK_FILE_NAME))
        # Qt's default treats a lock older than 30 s as stale, which would let a second
        # app take over from one that has simply been running for a while.
        self._lock.setStaleLockTime(0)
        self._data_dir = data_dir
        self._server: QLocalServer | None = None

    @property
    def server_name(self) -> str:
        """The local socket's name, the same for every launch on this data folder."""
        import hashlib  # here, not above: OpenSSL's load is not needed before the window

        digest = hashlib.sha256(str(self._data_dir.resolve()).encode()).hexdigest()[:16]
        return f"desktop-chat-{digest}"

    def try_acquire(self) -> bool:
        return self._lock.tryLock(0)

    @property
    def held_by_another_app(self) -> bool:
        """After a failed `try_acquire`: True if a running app holds it, False if the lock
        file cannot be used at all (an unwritable folder, something else in its place)."""
        return (
            self._lock.error() == QLockFile.LockError.LockFailedError
            and self.owner_pid() is not None
        )

    def owner_pid(self) -> int | None:
        pid, _host, _app = self._lock.getLockInfo()
        return pid or None

    def take_over(self) -> bool:
        """Take a lock whose owner did not answer as Desktop Chat (its process id now
        belongs to another program, or the app hangs): remove it, and lock. False if the
        file cannot be removed or locked."""
        path = self._data_dir / LOCK_FILE_NAME
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("Could not remove the lock %s: %s", path, exc)
            return False
        return self._lock.tryLock(0)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def listen_for_activation(self, activate: Callable[[], None]) -> None:
        """While holding the lock, answer later launches by calling `activate`."""
        from PySide6.QtNetwork import QLocalServer

        # We hold the lock, so a socket left by a crashed app is not anyone's.
        QLocalServer.removeServer(self.server_name)
        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            log.warning("Cannot listen for other launches: %s", server.errorString())
            return
        server.newConnection.connect(lambda: self._answer(server, activate))
        self._server = server

    def ask_running_app_to_activate(self, timeout_ms: int = 3000) -> bool:
        """From a second launch: True when the running app acknowledged."""
        from PySide6.QtNetwork import QLocalSocket

        # An app that has just started paints its window before it listens: give it time.
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            socket = QLocalSocket()
            socket.connectToServer(self.server_name)
            if socket.waitForConnected(timeout_ms):
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        socket.write(ACTIVATE)
        socket.waitForBytesWritten(timeout_ms)
        answered = (
            socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()) == ACKNOWLEDGED
        )
        socket.disconnectFromServer()
        return answered

    def _answer(self, server: QLocalServer, activate: Callable[[], None]) -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()

            def on_ready(connection: QLocalSocket = connection) -> None:
                if bytes(connection.readAll().data()).startswith(ACTIVATE):
                    log.info("Another launch asked for this window")
                    activate()
                    connection.write(ACKNOWLEDGED)
                    connection.flush()
                connection.disconnectFromServer()

            connection.readyRead.connect(on_ready)
            connection.disconnected.connect(connection.deleteLater)
