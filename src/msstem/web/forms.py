"""The "About you" form: one spec per :class:`~msstem.clinical.profile.Profile` field.

Form values arrive as strings. Each field is converted on its own (so every bad
field gets its own message beside it), then checked alone against the Profile
model, then the whole profile is checked for cross-field rules (relapse windows
nest, disease duration <= age). Blank always means "I don't know".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from msstem.clinical.edss import EDSS_GRID
from msstem.clinical.hctci import HCTCI_ITEMS
from msstem.clinical.labels import COURSE_LABELS, PROFILE_FIELD_LABELS
from msstem.clinical.profile import MS_COURSES, Profile, parse_profile
from msstem.errors import ProfileError, quote_input

__all__ = [
    "COURSE_LABELS",
    "FIELD_SPECS",
    "HCTCI_NONE",
    "FieldSpec",
    "ProfileForm",
    "display_errors",
    "form_values_from_profile",
    "parse_profile_form",
]

FieldKind = Literal["int", "float", "edss", "course", "bool", "text", "hctci"]
#: Checkbox name meaning "none of these conditions" (as opposed to "I don't know").
HCTCI_NONE = "hctci_none"



@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    help: str
    source_ids: tuple[str, ...] = ()
    inputmode: str | None = None

    @property
    def short_label(self) -> str:
        """The field's name on the summary and reports (msstem.clinical.labels)."""
        return PROFILE_FIELD_LABELS.get(self.name, self.label)


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("age", "Age (years)", "int",
              "Your age in completed years. Every guideline and trial states an age range.",
              inputmode="numeric"),
    FieldSpec("ms_course", "Type of MS", "course",
              "The type of MS written in your clinic letters. If a letter says 'relapsing MS' "
              "without more detail, ask your MS team."),
    FieldSpec("disease_duration_years", "Years since your first MS symptoms", "float",
              "Count from the first symptoms, not from the diagnosis. Decimals are fine "
              "(for example 2.5).", inputmode="decimal"),
    FieldSpec("edss", "EDSS score", "edss",
              "The Expanded Disability Status Scale is how neurologists rate disability: 0 is "
              "a normal examination, then 1.0 to 9.5 in half steps (there is no 0.5), and 10. "
              "Up to about 4 it mostly reflects the neurological examination; above that, "
              "mostly how far you can walk. Clinic letters usually state it.",
              ("kurtzke-1983-edss", "neurostatus-edss")),
    FieldSpec("relapses_12m", "Relapses in the last 12 months", "int",
              "A relapse is a new or worsening symptom that lasts more than 48 hours and that "
              "your neurologist counted as a relapse.", ("halt-ms-registry",),
              inputmode="numeric"),
    FieldSpec("relapses_24m", "Relapses in the last 24 months", "int",
              "Include the relapses of the last 12 months: the 24-month count can't be smaller.",
              inputmode="numeric"),
    FieldSpec("relapses_36m", "Relapses in the last 36 months", "int",
              "Include the relapses of the last 24 months.", inputmode="numeric"),
    FieldSpec("gd_lesions_12m", "Gadolinium-enhancing (Gd+) lesions on MRI, last 12 months",
              "int",
              "Active spots that light up on an MRI scan with contrast dye. Your MRI report "
              "says 'enhancing lesions'; add up the scans of the last 12 months, or ask your "
              "MS team.", inputmode="numeric"),
    FieldSpec("new_t2_lesions_12m", "New or enlarging T2 lesions, last 12 months", "int",
              "The MRI report compares each scan with the one before and counts new or "
              "enlarging T2 lesions.", inputmode="numeric"),
    FieldSpec("activity_on_dmt", "Did that activity happen while you were on a DMT?", "bool",
              "DMT = disease-modifying therapy, a medicine taken to prevent relapses (for "
              "example an injection, tablet or infusion for MS)."),
    FieldSpec("failed_high_efficacy_dmt",
              "Did the activity continue on a high-efficacy DMT?", "bool",
              "High-efficacy DMTs include natalizumab, ocrelizumab, ofatumumab, alemtuzumab and "
              "cladribine. Guidelines reserve aHSCT mainly for activity despite one of these.",
              ("miller-2021-nmss", "muraro-2025-ectrims-ebmt")),
    FieldSpec("current_dmt", "Current DMT (name)", "text",
              "The medicine you take for MS now, if any. Leave blank if none or not sure."),
    FieldSpec("hctci_items", "Other health conditions", "hctci",
              "Transplant teams weigh other conditions with the HCT-CI score (built for "
              "transplants in general, not for MS). Tick any that apply, tick 'None of these', "
              "or leave all blank if you don't know.", ("sorror-2005-hctci",)),
    FieldSpec("pregnant", "Are you pregnant?", "bool",
              "Pregnancy matters for every treatment option; discuss it with your team."),
)

