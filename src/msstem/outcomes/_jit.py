"""numba's ``njit`` with an optional on-disk cache, so msstem runs for any account.

The compiled kernel is cached on disk when numba finds a writable place for it
(``NUMBA_CACHE_DIR`` when set, else ``__pycache__`` beside the source, else the user's
cache directory). A service account with a read-only install and no writable home has
none: then the functions are compiled in memory on first use (a few seconds per process)
instead of failing. ``MSSTEM_NUMBA_CACHE=0`` turns the cache off on purpose. Every
function is compiled ``nogil``, so callers may run subjects on several threads.

Importing this module imports numba; only code that runs the kernel imports it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numba

_F = TypeVar("_F", bound=Callable[..., Any])

__all__ = ["CACHE_STATE", "njit"]

#: "on" while functions are cached on disk; "off (...)" with the reason otherwise.
CACHE_STATE: dict[str, str] = {"state": "on"}


def _cache_wanted() -> bool:
    return os.environ.get("MSSTEM_NUMBA_CACHE", "1").strip().lower() not in ("0", "false", "no",
                                                                             "off")


def _njit(*args: Any, cache: bool = True, nogil: bool = True,
          **kwargs: Any) -> Any:
    """``numba.njit`` (same arguments); ``cache=True`` falls back to no cache when numba has
    no writable cache directory, instead of raising at import time."""

    def decorate(fn: _F) -> _F:
        if cache and _cache_wanted() and CACHE_STATE["state"] == "on":
            try:
                compiled: _F = numba.njit(cache=True, nogil=nogil, **kwargs)(fn)
                return compiled
            except (RuntimeError, OSError) as exc:  # "cannot cache function ...: no locator"
                CACHE_STATE["state"] = f"off ({str(exc).splitlines()[0][:120]})"
        elif not _cache_wanted():
            CACHE_STATE["state"] = "off (MSSTEM_NUMBA_CACHE=0)"
        plain: _F = numba.njit(cache=False, nogil=nogil, **kwargs)(fn)
        return plain

    if args and callable(args[0]) and len(args) == 1 and not kwargs:
        return decorate(args[0])  # bare @njit
    if args:
        raise TypeError("msstem.outcomes._jit.njit takes keyword options only")
    return decorate


if TYPE_CHECKING:  # typed as numba's own decorator, so the kernel type-checks as before
    from numba import njit as njit
else:
    njit = _njit
