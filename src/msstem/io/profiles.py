"""Profile files: read a JSON file and validate it as a :class:`~msstem.clinical.Profile`.

Read defensively (issue 12): ``-`` is standard input; anything else must be a regular
file (a folder, a FIFO that would block until a writer appears, or a device such as
``/dev/zero`` that never ends gets one line instead); at most
:data:`~msstem.io.bounded_json.PROFILE_LIMITS` ``.max_bytes`` are read; a UTF-8
byte-order mark is allowed; the JSON is parsed within the same limits as API bodies
(:func:`~msstem.io.bounded_json.loads_bounded`): no duplicate keys, bounded nesting,
number, key and string lengths.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from msstem.clinical.profile import Profile, parse_profile
from msstem.errors import InputError, ProfileError, quote_input
from msstem.io.bounded_json import PROFILE_LIMITS, loads_bounded

__all__ = ["load_profile", "parse_profile_bytes", "read_bounded"]

STDIN = "-"


def _name(path: str) -> str:
    return "standard input" if path == STDIN else f"profile file {quote_input(path, 80)}"


def read_bounded(path: str | Path, limit: int, *, what: str = "profile", field: str = "profile",
                 stdin: BinaryIO | None = None, name: str | None = None) -> bytes:
    """The bytes of a regular file (or ``-``: standard input), refusing more than ``limit``.

    Never blocks on a FIFO and never reads a device without end: both are refused by
    their type before they are opened.
    """
    text = str(path)
    if name is None:
        name = "standard input" if text == STDIN else f"{what} file {quote_input(text, 80)}"
    try:
        if text == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(limit + 1)
        else:
            try:
                info = os.stat(text)
            except FileNotFoundError:
                raise InputError(f"{name} does not exist", field=field) from None
            if stat.S_ISDIR(info.st_mode):
                raise InputError(f"{name} is a folder, not a file", field=field)
            if not stat.S_ISREG(info.st_mode):
                kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else
                        "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                        else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
                raise InputError(
                    f"{name} is {kind}, not a regular file; use '-' to read standard input",
                    field=field)
            # O_NONBLOCK: should it have been swapped for a FIFO since the check, open
            # still returns at once (and the read finds nothing) instead of hanging.
            fd = os.open(text, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as handle:
                data = handle.read(limit + 1)
    except InputError:
        raise
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc.__class__.__name__
        raise InputError(f"{name} cannot be read: {reason}", field=field) from None
    if data is None:  # pragma: no cover - a non-blocking stream with nothing ready
        data = b""
    if len(data) > limit:
        raise InputError(
            f"{name} is larger than {limit:,} bytes; a {what} is far smaller", field=field)
    return data


def parse_profile_bytes(data: bytes, name: str = "profile") -> Profile:
    """Validate the bytes of a profile file (what :func:`load_profile` does once it has
    read them): UTF-8 (BOM allowed), bounded JSON, then the :class:`Profile` model."""
    if len(data) > PROFILE_LIMITS.max_bytes:
        raise ProfileError(f"{name} is larger than {PROFILE_LIMITS.max_bytes:,} bytes; a "
                           "profile is far smaller", field="profile")
    try:
        decoded = loads_bounded(data, root="profile", limits=PROFILE_LIMITS, what=name)
    except ProfileError:
        raise
    except InputError as exc:
        raise ProfileError(str(exc), field=exc.field) from None
    return parse_profile(decoded)


def load_profile(path: str | Path, *, stdin: BinaryIO | None = None) -> Profile:
    """Read and validate a profile JSON file (``-``: standard input)."""
    text = str(path)
    try:
        data = read_bounded(text, PROFILE_LIMITS.max_bytes, stdin=stdin)
    except InputError as exc:
        raise ProfileError(str(exc), field=exc.field) from None
    return parse_profile_bytes(data, _name(text))
