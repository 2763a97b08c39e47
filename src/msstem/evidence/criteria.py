"""Structured eligibility criteria: the one home of every guideline and trial-entry number.

A :class:`Criterion` is one cited numeric limit written in the evidence data
(``guidelines.yaml``, ``trials.yaml``, ``definitions.yaml``)::

    - id: age-max
      measure: age
      comparison: "<="
      value: 55
      unit: years
      strength: hard
      wording: "Age {words} {value} {unit}"
      quote: "age 18 to 55 inclusive"
      source_id: beat-ms-registry

``measured <comparison> value`` passes. ``wording`` is a template for the
user-facing text (placeholders in :data:`WORDING_FIELDS`; the template itself
holds no number, so the text always follows ``value``); ``quote`` is the evidence
notes' own words, kept to show where the number comes from. The eligibility rule
sets read these records instead of holding numbers of their own, and
``msstem evidence thresholds`` lists each with the file and line it is written on.

Standing cautions and notes that the rule sets show with a guideline or trial
live next to its criteria (:class:`ScreeningText`); their templates may name the
owner's criteria by id (``{age-max}`` is that criterion's formatted value).
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from typing import Annotated, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

__all__ = [
    "COMPARISONS",
    "CRITERION_MEASURES",
    "CRITERION_STRENGTHS",
    "CRITERION_UNITS",
    "RELAPSE_WINDOWS_MONTHS",
    "WORDING_FIELDS",
    "Comparison",
    "Criterion",
    "CriterionMeasure",
    "CriterionStrength",
    "CriterionUnit",
    "LocatedCriterion",
    "ScreeningText",
    "ShownCriterion",
    "describe_range",
    "format_number",
    "format_window",
    "render_screening",
    "render_template",
]

_ID_PATTERN: Final = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_Id = Annotated[str, StringConstraints(pattern=_ID_PATTERN)]
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Comparison = Literal["<", "<=", ">", ">="]
CriterionStrength = Literal["hard", "soft"]
#: What a criterion measures (the contradiction check finds statements about it in texts).
CriterionMeasure = Literal[
    "age", "edss", "disease_duration", "relapses", "disabling_relapses", "episodes",
    "activity", "gd_lesions", "new_t2_lesions", "mri_lesions", "failed_he_dmts",
    "months_on_dmt", "months_after_dmt_start", "relapse_free_months", "walking_distance",
]
CriterionUnit = Literal[
    "years", "EDSS", "relapses", "disabling relapses", "episodes", "relapses or MRI activity",
    "Gd+ lesions", "new or enlarging T2 lesions", "lesions", "failed high-efficacy DMT(s)",
    "months", "m",
]

COMPARISONS: Final[tuple[str, ...]] = get_args(Comparison)
CRITERION_STRENGTHS: Final[tuple[str, ...]] = get_args(CriterionStrength)
CRITERION_MEASURES: Final[tuple[str, ...]] = get_args(CriterionMeasure)
CRITERION_UNITS: Final[tuple[str, ...]] = get_args(CriterionUnit)
#: The relapse windows a profile records (``relapses_12m`` ...): a criterion's window is one.
RELAPSE_WINDOWS_MONTHS: Final[tuple[int, ...]] = (12, 24, 36)

#: Placeholders a criterion's ``wording`` may use.
WORDING_FIELDS: Final[dict[str, str]] = {
    "value": "the value, formatted (EDSS with one decimal)",
    "unit": "the unit (singular when the value is 1)",
    "symbol": "the comparison as a symbol: <, ≤, >, ≥",
    "words": "the comparison in words: under, at most, over, at least",
    "window": "the time window, e.g. '36 months' (criteria with window_months only)",
    "window_phrase": "the window in years where whole: 'year', '3 years' (else months)",
    "count": "the value as a word for whole numbers up to ten ('one'), else as {value}",
    "text": "the whole limit, e.g. '≥ 2 relapses' or 'EDSS ≤ 6.0'",
}

_SYMBOL: Final = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_WORDS: Final = {"<": "under", "<=": "at most", ">": "over", ">=": "at least"}
# Units are written in the plural; a limit of exactly 1 reads in the singular.
_PLURAL: Final = re.compile(r"\b(relapse|lesion|month|year|episode)s\b")
_NUMBER_WORDS: Final = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)
# A number written out in a template (T1/T2 and the like are names, not numbers).
_BARE_NUMBER: Final = re.compile(r"(?<![\w.+-])\d+(?:\.\d+)?(?![\w])")


def format_number(value: float, unit: str) -> str:
    """EDSS always with one decimal (the grid's own notation); counts and years as integers."""
    if unit == "EDSS":
        return f"{value:.1f}"
    return str(int(value)) if float(value).is_integer() else str(value)


def format_window(months: int) -> str:
    """``36 months``; a window of whole years still reads in months, as the profile does."""
    return f"{months} months" if months != 1 else "1 month"


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def render_template(template: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders; an unknown name is a ValueError naming it."""
    missing = [name for name in _template_fields(template) if name not in values]
    if missing:
        raise ValueError(
            f"template {template!r} uses unknown placeholder(s) {', '.join(missing)}; "
            f"allowed: {', '.join(sorted(values))}"
        )
    return template.format_map(values)


class Criterion(BaseModel):
    """One cited numeric limit of a guideline or trial: ``measured <comparison> value``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: _Id
    measure: CriterionMeasure
    comparison: Comparison
    value: float
    unit: CriterionUnit
    #: The time window the count is taken over, in months (a profile window: 12, 24 or 36).
    window_months: int | None = None
    #: ``hard`` decides a verdict; ``soft`` is a preference that only adds a caution.
    strength: CriterionStrength
    #: User-facing text with placeholders (see WORDING_FIELDS); holds no number itself.
    wording: _Text
    #: The evidence notes' own words for this limit.
    quote: _Text
    source_id: _Id
    #: Where msstem reads the source in a particular way, what that reading is.
    reading: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"value {value!r} is not finite")
        return value

    @field_validator("window_months")
    @classmethod
    def _profile_window(cls, value: int | None) -> int | None:
        if value is not None and value not in RELAPSE_WINDOWS_MONTHS:
            allowed = ", ".join(str(w) for w in RELAPSE_WINDOWS_MONTHS)
            raise ValueError(f"window_months {value} is not a profile window; allowed: {allowed}")
        return value

    @field_validator("wording")
    @classmethod
    def _template(cls, value: str) -> str:
        unknown = [n for n in _template_fields(value) if n not in WORDING_FIELDS]
        if unknown:
            raise ValueError(
                f"wording uses unknown placeholder(s) {', '.join(unknown)}; allowed: "
                + ", ".join(WORDING_FIELDS)
            )
        stated = _BARE_NUMBER.findall(value)
        if stated:
            raise ValueError(
                f"wording writes the number(s) {', '.join(stated)} itself; use {{value}} or "
                "{window} so the text follows the data"
            )
        if not {"value", "text", "count"} & set(_template_fields(value)):
            raise ValueError("wording must show the number through {value}, {count} or {text}")
        return value

    # --- behaviour -----------------------------------------------------------
    @property
    def hard(self) -> bool:
        return self.strength == "hard"

    def holds(self, measured: float) -> bool:
        """True if ``measured`` passes this limit."""
        match self.comparison:
            case "<":
                return measured < self.value
            case "<=":
                return measured <= self.value
            case ">":
                return measured > self.value
            case ">=":
                return measured >= self.value

    def format_value(self) -> str:
        return format_number(self.value, self.unit)

    @property
    def unit_text(self) -> str:
        """The unit, singular when the value is exactly 1."""
        return _PLURAL.sub(lambda m: m.group(1), self.unit) if self.value == 1 else self.unit

    @property
    def symbol(self) -> str:
        return _SYMBOL[self.comparison]

    @property
    def words(self) -> str:
        """``under``, ``at most``, ``over`` or ``at least``."""
        return _WORDS[self.comparison]

    @property
    def window(self) -> str:
        """The window in words (``36 months``); empty when the criterion has none."""
        return "" if self.window_months is None else format_window(self.window_months)

    @property
    def window_phrase(self) -> str:
        """``year``, ``3 years``, or ``18 months``: the window as a person says it."""
        months = self.window_months
        if months is None:
            return ""
        if months % 12:
            return format_window(months)
        return "year" if months == 12 else f"{months // 12} years"

    @property
    def count(self) -> str:
        """The value as a word (``one``) for whole numbers up to ten, else as digits."""
        v = self.value
        if self.unit != "EDSS" and float(v).is_integer() and 0 <= v < len(_NUMBER_WORDS):
            return _NUMBER_WORDS[int(v)]
        return self.format_value()

    def compact_text(self) -> str:
        """The limit as the notes write it: ``≥1 relapse``, ``EDSS ≤6.0``."""
        if self.unit == "EDSS":
            return f"EDSS {self.symbol}{self.format_value()}"
        return f"{self.symbol}{self.format_value()} {self.unit_text}"

    def text(self) -> str:
        """The limit alone, e.g. ``EDSS ≤ 6.0``, ``≥ 2 relapses`` or ``≥ 1 relapse``."""
        if self.unit == "EDSS":
            return f"EDSS {self.symbol} {self.format_value()}"
        return f"{self.symbol} {self.format_value()} {self.unit_text}"

    def limit_words(self) -> str:
        """E.g. ``under 50 years`` or ``under 6.0`` (EDSS)."""
        words = f"{self.words} {self.format_value()}"
        return words if self.unit == "EDSS" else f"{words} {self.unit_text}"

    def placeholders(self) -> dict[str, str]:
        return {
            "value": self.format_value(),
            "unit": self.unit_text,
            "symbol": self.symbol,
            "words": self.words,
            "window": self.window,
            "window_phrase": self.window_phrase,
            "count": self.count,
            "text": self.text(),
        }

    def describe(self) -> str:
        """The user-facing text: ``wording`` filled in from this record's own fields."""
        return render_template(self.wording, self.placeholders())


def describe_range(low: Criterion, high: Criterion) -> str:
    """E.g. ``18 to 55 years inclusive`` or ``EDSS 2.0 to 6.0 inclusive``."""
    if low.unit != high.unit:
        raise ValueError(f"range units differ: {low.unit!r} vs {high.unit!r}")
    inclusive = low.comparison == ">=" and high.comparison == "<="
    span = f"{low.format_value()} to {high.format_value()}"
    text = f"EDSS {span}" if low.unit == "EDSS" else f"{span} {low.unit}"
    return f"{text} inclusive" if inclusive else f"{low.text()} and {high.text()}"


class ScreeningText(BaseModel):
    """A caution or note the rule set shows with this guideline or trial.

    ``text`` may name the owner's criteria by id in braces (``{age-max}``, the
    formatted value), so a number it repeats still comes from the criterion.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: _Id
    text: _Text
    source_id: _Id


@dataclass(frozen=True, slots=True)
class LocatedCriterion:
    """A criterion with its owner (guideline, trial or definition) and where it is written.

    ``file`` is the data file's name (``trials.yaml``); ``line`` is the 1-based line
    of its ``value:`` (None for records built in memory).
    """

    owner: str
    table: str
    criterion: Criterion
    file: str
    line: int | None

    @property
    def key(self) -> str:
        """``owner/criterion-id``, e.g. ``beat-ms/age-max``."""
        return f"{self.owner}/{self.criterion.id}"


class ShownCriterion:
    """A criterion as a screening template sees it.

    ``{age-max}`` gives the whole limit (``≤ 55 years``); ``{age-max.value}`` the
    number, ``{age-max.window}`` the window, ``{age-max.unit}`` the unit,
    ``.count`` the number as a word, ``.words`` the comparison in words and
    ``.compact`` the limit as the notes write it (``≤55 years``).
    """

    __slots__ = ("_criterion",)

    def __init__(self, criterion: Criterion) -> None:
        self._criterion = criterion

    def __format__(self, spec: str) -> str:
        return format(self._criterion.text(), spec)

    @property
    def value(self) -> str:
        return self._criterion.format_value()

    @property
    def window(self) -> str:
        return self._criterion.window

    @property
    def unit(self) -> str:
        return self._criterion.unit_text

    @property
    def count(self) -> str:
        return self._criterion.count

    @property
    def words(self) -> str:
        return self._criterion.words

    @property
    def compact(self) -> str:
        return self._criterion.compact_text()


_SHOWN_FORMS: Final = ("", ".value", ".window", ".unit", ".count", ".words", ".compact")


def render_screening(template: str, values: dict[str, ShownCriterion]) -> str:
    """Fill a screening text's ``{criterion-id}`` / ``{owner/criterion-id.value}`` fields."""
    for _, name, _, _ in string.Formatter().parse(template):
        if name is None:
            continue
        base = re.split(r"[.\[]", name, maxsplit=1)[0]
        if base not in values:
            raise ValueError(f"text names unknown criterion {base!r}")
        attr = name[len(base):]
        if attr not in _SHOWN_FORMS:
            raise ValueError(f"{{{name}}}: allowed forms are {{id}}, "
                             + ", ".join(f"{{id{a}}}" for a in _SHOWN_FORMS if a))
    return template.format_map(values)
