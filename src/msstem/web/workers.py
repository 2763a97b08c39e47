"""Several worker processes, each with its own listening socket (``SO_REUSEPORT``).

uvicorn's ``--workers N`` shares one listening socket between its workers. The worker whose
event loop wakes first accepts every connection waiting in the queue (asyncio accepts up to
the backlog per wake-up), so a client that opens 16 keep-alive connections at once got all 16
on one worker while the other idled: measured with ``wrk -c16``, 16 of 16 connections on one
worker in each of four runs, halving throughput and doubling latency.

Here each worker binds its own socket to the same address with ``SO_REUSEPORT``, and the
kernel spreads new connections over the sockets by a hash of the client's address and port
(Linux). The supervisor starts the workers, restarts one that dies, and stops them all on
SIGINT or SIGTERM. Where the option is missing (not Linux), uvicorn's own supervisor runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from collections.abc import Mapping
from multiprocessing.process import BaseProcess
from typing import Any, Final

__all__ = ["HAS_REUSEPORT", "reuseport_socket", "run_workers"]

log = logging.getLogger("msstem.web.workers")

HAS_REUSEPORT: Final = hasattr(socket, "SO_REUSEPORT")
#: A worker that dies is restarted, at most this many times a minute (then the server stops).
MAX_RESTARTS_PER_MINUTE: Final = 10


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other processes may bind too (not listening)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(config: Mapping[str, Any]) -> None:  # pragma: no cover - runs in a child process
    import uvicorn

    sock = reuseport_socket(config["host"], config["port"])
    uvicorn.Server(uvicorn.Config(**config)).run(sockets=[sock])


def run_workers(workers: int, config: Mapping[str, Any]) -> int:
    """Run ``workers`` uvicorn servers with ``config`` (keyword arguments of
    ``uvicorn.Config``), each on its own ``SO_REUSEPORT`` socket, until a signal; the exit
    code (0 after SIGINT/SIGTERM)."""
    # Bind once here first: a port in use fails now, in one process, with one message; the
    # socket is kept (bound, never listening) so the port stays ours between restarts.
    holder = reuseport_socket(config["host"], config["port"])
    ctx = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> BaseProcess:
        proc = ctx.Process(target=_worker, args=(dict(config),), daemon=False)
        proc.start()
        return proc

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    restarts: list[float] = []
    code = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, proc in enumerate(procs):
                if proc.is_alive() or stopping:
                    continue
                now = time.monotonic()
                restarts = [t for t in restarts if now - t < 60] + [now]
                if len(restarts) > MAX_RESTARTS_PER_MINUTE:
                    log.error("workers keep dying (exit code %s): stopping", proc.exitcode)
                    stopping, code = True, 1
                    break
                log.warning("worker %s exited with code %s: restarting", proc.pid,
                            proc.exitcode)
                procs[i] = start()
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=15)
            if proc.is_alive():  # pragma: no cover - a worker stuck in shutdown
                proc.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        holder.close()
    return code
