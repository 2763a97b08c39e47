"""Hypothesis strategies for hostile input, shared by the fuzz suites (issue 12).

The suites live in tests/properties/ (``test_profile_file_fuzz.py``, ``test_web_fuzz.py``);
each counts the inputs it generated with the ``tried`` fixture (tests/properties/conftest.py)
and the run's summary line adds them up (``pytest_terminal_summary`` in tests/conftest.py).
In CI the Hypothesis ``ci`` profile makes every run the same (derandomised).

``MSSTEM_FUZZ_SCALE`` multiplies every suite's example count for a longer local run::

    MSSTEM_FUZZ_SCALE=20 .venv/bin/pytest tests/properties -k fuzz -q -p no:randomly
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import strategies as st

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.hctci import HCTCI_ITEMS
from msstem.clinical.profile import MS_COURSES, Profile
from msstem.errors import quote_input

SCALE = float(os.environ.get("MSSTEM_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    """``n`` examples, times ``MSSTEM_FUZZ_SCALE``."""
    return max(1, round(n * SCALE))


FIELDS = list(Profile.model_fields)
INT_FIELDS = ["age", "relapses_12m", "relapses_24m", "relapses_36m", "gd_lesions_12m",
              "new_t2_lesions_12m"]
BOOL_FIELDS = ["activity_on_dmt", "failed_high_efficacy_dmt", "pregnant"]

#: Any code point, surrogates and control characters included.
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF)
nasty_chars = st.sampled_from(
    ["\x00", "\x1b", "\x1b[31m", "\x7f", "\x85", "\u202e", "\u200b", "\ufeff", "\u2028",
     "\udcff", "²", "①", "٣", "\U0001f600", "\r\n", "\t", '"', "\\", "'", "<script>"])
hostile_text = st.one_of(
    st.text(any_char, max_size=30),
    st.lists(nasty_chars, max_size=6).map("".join),
    st.integers(101, 3000).map(lambda n: "x" * n),
)
big_int = st.integers(min_value=10**18, max_value=10**80) | st.integers(max_value=-(10**18),
                                                                      min_value=-(10**80))
leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), big_int,
    st.floats(allow_nan=True, allow_infinity=True), hostile_text,
)
json_value = st.recursive(
    leaf, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6),
                                                                      inner, max_size=4),
    max_leaves=5,
)


def _good_value(field: str) -> st.SearchStrategy[Any]:
    if field in INT_FIELDS:
        return st.integers(0, 130) | st.integers(0, 130).map(float)
    if field == "disease_duration_years":
        return st.floats(0, 120, allow_nan=False) | st.integers(0, 60)
    if field == "edss":
        return st.sampled_from([float(v) for v in EDSS_GRID] + [0, 5, 2.25, 0.5, 11.0])
    if field == "ms_course":
        return st.sampled_from([*MS_COURSES, "rrms", "PRMS", ""])
    if field in BOOL_FIELDS:
        return st.booleans()
    if field == "current_dmt":
        return st.sampled_from(["natalizumab", "ocrelizumab", "nat\x1b[2Jalizumab", ""]) | \
            hostile_text
    if field == "hctci_items":
        return st.lists(st.sampled_from([*HCTCI_ITEMS, "gout", ""]), max_size=4)
    return leaf  # pragma: no cover


#: A profile-shaped dict: mostly known fields with plausible values (many valid profiles),
#: some hostile values, unknown and control-character keys.
field_value = st.sampled_from(FIELDS).flatmap(
    lambda f: st.tuples(st.just(f), st.one_of(_good_value(f), _good_value(f), json_value)))
hostile_key = st.one_of(
    st.text(any_char, min_size=1, max_size=12), st.lists(nasty_chars, min_size=1, max_size=3)
    .map("".join), st.integers(90, 12_000).map(lambda n: "k" * n), st.sampled_from(
        ["edds", "Age", "age ", "ms-course"]))
profile_dict = st.tuples(
    st.lists(field_value, max_size=9),
    st.lists(st.tuples(hostile_key, json_value), max_size=2),
    st.booleans(),
).map(lambda t: dict(t[0] + (t[1] if t[2] else [])))

@st.composite
def profile_documents(draw: st.DrawFn) -> list[tuple[bytes, dict[str, Any] | None]]:
    """One drawn profile in every encoding and mangling: ``(bytes of a profile file, the
    dict it honestly encodes or None when mangled)``. Drawing once and mangling it a dozen
    ways keeps the generated inputs cheap (Hypothesis' cost is in the drawing)."""
    data = draw(profile_dict)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    utf8 = text.encode("utf-8", "surrogatepass")
    out: list[tuple[bytes, dict[str, Any] | None]] = [(utf8, data), (b"\xef\xbb\xbf" + utf8, data)]
    if data:
        key = next(iter(data))
        out.append((("{" + f"{json.dumps(key)}: 1, " + text[1:]).encode("utf-8", "surrogatepass"),
                    None))  # the first key twice
        escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in key)
        out.append(((f'{{"{escaped}": 0, ' + text[1:]).encode("utf-8", "surrogatepass"),
                    None))  # the same key again, spelled with escapes
    cut = draw(st.integers(0, max(0, len(text) - 1)))
    depth = draw(st.sampled_from([15, 16, 17, 200, 980, 3000]))
    digits = draw(st.sampled_from([99, 100, 101, 4300, 4301, 6000]))
    number_field = draw(st.sampled_from(FIELDS))
    out += [
        (text[:cut].encode("utf-8", "surrogatepass"), None),  # truncated
        (b"[" * depth + utf8 + b"]" * depth, None),  # nested
        (f'{{"{number_field}": {"9" * digits}}}'.encode(), None),  # a very long number
        (f'{{"{number_field}": 0.{"5" * digits}}}'.encode(), None),
        (text.encode("utf-16", "surrogatepass"), None),
        (text.encode("latin-1", "replace") + b"\xe9", None),
        (draw(st.binary(max_size=40)), None),
        (json.dumps(draw(json_value)).encode("utf-8", "surrogatepass"), None),  # not an object
        (json.dumps({"profile": data}).encode("utf-8", "surrogatepass"), None),  # wrapped
    ]
    return out


def assert_one_line(message: str, field: str | None) -> None:
    """The error contract: one line, under 300 characters, naming the field."""
    assert "\n" not in message and "\r" not in message, message
    assert len(message) < 300, (len(message), message[:400])
    assert field, message
    shown = " ".join(quote_input(field, 40).split("…")[0].strip("'").split())
    assert (field in message or not shown.strip() or shown[:30] in message
            or "unknown field" in message or message.startswith(("profile", "body"))), \
        (field[:80], message)
    assert "Traceback" not in message
