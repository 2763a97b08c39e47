"""Hostile profiles for the profile loader (issue 12): types, sizes, encodings, nesting,
unknown and control-character keys. Every input either gives the same Profile as the
model does on the decoded data, or one ProfileError line under 300 characters naming
the field; nothing else ever escapes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_strategies import assert_one_line, examples, profile_documents
from msstem.clinical.profile import Profile, parse_profile
from msstem.errors import ProfileError
from msstem.io.profiles import parse_profile_bytes

FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
              HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _reference(honest: dict[str, Any] | None) -> Profile | None:
    """What the model alone makes of the decoded data (None: not valid)."""
    if honest is None:
        return None
    try:
        json.dumps(honest, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None  # an unpaired surrogate: refused as no character (not valid Unicode)
    try:
        return parse_profile(json.loads(json.dumps(honest)))
    except ProfileError:
        return None


@settings(max_examples=examples(500), suppress_health_check=FIXTURE_OK, deadline=None)
@given(profile_documents())
def test_profile_bytes(tried: list[int],
                       documents: list[tuple[bytes, dict[str, Any] | None]]) -> None:
    for raw, honest in documents:
        tried[0] += 1
        expected = _reference(honest)
        try:
            got = parse_profile_bytes(raw, "profile file 'p.json'")
        except ProfileError as exc:
            assert expected is None, f"valid profile refused: {exc}"
            assert_one_line(str(exc), exc.field)
            continue
        if honest is not None:
            assert got == expected  # the same result as the model on the same data
        assert isinstance(got, Profile)


@settings(max_examples=examples(1000), suppress_health_check=FIXTURE_OK, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(tried: list[int], raw: bytes) -> None:
    tried[0] += 1
    try:
        parse_profile_bytes(raw)
    except ProfileError as exc:
        assert_one_line(str(exc), exc.field)
