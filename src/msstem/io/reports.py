"""Writing a rendered report (text, JSON, HTML or PDF) to a file the user named."""

from __future__ import annotations

from pathlib import Path

from msstem.errors import OptionsError

__all__ = ["write_report"]


def write_report(content: str | bytes, out: str | Path) -> Path:
    """Write ``content`` to ``out`` (creating parent folders); one-line error if it cannot.

    Text is written as UTF-8; bytes (a PDF) as they are.
    """
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise OptionsError(f"--out: cannot write {str(path)!r}: {reason}", field="out") from None
    return path
