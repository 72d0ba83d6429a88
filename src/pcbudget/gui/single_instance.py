"""One running copy per user: a second launch with a book hands it to the first and exits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ..book.lock import current_user


def server_name(app_name: str) -> str:
    return f"{app_name}-{current_user()}"


def hand_over(name: str, path: str, timeout_ms: int = 500) -> bool:
    """Send `path` to a running copy; True if one took it."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(path.encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for books sent by later launches and opens them here."""

    def __init__(self, name: str, open_path: Callable[[str], object]) -> None:
        super().__init__()
        self.open_path = open_path
        self.server = QLocalServer(self)
        QLocalServer.removeServer(name)  # a server left by a crashed copy
        self.listening = self.server.listen(name)
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data()).decode("utf-8", errors="replace")
        for line in data.splitlines():
            if line.strip():
                self.open_path(line.strip())
