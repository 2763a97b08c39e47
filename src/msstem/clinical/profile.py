"""The patient profile: what a person (or their neurologist) tells msstem.

Every field may be absent; absence (or JSON ``null``) means *unknown*, and the
eligibility rules answer ``unknown`` rather than guess. Field names are fixed
(they are the JSON keys of ``msstem assess PROFILE.json``).

This is the bottom layer: the model and its validation from decoded data. Reading a
profile file is :func:`msstem.io.load_profile`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from itertools import pairwise
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from msstem.clinical.edss import describe_grid, is_on_grid
from msstem.clinical.hctci import check_items
from msstem.errors import ProfileError, allowed_list, control_characters, quote_input

__all__ = [
    "MS_COURSES",
    "MsCourse",
    "Profile",
    "parse_profile",
]

MsCourse = Literal["RRMS", "SPMS", "PPMS", "CIS"]
#: The allowed ``ms_course`` values.
MS_COURSES: tuple[str, ...] = get_args(MsCourse)
PROGRESSIVE_COURSES: frozenset[str] = frozenset({"SPMS", "PPMS"})

#: Upper bound for ages, a typo guard rather than a clinical claim.
MAX_AGE_YEARS = 120
MAX_COUNT = 1000


class Profile(BaseModel):
    """A person's MS profile. ``None`` means unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    age: int | None = Field(None, ge=0, le=MAX_AGE_YEARS, description="Age in completed years.")
    ms_course: MsCourse | None = Field(
        None, description="RRMS, SPMS, PPMS or CIS (clinically isolated syndrome)."
    )
    disease_duration_years: float | None = Field(
        None, ge=0, le=MAX_AGE_YEARS, allow_inf_nan=False,
        description="Years since the first MS symptoms.",
    )
    edss: float | None = Field(
        None, description="Expanded Disability Status Scale: 0, 1.0, 1.5, ... 9.5, 10."
    )
    relapses_12m: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="Relapses in the last 12 months."
    )
    relapses_24m: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="Relapses in the last 24 months."
    )
    relapses_36m: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="Relapses in the last 36 months."
    )
    gd_lesions_12m: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="Gd-enhancing lesions on MRI in the last 12 months."
    )
    new_t2_lesions_12m: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="New or enlarging T2 lesions in the last 12 months."
    )
    activity_on_dmt: bool | None = Field(
        None, description="True if that activity happened while on a disease-modifying therapy."
    )
    failed_high_efficacy_dmt: bool | None = Field(
        None, description="True if activity continued on a high-efficacy DMT."
    )
    current_dmt: str | None = Field(
        None, min_length=1, max_length=100, description="Name of the current DMT, if any."
    )
    hctci_items: tuple[str, ...] | None = Field(
        None, description="HCT-CI comorbidity item ids (see docs/profile.md)."
    )
    pregnant: bool | None = Field(None, description="True if currently pregnant.")

    @field_validator("hctci_items", mode="before")
    @classmethod
    def _list_to_tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator(
        "age", "relapses_12m", "relapses_24m", "relapses_36m", "gd_lesions_12m",
        "new_t2_lesions_12m", mode="before",
    )
    @classmethod
    def _whole_float_is_int(cls, value: Any) -> Any:
        # JSON has one number type: 34 and 34.0 are the same number (and JSON Schema's
        # "integer" accepts both), so a whole-valued float is that integer. 34.5 still fails.
        if type(value) is float and value.is_integer() and abs(value) <= 2**53:
            return int(value)
        return value

    @field_validator("edss")
    @classmethod
    def _edss_on_grid(cls, value: float | None) -> float | None:
        if value is not None and not is_on_grid(value):
            raise ValueError(
                f"{_as_json(value)} is not on the EDSS grid; allowed: {describe_grid()}"
            )
        return value

    @field_validator("hctci_items")
    @classmethod
    def _known_items(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None:
            check_items(value)
        return value

    @model_validator(mode="after")
    def _relapse_windows_nest(self) -> Profile:
        windows = [
            ("relapses_12m", 12, self.relapses_12m),
            ("relapses_24m", 24, self.relapses_24m),
            ("relapses_36m", 36, self.relapses_36m),
        ]
        known = [(name, months, n) for name, months, n in windows if n is not None]
        for (short, m_short, n_short), (long, m_long, n_long) in pairwise(known):
            if n_short > n_long:
                raise ProfileError(
                    f"{short}: {n_short} is greater than {long} ({n_long}); relapses in the "
                    f"last {m_short} months are also in the last {m_long} months, so they "
                    "cannot be more",
                    field=short,
                )
        if self.failed_high_efficacy_dmt and self.activity_on_dmt is False:
            raise ProfileError(
                "activity_on_dmt: false contradicts failed_high_efficacy_dmt: true (activity "
                "on a high-efficacy DMT is activity on a DMT)",
                field="activity_on_dmt",
            )
        if (
            self.age is not None
            and self.disease_duration_years is not None
            and self.disease_duration_years > self.age
        ):
            raise ProfileError(
                f"disease_duration_years: {self.disease_duration_years} is greater than age "
                f"({self.age}); MS cannot have started before birth",
                field="disease_duration_years",
            )
        return self

    @property
    def is_progressive(self) -> bool | None:
        if self.ms_course is None:
            return None
        return self.ms_course in PROGRESSIVE_COURSES

    def known_fields(self) -> dict[str, Any]:
        """The fields the person answered, as JSON-ready values."""
        return self.model_dump(mode="json", exclude_none=True)


def _as_json(value: Any) -> str:
    """A value as the person wrote it in JSON (``true``, ``"40"``, ``NaN``), not a Python repr;
    at most 60 characters (then an ellipsis), control characters named."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return quote_input(value)
    if len(text) > 60:
        text = text[:60] + "…"
    names = control_characters(value) if isinstance(value, str) else []
    if names:
        text = quote_input(value)  # escaped and named
    return text


_JSON_TYPE_NAMES = {
    list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false",
    type(None): "null",
}


def _describe_error(err: Mapping[str, Any]) -> tuple[str, str]:
    loc = ".".join(str(p) for p in err.get("loc", ())) or "profile"
    kind = err.get("type", "")
    given = _as_json(err.get("input"))
    field_name = str(err["loc"][0]) if err.get("loc") else "profile"
    if kind == "extra_forbidden":
        # The key as given (even "" or one with dots), not the dotted location.
        key = str(err["loc"][-1]) if err.get("loc") else ""
        allowed = allowed_list(Profile.model_fields, budget=170, where="docs/profile.md")
        return key or "profile", (
            f"unknown field {quote_input(key, 40)}; allowed fields: {allowed}")
    if kind == "literal_error":
        return field_name, f"{loc}: {given} is not allowed; allowed: {', '.join(MS_COURSES)}"
    ctx = err.get("ctx") or {}
    if "error" in ctx and isinstance(ctx["error"], ProfileError):
        return ctx["error"].field or field_name, str(ctx["error"])
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    expected = {
        "int_type": "a whole number",
        "float_type": "a number",
        "bool_type": "true or false",
        "string_type": "text",
        "tuple_type": "a list of item ids",
    }.get(kind)
    if expected:
        return field_name, f"{loc}: {given} is not {expected}"
    if kind == "finite_number":
        return field_name, f"{loc}: {given} is not a finite number"
    if kind in {"string_too_short", "string_too_long"}:
        return field_name, f"{loc}: {given} is not allowed; {msg.lower()}"
    if kind in {"greater_than_equal", "less_than_equal"}:
        return field_name, f"{loc}: {given} is out of range; {msg.lower()}"
    return field_name, f"{loc}: {msg}"


def parse_profile(data: Any) -> Profile:
    """Validate a decoded JSON object as a :class:`Profile`.

    Raises :class:`ProfileError` with a one-line message naming the field.
    """
    if not isinstance(data, dict):
        got = _JSON_TYPE_NAMES.get(type(data), type(data).__name__)
        raise ProfileError(f"profile: expected a JSON object, got {got}", field="profile")
    try:
        return Profile.model_validate(data)
    except ProfileError:
        raise
    except ValidationError as exc:
        field_name, message = _describe_error(exc.errors()[0])
        raise ProfileError(message, field=field_name) from None
