"""The patient profile: what a person (or their neurologist) tells msstem.

Every field may be absent; absence (or JSON ``null``) means *unknown*, and the
eligibility rules answer ``unknown`` rather than guess. Field names are fixed
(they are the JSON keys of ``msstem assess PROFILE.json``).

This is the bottom layer: the model and its validation from decoded data. Reading a
profile file is :func:`msstem.io.load_profile`.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from msstem.base import as_json, describe_validation_error
from msstem.clinical.edss import describe_grid, is_on_grid
from msstem.clinical.hctci import check_items
from msstem.errors import ProfileError

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
                f"{as_json(value)} is not on the EDSS grid; allowed: {describe_grid()}"
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


_JSON_TYPE_NAMES = {
    list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false",
    type(None): "null",
}


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
        field_name, message = describe_validation_error(
            exc.errors()[0], Profile, noun="field", show=as_json, show_allowed=str,
            sort_fields=False, fields_budget=(170, "docs/profile.md"), root="profile",
            expected_words={"hctci_items": "a list of item ids"}, given_suffix=False,
        )
        raise ProfileError(message, field=field_name or "profile") from None
