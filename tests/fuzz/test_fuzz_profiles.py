"""Profile files nested at and around the depth limit (issue 12). The Hypothesis fuzz
suites for hostile profile files live in tests/properties/test_profile_file_fuzz.py."""

from __future__ import annotations

import pytest

from fuzz_strategies import assert_one_line
from msstem.errors import ProfileError
from msstem.io.profiles import parse_profile_bytes


@pytest.mark.parametrize("depth", [15, 16, 17, 980, 5000, 30_000])
def test_nesting_at_and_around_the_limit(depth: int) -> None:
    raw = ("[" * depth + "]" * depth).encode()
    with pytest.raises(ProfileError) as info:
        parse_profile_bytes(raw)
    message = str(info.value)
    assert_one_line(message, info.value.field)
    assert ("levels deep" in message) is (depth > 16)
