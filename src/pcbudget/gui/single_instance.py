"""One running copy per user: a later launch hands its book to the running copy and exits.

The running copy listens on a name of its own user's (for later launches, which do not know
its process) and on that name with its process id (for a copy that finds a book held by that
process: the book's lock names the process, so the book goes to the window that has it).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from ..book.lock import current_user

#: Sent instead of a path by a launch with no book: the running copy comes to the front.
COME_FORWARD = ":come-forward"  # no absolute path starts with a colon


def server_name(app_name: str, pid: int | None = None) -> str:
    """The name the user's running copy listens on; with `pid`, that one process's name."""
    name = f"{app_name}-{current_user()}"
    return name if pid is None else f"{name}-{pid}"


def hand_over(name: str, path: str, timeout_ms: int = 500) -> bool:
    """Send `path` (or COME_FORWARD) to a running copy; True if one took it."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(path.encode("utf-8") + b"\n")
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


def bring_forward(widget: QWidget) -> None:
    """Show a window in front of the others (the window manager may only flash it)."""
    if widget.isMinimized():
        widget.showNormal()
    widget.show()
    widget.raise_()
    widget.activateWindow()


class InstanceServer(QObject):
    """Listens for books sent by later launches and opens them here."""

    def __init__(
        self,
        name: str,
        open_path: Callable[[str], object],
        come_forward: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.open_path = open_path
        self.come_forward = come_forward
        self.servers: list[QLocalServer] = []
        for listen_as in (name, f"{name}-{os.getpid()}"):
            server = QLocalServer(self)
            QLocalServer.removeServer(listen_as)  # a server left by a crashed copy
            if server.listen(listen_as):
                server.newConnection.connect(lambda s=server: self._connected(s))
                self.servers.append(server)
        self.listening = len(self.servers) == 2

    def _connected(self, server: QLocalServer) -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data()).decode("utf-8", errors="replace")
        for line in data.splitlines():
            if line.strip() == COME_FORWARD:
                if self.come_forward is not None:
                    self.come_forward()
            elif line.strip():
                self.open_path(line.strip())