_INT_RE = re.compile(r"^[+-]?\d{1,9}$")
_FLOAT_RE = re.compile(r"^[+-]?(\d{1,9}([.,]\d*)?|[.,]\d+)$")
_BOOL_VALUES = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class ProfileForm:
    """Result of reading the form: the raw values (to re-render), errors, and the profile."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    profile: Profile | None = None

    @property
    def ok(self) -> bool:
        return self.profile is not None and not self.errors


def _convert(spec: FieldSpec, raw: Any) -> Any:
    """Form string -> typed value or None (unknown). Raises ProfileError naming the field."""
    name = spec.name
    if spec.kind == "hctci":
        raise AssertionError("hctci is read separately")  # pragma: no cover
    text = raw.strip() if isinstance(raw, str) else ""
    if text == "":
        return None
    if spec.kind == "int":
        if not _INT_RE.match(text):
            raise ProfileError(f"{name}: {quote_input(text)} is not a whole number; leave it "
                               "blank if you don't know", field=name)
        return int(text)
    if spec.kind in {"float", "edss"}:
        if not _FLOAT_RE.match(text):
            raise ProfileError(f"{name}: {quote_input(text)} is not a number; leave it blank "
                               "if you don't know", field=name)
        value = float(text.replace(",", "."))
        if not math.isfinite(value):  # pragma: no cover - the regex already excludes these
            raise ProfileError(f"{name}: {quote_input(text)} is not a number", field=name)
        return value
    if spec.kind == "course":
        if text not in MS_COURSES:
            raise ProfileError(f"{name}: {quote_input(text)} is not allowed; allowed: "
                               f"{', '.join(MS_COURSES)} or I don't know", field=name)
        return text
    if spec.kind == "bool":
        if text not in _BOOL_VALUES:
            raise ProfileError(f"{name}: {quote_input(text)} is not allowed; allowed: yes, no or "
                               "I don't know", field=name)
        return _BOOL_VALUES[text]
    return text


def _read_hctci(items: Sequence[str], none_ticked: bool) -> tuple[str, ...] | None:
    if items and none_ticked:
        raise ProfileError("hctci_items: you ticked conditions and also 'None of these'; "
                           "untick one", field="hctci_items")
    if items:
        return tuple(dict.fromkeys(items))  # keep order, drop repeats
    return () if none_ticked else None


def parse_profile_form(
    form: Mapping[str, str], hctci_items: Sequence[str] = (), hctci_none: bool = False
) -> ProfileForm:
    """Read the posted form into a :class:`ProfileForm` with one message per bad field."""
    values: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in FIELD_SPECS:
        if spec.kind == "hctci":
            values["hctci_items"] = list(hctci_items)
            values[HCTCI_NONE] = hctci_none
            try:
                typed["hctci_items"] = _read_hctci(hctci_items, hctci_none)
            except ProfileError as exc:
                errors["hctci_items"] = str(exc)
            continue
        raw = form.get(spec.name, "")
        values[spec.name] = raw if isinstance(raw, str) else ""
        try:
            typed[spec.name] = _convert(spec, raw)
        except ProfileError as exc:
            errors[spec.name] = str(exc)
    # Each field alone against the model, so range errors land beside their own field.
    for name, value in typed.items():
        if name in errors or value is None:
            continue
        try:
            parse_profile({name: value})
        except ProfileError as exc:
            errors[exc.field or name] = str(exc)
    # Cross-field rules over the fields that are fine alone: every broken rule at once
    # (drop the field a rule names and check the rest again), so one submit shows them all.
    known = {k: v for k, v in typed.items() if v is not None and k not in errors}
    profile = None
    for _ in range(len(known) + 1):
        try:
            profile = parse_profile(known)
            break
        except ProfileError as exc:
            name = exc.field or "profile"
            errors.setdefault(name, str(exc))
            if name not in known:
                break
            known.pop(name)
    if errors or profile is None:
        return ProfileForm(values=values, errors=errors)
    return ProfileForm(values=values, profile=profile)


def display_errors(errors: Mapping[str, str]) -> dict[str, str]:
    """The messages as the form shows them: without the leading ``"<field id>: "``.

    Messages name their field so that they stand alone (the JSON API and the CLI show
    them as they are); on the form each sits beside its labelled field, where the id
    is noise to a reader.
    """
    return {name: message.removeprefix(f"{name}: ") for name, message in errors.items()}


def _fmt_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_values_from_profile(profile: Mapping[str, Any] | None) -> dict[str, Any]:
    """Raw form values that re-create a stored profile in the form."""
    profile = profile or {}
    values: dict[str, Any] = {}
    for spec in FIELD_SPECS:
        value = profile.get(spec.name)
        if spec.kind == "hctci":
            items = list(value) if value is not None else []
            values["hctci_items"] = items
            values[HCTCI_NONE] = value is not None and not items
        elif value is None:
            values[spec.name] = ""
        elif spec.kind == "bool":
            values[spec.name] = "yes" if value else "no"
        elif spec.kind == "edss":
            values[spec.name] = f"{float(value):.1f}" if value else "0"
        else:
            values[spec.name] = _fmt_number(value)
    return values


def edss_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for the EDSS select: the 20 grid steps."""
    return [("0" if v == 0 else f"{v:.1f}", "0" if v == 0 else f"{v:.1f}") for v in EDSS_GRID]


