"""One exception tree for msstem.

Every error a user can cause is an :class:`InputError` whose message is one line
naming the field, row or column and what is allowed. The CLI maps any
:class:`MsstemError` to exit code 2; the web maps it to one JSON error shape.

    MsstemError                      root of everything msstem raises on purpose
    ├── InputError (ValueError)      bad user input; carries ``field`` when known
    │   ├── ProfileError             a patient profile field is missing, mistyped or out of range
    │   ├── DataError                a data file or table (CSV, Parquet, JSON) is malformed
    │   └── OptionsError             an options object was given an invalid setting
    ├── NotFoundError (KeyError)     an unknown id (rule set, source, fact, trial)
    ├── StorageError                 saved summaries' database cannot be used (corrupt, full)
    └── EvidenceError                the curated evidence base is inconsistent (a developer error)

Warnings (not errors) have their own small tree:

    MsstemWarning (UserWarning)
    └── DataPolicyWarning            a policy the user chose changed what was analysed
                                     (e.g. duplicate visits kept, unknown relapse subjects dropped)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "DataError",
    "DataPolicyWarning",
    "EvidenceError",
    "InputError",
    "MsstemError",
    "MsstemWarning",
    "NotFoundError",
    "OptionsError",
    "ProfileError",
    "StorageError",
    "allowed_list",
    "control_characters",
    "quote_input",
    "strip_control",
]

#: How much of a user's value an error message quotes before cutting it with an ellipsis.
QUOTE_CHARS = 60
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
    "ESC", "FS", "GS", "RS", "US",
)
# Categories that print nothing, move the cursor, or reorder text (bidi overrides, zero-width
# characters, line/paragraph separators, surrogates): never shown raw in a message.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: A terminal escape sequence (CSI ... final byte, or OSC ... BEL/ST): dropped whole.
_ANSI_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in _CONTROL_CATEGORIES


def _control_name(ch: str) -> str:
    code = ord(ch)
    if code < 32:
        return f"U+{code:04X} {_C0_NAMES[code]}"
    if code == 0x7F:
        return "U+007F DEL"
    return f"U+{code:04X} " + unicodedata.name(ch, "control character")


def control_characters(text: str) -> list[str]:
    """The control (and invisible formatting) characters in ``text``, named, in order."""
    return list(dict.fromkeys(_control_name(ch) for ch in text if _is_control(ch)))


def quote_input(value: object, limit: int = QUOTE_CHARS) -> str:
    """A user's value quoted for a one-line message: at most ``limit`` characters (then an
    ellipsis), control characters escaped and named, never a multi-kilobyte echo."""
    text = value if isinstance(value, str) else _safe_repr(value)
    cut = len(text) > limit
    shown = text[:limit]
    escaped = "".join(
        ch if not _is_control(ch) else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100
                                        else f"\\u{ord(ch):04x}")
        for ch in shown
    )
    quoted = f"'{escaped}{'…' if cut else ''}'" if isinstance(value, str) else (
        escaped + ("…" if cut else ""))
    if cut:
        quoted += f" ({len(text):,} characters)"
    named = control_characters(text)
    if named:
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        quoted += f" (contains control characters: {', '.join(named[:3])}{more})"
    return quoted


def _safe_repr(value: object) -> str:
    # Very long integers: repr() is slow (and raises past 4,300 digits); say how big instead.
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    try:
        return repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"


def allowed_list(values: Iterable[str], budget: int = 150, where: str = "the docs") -> str:
    """``a, b, c`` for a message, or as many as fit in ``budget`` characters then
    ``... (17 in all; see <where>)``: a message stays one short line however long the list."""
    items = list(values)
    text = ", ".join(items)
    if len(text) <= budget:
        return text
    shown: list[str] = []
    for item in items:
        if len(", ".join([*shown, item])) > budget - 30:
            break
        shown.append(item)
    return f"{', '.join(shown)}, ... ({len(items)} in all; see {where})"


def strip_control(text: str) -> str:
    """``text`` without control characters (terminal escape sequences, bidi overrides),
    keeping newlines and tabs: for text written to a terminal or a text report."""
    if text.isascii() and text.isprintable():
        return text
    text = _ANSI_SEQUENCE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or not _is_control(ch))


class MsstemError(Exception):
    """Root of the msstem exception tree."""


class InputError(MsstemError, ValueError):
    """Bad user input. ``field`` names the field, column or row when known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        # Always one line: users see this verbatim.
        return " ".join(str(self.args[0]).split()) if self.args else ""


class ProfileError(InputError):
    """A patient profile field is missing, mistyped or out of range."""


class DataError(InputError):
    """A data file or table is malformed (missing column, bad value, empty)."""


class OptionsError(InputError):
    """An options object was given an invalid setting."""


class NotFoundError(MsstemError, KeyError):
    """An unknown identifier was asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class StorageError(MsstemError):
    """The saved-summaries database cannot be used (corrupt file, disk full, locked).

    Not the user's input: the web answers 503 in the one error shape."""

    def __str__(self) -> str:
        return " ".join(str(self.args[0]).split()) if self.args else ""


class EvidenceError(MsstemError):
    """The curated evidence base is inconsistent."""


class MsstemWarning(UserWarning):
    """Root of the warnings msstem emits."""


class DataPolicyWarning(MsstemWarning):
    """A data policy the user chose (not an error) changed which rows were analysed."""
