"""``msstem serve --workers 2``: connections spread over both workers; a dead worker returns."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from msstem.web.workers import HAS_REUSEPORT

pytestmark = pytest.mark.skipif(not HAS_REUSEPORT or not Path("/proc/net/tcp").exists(),
                                reason="SO_REUSEPORT balancing and /proc are Linux's")
#: Connections opened at once (as a load tool or a busy proxy does).
CONNECTIONS = 32


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [k for kid in kids for k in (kid, *_children(kid))]


def _workers(pid: int) -> list[int]:
    """The worker processes under ``pid`` (not multiprocessing's resource tracker)."""
    out = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            out.append(child)
    return out


def _established_by_pid(port: int, pids: list[int]) -> dict[int, int]:
    """Established server-side connections on ``port``, counted per process (via inodes)."""
    inodes: set[str] = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if int(local.split(":")[1], 16) == port and state == "01":
            inodes.add(inode)
    counts = {}
    for pid in pids:
        owned = 0
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            match = re.fullmatch(r"socket:\[(\d+)\]", target)
            owned += bool(match and match.group(1) in inodes)
        counts[pid] = owned
    return counts


def _burst(port: int, n: int) -> list[socket.socket]:
    """``n`` connections opened at once (non-blocking connects in a tight loop), as wrk does."""
    import selectors

    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
    with selectors.DefaultSelector() as sel:
        for s in socks:
            sel.register(s, selectors.EVENT_WRITE)
        pending = len(socks)
        deadline = time.monotonic() + 10
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=1):
                sel.unregister(key.fileobj)
                pending -= 1
    for s in socks:
        s.setblocking(True)
        s.settimeout(10)
    return socks


def _get(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /api/about HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return sock.recv(12)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {**os.environ, "MSSTEM_ACCESS_LOG": "false",
           "MSSTEM_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('w') / 's.sqlite3'}"}
    log_path = tmp_path_factory.mktemp("wlog") / "stderr.txt"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from msstem.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 90
        while len(_workers(proc.pid)) < 2 or not _answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("msstem serve --workers 2 did not start: "
                            + log_path.read_text(errors="replace")[-2000:])
            time.sleep(0.3)
        yield port, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            return _get(s) == b"HTTP/1.1 200"
    except OSError:
        return False


def _workers_ready(port: int, workers: list[int]) -> None:
    # Each worker answers once it has imported the app: wait until both hold a connection.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(8)]
        try:
            for s in socks:
                _get(s)
            if all(n > 0 for n in _established_by_pid(port, workers).values()):
                return
        finally:
            for s in socks:
                s.close()
        time.sleep(0.5)
    pytest.fail("a worker never answered")


def test_connections_spread_over_both_workers(
    server: tuple[int, subprocess.Popen[bytes]]
) -> None:
    port, proc = server
    workers = _workers(proc.pid)
    assert len(workers) == 2
    _workers_ready(port, workers)
    socks = _burst(port, CONNECTIONS)
    try:
        for s in socks:
            assert _get(s) == b"HTTP/1.1 200"
        counts = _established_by_pid(port, workers)
        assert sum(counts.values()) == CONNECTIONS
        # The kernel hashes connections over the workers' sockets: both get a fair share
        # (with one shared socket, one worker took all of them). P(a share < 6 of 32) < 1e-4.
        assert min(counts.values()) >= 6, counts
    finally:
        for s in socks:
            s.close()


def test_a_dead_worker_is_replaced(server: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, proc = server
    before = _workers(proc.pid)
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        now = _workers(proc.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.3)
    else:
        pytest.fail("the dead worker was not replaced")
    assert _answers(port)
    assert proc.poll() is None