#: The HCT-CI items in everyday words (the clinical definitions are for the care team).
LAY_HCTCI: Final[Mapping[str, str]] = {
    "arrhythmia": "An irregular heart rhythm (for example atrial fibrillation)",
    "cardiac": "Heart disease (for example a heart attack or heart failure)",
    "cerebrovascular": "A stroke or a mini-stroke",
    "diabetes": "Diabetes treated with tablets or insulin",
    "hepatic_mild": "A mild liver problem (for example long-term hepatitis)",
    "infection": "An infection that still needs treatment",
    "inflammatory_bowel_disease": "Crohn's disease or ulcerative colitis",
    "obesity": "Severe obesity",
    "psychiatric": "A mental health condition treated by a specialist",
    "pulmonary_moderate": "A lung problem: short of breath on slight effort",
    "renal_moderate_severe": "Serious kidney disease, dialysis or a kidney transplant",
    "peptic_ulcer": "A stomach ulcer that needs treatment",
    "rheumatologic": "Lupus, rheumatoid arthritis or a similar condition",
    "heart_valve_disease": "Heart valve disease",
    "hepatic_moderate_severe": "Serious liver disease (for example cirrhosis)",
    "prior_solid_tumour": "A cancer in the past (not a common skin cancer)",
    "pulmonary_severe": "A lung problem: short of breath at rest, or needing oxygen",
}


def hctci_choices() -> list[tuple[str, str, str, int]]:
    """(id, everyday label, clinical definition, weight) for each HCT-CI item, in order."""
    return [(i.id, LAY_HCTCI.get(i.id, i.label), f"{i.label}: {i.definition}", i.weight)
            for i in HCTCI_ITEMS.values()]
