"""JSON from people and programs we do not control, read within fixed limits.

``json.loads`` alone lets one small input cost a lot: a 4,301-digit integer raises
``ValueError`` deep in ``int()``, 1,000 nested brackets raise ``RecursionError``, a
10,000-character key ends up quoted in a "one-line" error, and two equal keys silently
keep the last value. :func:`loads_bounded` scans the text once with a linear tokenizer
*before* parsing and refuses, in one line naming the field:

* more than ``max_bytes`` (checked first, on the raw size),
* nesting deeper than ``max_depth``,
* a number (or bare word) longer than ``max_number_chars``,
* a string longer than ``max_string_chars``, a key longer than ``max_key_chars``,
* more than ``max_keys`` keys in one object, and any key given twice.

Only then does ``json.loads`` run (whose own syntax errors are reported with their line
and column). The scan tokenizes valid JSON exactly; on invalid JSON it may stop at a
limit first, which is still one line about a real problem.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from msstem.errors import InputError, control_characters, quote_input

__all__ = ["PROFILE_LIMITS", "JsonLimits", "decode_utf8", "loads_bounded"]


@dataclass(frozen=True, slots=True)
class JsonLimits:
    """Limits for one kind of JSON input (see the module docstring)."""

    max_bytes: int = 64 * 1024
    max_depth: int = 16
    max_number_chars: int = 100
    max_string_chars: int = 1000
    max_key_chars: int = 100
    max_keys: int = 100


#: Profiles (files and API bodies): 14 flat fields, one list of item ids. Far above any real one.
PROFILE_LIMITS = JsonLimits()

# One token of JSON: a string (possibly unterminated), a structural character, or a run of
# anything else (numbers, true/false/null, garbage). Whitespace is skipped by finditer.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)
# A \uD800-\uDFFF escape: fine in a pair, but alone it is no character at all.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB]|\\u[dD][c-fC-F]")


def _where(path: list[str]) -> str:
    return ".".join(p for p in path if p)


def _field(path: list[str], root: str) -> str:
    named = [p for p in path if p]
    return named[-1] if named else root


def _too(what: str, size: int, limit: int, unit: str, path: list[str], root: str) -> InputError:
    where = _where(path) or root
    field = _field(path, root)
    return InputError(f"{where}: {what} {size:,} {unit} long; the limit is {limit:,}", field=field)


def _scan(text: str, limits: JsonLimits, root: str, prefix: list[str]) -> None:
    # Per open container: "{" with its keys so far, or "[".
    stack: list[tuple[str, set[str]]] = []
    path: list[str] = list(prefix)  # the key of each open object level that has one
    key_pending: str | None = None  # a string just seen inside an object, maybe a key
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == '"' and _SURROGATE_ESCAPE.search(token):
            _check_surrogates(token, path, key_pending, root)
        if first == '"':
            if stack and stack[-1][0] == "{" and key_pending is None and _expects_key(text, match):
                if len(token) - 2 > limits.max_key_chars:
                    raise InputError(
                        f"{_where(path) or root}: a field name {len(token) - 2:,} characters "
                        f"long ({quote_input(token[1:-1])}); field names have at most "
                        f"{limits.max_key_chars:,} characters", field=_field(path, root))
                key = json.loads(token) if "\\" in token else token[1:-1]
                named = control_characters(key)
                if named:
                    raise InputError(
                        f"{_where(path) or root}: a field name with control characters "
                        f"({quote_input(key, 40)}); field names are plain text",
                        field=_field(path, root))
                keys = stack[-1][1]
                if key in keys:
                    here = [*path, key]
                    raise InputError(
                        f"{_where(here)}: given twice; give each field once", field=key)
                keys.add(key)
                if len(keys) > limits.max_keys:
                    raise InputError(
                        f"{_where(path) or root}: more than {limits.max_keys:,} fields in one "
                        "object", field=_field(path, root))
                key_pending = key
                continue
            if len(token) - 2 > limits.max_string_chars:
                raise _too("a text", len(token) - 2, limits.max_string_chars, "characters",
                           _value_path(path, key_pending), root)
        elif first in "{[":
            if len(stack) >= limits.max_depth:
                raise InputError(
                    f"{_where(_value_path(path, key_pending)) or root}: nested more than "
                    f"{limits.max_depth} levels deep; the limit is {limits.max_depth}",
                    field=key_pending or _field(path, root))
            if key_pending is not None:
                path.append(key_pending)
            else:
                path.append("")  # a list element or the root: no name of its own
            stack.append((first, set()))
            key_pending = None
        elif first in "}]":
            if stack:
                stack.pop()
                path.pop()
            key_pending = None
        elif first == ",":
            key_pending = None
        elif first == ":":
            continue
        elif len(token) > limits.max_number_chars:
            raise _too("a number", len(token), limits.max_number_chars, "characters",
                       _value_path(path, key_pending), root)


def _check_surrogates(token: str, path: list[str], key: str | None, root: str) -> None:
    try:
        decoded = json.loads(token)
    except ValueError:
        return  # not a whole string: json.loads reports the syntax error
    if not isinstance(decoded, str):  # pragma: no cover - a string token decodes to str
        return
    try:
        decoded.encode("utf-8")
    except UnicodeEncodeError as exc:
        where = _value_path(path, key)
        raise InputError(
            f"{_where(where) or root}: a text with an unpaired surrogate "
            f"(\\u{ord(decoded[exc.start]):04x}), which is no character; send valid Unicode",
            field=_field(where, root)) from None


def _expects_key(text: str, match: re.Match[str]) -> bool:
    """True when the string is followed by ':' (so it is a key)."""
    end = match.end()
    n = len(text)
    while end < n and text[end] in " \t\r\n":
        end += 1
    return end < n and text[end] == ":"


def _value_path(path: list[str], key: str | None) -> list[str]:
    named = [p for p in path if p]
    return [*named, key] if key is not None else named


def decode_utf8(data: bytes, what: str, field: str | None = None) -> str:
    """UTF-8 text (a leading byte-order mark is allowed and dropped); one line otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} is not UTF-8 text (byte {exc.start:,} is {data[exc.start]:#04x}); save "
            "it as UTF-8", field=field or what) from None


def loads_bounded(
    data: bytes | str,
    *,
    root: str = "body",
    limits: JsonLimits = PROFILE_LIMITS,
    prefix: tuple[str, ...] = (),
    what: str = "body",
) -> Any:
    """Parse JSON within ``limits``. Errors are :class:`InputError` lines naming the field.

    ``root`` names the whole document in messages (``profile``, ``body``); ``prefix`` puts
    the dotted path of where this document sits in front of field names; ``what`` is how
    a syntax error names the input (``profile file 'x.json'``, ``body``).
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise InputError(f"{root}: {size:,} bytes; the limit is {limits.max_bytes:,} bytes",
                         field=root)
    text = decode_utf8(data, what, root) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    _scan(text, limits, root, [p for p in prefix])
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})",
            field=root) from None
    except (ValueError, RecursionError) as exc:  # pragma: no cover - the scan prevents these
        raise InputError(f"{what} cannot be read as JSON ({exc.__class__.__name__})",
                         field=root) from None


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # A safety net behind the scan: json.loads keeps the last of two equal keys silently.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:  # pragma: no cover - the scan finds duplicates first
            raise InputError(f"{key}: given twice; give each field once", field=key)
        seen[key] = value
    return seen
