"""A validated, cached form of the evidence base, so a fresh process starts fast.

Parsing and type-checking the YAML files takes most of a short command's time.
After a successful load, :mod:`msstem.evidence.loader` keeps the validated
records in one file in the user's cache folder; a later process whose data files
hash to the same key reads that file instead. The key covers the bytes and names
of every data file, the msstem version and the Python and pydantic versions, so
any edit to the data (or an upgrade) rebuilds it.

Where the cache lives, first match wins: ``$MSSTEM_CACHE_DIR``;
``$XDG_CACHE_HOME/msstem``; ``~/.cache/msstem``. ``MSSTEM_CACHE_DIR=off`` turns
it off. A folder that cannot be created or written (a read-only install, a
service account without a writable home) is not an error: msstem then loads the
data the slow way, silently. A cache file is read only if it belongs to this user
and nobody else can write it, and anything unreadable is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import pydantic

from msstem import __version__

__all__ = ["CACHE_ENV", "cache_dir", "key_for", "read", "write"]

#: Environment variable naming the cache folder ("off" disables the cache).
CACHE_ENV: Final = "MSSTEM_CACHE_DIR"
_FORMAT: Final = "1"  # bump when the cached layout changes
_PREFIX: Final = "evidence-"


def cache_dir() -> Path | None:
    """The folder for cached evidence, or None when the cache is turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "msstem"
    try:
        return Path.home() / ".cache" / "msstem"
    except (RuntimeError, KeyError, OSError):  # no resolvable home directory
        return None


def key_for(files: Mapping[str, bytes]) -> str:
    """A hash of the data files (names and bytes) and of what reads them."""
    digest = hashlib.sha256()
    for part in (_FORMAT, __version__, sys.version, pydantic.VERSION):
        digest.update(part.encode())
        digest.update(b"\0")
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:32]


def _path(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{_PREFIX}{key}.pickle"


def _trusted(path: Path) -> bool:
    """Only a file of our own that nobody else can write is unpickled."""
    try:
        info = path.stat()
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & 0o022


def read(key: str) -> dict[str, Any] | None:
    """The cached keyword arguments of EvidenceBase for ``key``, or None."""
    path = _path(key)
    if path is None or not _trusted(path):
        return None
    try:
        with path.open("rb") as handle:
            payload = pickle.load(handle)  # our own file, checked by _trusted()
    except Exception:  # a truncated or stale file is simply rebuilt
        return None
    if not isinstance(payload, dict) or payload.get("key") != key:
        return None
    built = payload.get("built")
    return built if isinstance(built, dict) else None


#: Other cached versions (another checkout, an older release) are removed after this long.
_KEEP_SECONDS: Final = 7 * 24 * 3600


def _prune(keep: Path) -> None:
    now = time.time()
    for old in keep.parent.glob(f"{_PREFIX}*.pickle"):
        if old != keep and now - old.stat().st_mtime > _KEEP_SECONDS:
            old.unlink(missing_ok=True)


def write(key: str, built: Mapping[str, Any]) -> bool:
    """Store ``built`` for ``key``; False (and no error) where the folder is not writable."""
    path = _path(key)
    if path is None:
        return False
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".evidence-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"key": key, "built": dict(built)}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path)
    except Exception:  # unwritable or full: load the slow way next time too
        return False
    return True
