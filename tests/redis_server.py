"""A redis-server of the test's own, on a free port, to stop, start, hang (SIGSTOP) and
resume: the shared Redis other people's tests use is never touched."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress

import redis

from .conftest import unused_tcp_port


class OwnRedis:
    def __init__(self):
        self.port = unused_tcp_port()
        self.folder = tempfile.mkdtemp(prefix="peertrain-own-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", self.folder,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        """Gone: connections are closed and new ones refused (its queued messages with it,
        as with a Redis that keeps no data on disk)."""
        if self.process is not None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def hang(self) -> None:
        """Stopped by SIGSTOP: connections are accepted by the kernel but never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGCONT)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
