"""The typed records: vocabularies, frozen models, per-100 conversion, citations."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from msstem.evidence import OUTCOMES, SOURCE_KINDS, UNITS, Fact, Interval, Source
from msstem.evidence.models import BENEFIT_OUTCOMES, HARM_OUTCOMES, ID_PATTERN


def _fact(**kw: object) -> Fact:
    base: dict[str, object] = {"id": "f", "statement": "s", "topic": "t", "source_ids": ("x",)}
    return Fact.model_validate(base | kw)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": 2.1, "unit": "%"}, 2.1),
        ({"value": 4.14, "unit": "per 1,000 patients"}, 0.414),
        ({"value": 8, "unit": "patients", "numerator": 8, "denominator": 281}, 100 * 8 / 281),
        ({"numerator": 30, "denominator": 50}, 60.0),
        ({"value": 2.1, "unit": "%", "numerator": 1, "denominator": 2}, 2.1),  # stated value wins
        ({"value": 0.07, "unit": "HR"}, None),
        ({"value": 2.01, "unit": "per 100 patient-years"}, None),
        ({"value": None, "unit": None}, None),
    ],
)
def test_per_100(fields: dict[str, object], expected: float | None) -> None:
    got = _fact(**fields).per_100
    assert got == (None if expected is None else pytest.approx(expected))


def test_interval_per_100_scales_with_the_unit() -> None:
    pml = _fact(value=2.16, unit="per 1,000 patients",
                interval={"low": 1.40, "high": 3.18, "kind": "95% CI"})
    iv = pml.interval_per_100
    assert iv is not None
    assert iv.low == pytest.approx(0.14)
    assert iv.high == pytest.approx(0.318)
    assert iv.kind == "95% CI"
    hr = _fact(value=0.07, unit="HR", interval={"low": 0.02, "high": 0.24, "kind": "95% CI"})
    assert hr.interval_per_100 is None
    assert _fact(value=2.1, unit="%").interval_per_100 is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"value": 2.1, "unit": "%"}, True),
        ({"value": 4.1, "unit": "per 1,000 patients"}, True),
        ({"value": 3, "unit": "patients", "numerator": 3, "denominator": 55}, True),
        ({"value": 3, "unit": "patients"}, False),
        ({"value": 0.07, "unit": "HR"}, False),
        ({"value": 21, "unit": "per 100 patient-years"}, False),
    ],
)
def test_is_proportion(fields: dict[str, object], expected: bool) -> None:
    assert _fact(**fields).is_proportion is expected




def test_models_are_frozen_and_reject_unknown_fields() -> None:
    fact = _fact(value=1.0, unit="%")
    with pytest.raises(ValidationError):
        fact.value = 2.0
    with pytest.raises(ValidationError, match="extra"):
        _fact(valu=1.0)


@pytest.mark.parametrize(
    ("field", "bad"),
    [("unit", "percent"), ("topic", ""), ("id", "Bad_Id"), ("id", "trailing-")],
)
def test_closed_vocabularies_and_ids(field: str, bad: str) -> None:
    with pytest.raises(ValidationError):
        _fact(**{field: bad})


def test_interval_kind_is_closed() -> None:
    with pytest.raises(ValidationError):
        Interval.model_validate({"low": 1, "high": 2, "kind": "80% CI"})


def test_vocabularies_are_exported_once() -> None:
    assert "meta-analysis" in SOURCE_KINDS and "software" in SOURCE_KINDS
    assert "per 1,000 patients" in UNITS and "%" in UNITS
    assert "treatment_related_death" in OUTCOMES
    # every outcome has at most one direction, and every direction names a real outcome
    assert not BENEFIT_OUTCOMES & HARM_OUTCOMES
    assert set(OUTCOMES) >= (BENEFIT_OUTCOMES | HARM_OUTCOMES)
    assert ID_PATTERN.startswith("^")


def test_reference_has_every_identifier() -> None:
    src = Source(id="burt-2019-mist", kind="trial", label="MIST", citation="JAMA 2019;321:165",
                 doi="10.1001/jama.2018.18743", pmid="30644983", pmcid="PMC6439765",
                 registry_ids=("NCT00273364",))
    ref = src.reference()
    for part in ("MIST", "JAMA 2019;321:165", "DOI 10.1001/jama.2018.18743", "PMID 30644983",
                 "PMC6439765", "NCT00273364"):
        assert part in ref
    assert "\n" not in ref
    seed = Source(id="seed-003", kind="seed", label="VA", citation="VA page",
                  seed_file="003_7fbd4dd216c072b0.txt")
    assert "seed file 003_7fbd4dd216c072b0.txt" in seed.reference()
