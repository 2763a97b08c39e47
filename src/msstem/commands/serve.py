"""``msstem serve``: the web decision aid on http://HOST:PORT (default 127.0.0.1:8000)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated, Any

import typer

__all__ = ["log_config", "register"]


def log_config() -> dict[str, Any]:
    """uvicorn's own logs plus msstem's data-free access log; uvicorn's access log is off
    because it would print query strings."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "msstem.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def serve_command(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on "
                                             "(default 127.0.0.1, or MSSTEM_HOST).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on "
                                             "(default 8000, or MSSTEM_PORT).", min=1,
                                             max=65535)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="Worker processes.")] = 1,
) -> None:
    """Serve the web decision aid. Nothing a person enters is stored unless they save it."""
    import uvicorn
    from pydantic import ValidationError

    from msstem.errors import OptionsError
    from msstem.web.settings import WebSettings

    if host is not None:
        os.environ["MSSTEM_HOST"] = host
    if port is not None:
        os.environ["MSSTEM_PORT"] = str(port)
    # Workers must share the cookie-signing key; without MSSTEM_SECRET_KEY, make one
    # random key for this server run (answers are forgotten when it stops).
    os.environ.setdefault("MSSTEM_SECRET_KEY", secrets.token_urlsafe(32))
    try:
        settings = WebSettings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = "MSSTEM_" + "_".join(str(p) for p in err.get("loc", ())).upper()
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        raise OptionsError(f"{name}: {msg}", field=name) from None
    typer.echo(f"msstem: serving the decision aid on http://{settings.host}:{settings.port}/ "
               "(Ctrl+C to stop)", err=True)
    config: dict[str, Any] = dict(
        app="msstem.web:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_config=log_config(),
        # An import string, so that every worker process loads it (and its limits, from
        # the same MSSTEM_* settings) itself.
        http="msstem.web.serving:GuardedHttpToolsProtocol",
        timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
        backlog=min(2048, settings.max_connections * 4),
        server_header=False,
        proxy_headers=False,
    )
    from msstem.web.workers import HAS_REUSEPORT, run_workers

    if workers > 1 and HAS_REUSEPORT:
        # One listening socket per worker: the kernel spreads connections over them.
        try:
            code = run_workers(workers, config)
        except OSError as exc:
            raise OptionsError(f"--port: cannot listen on {settings.host}:{settings.port} "
                               f"({exc.strerror or exc})", field="--port") from None
        raise typer.Exit(code=code)
    uvicorn.run(**config, workers=workers)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
