"""ProgressionOptions: msprog's defaults, msprog's scalar conventions, one-line errors."""

from __future__ import annotations

import math
from typing import Any

import pydantic
import pytest

from msstem.errors import OptionsError
from msstem.outcomes import ProgressionOptions, RelapseIndep


def test_defaults_equal_pymsprog() -> None:
    # pymsprog 1.0.7 MSprog signature: event='firstCDW', RAW_PIRA=False,
    # baseline='fixed', proceed_from='firstconf', conf_days=84, conf_tol_days=[7, 730.5],
    # relapse_to_bl=30, relapse_to_event=0, relapse_to_conf=30, relapse_assoc=90, ...
    o = ProgressionOptions()
    assert o.outcome == "edss"
    assert o.event == "firstCDW"
    assert o.baseline == "fixed"
    assert o.proceed_from == "firstconf"
    assert o.sub_threshold_rebl == "none"
    assert (o.bl_geq, o.relapse_rebl, o.raw_pira, o.pymsprog_compat) == (False,) * 4
    assert o.skip_local_extrema == "none"
    assert o.conf_days == (84,)
    assert o.conf_tol_days == (7.0, 730.5)
    assert o.require_sust_days == 0
    assert o.check_intermediate is True
    assert o.relapse_to_bl == (30.0, 0.0)
    assert o.relapse_to_event == (0.0, 0.0)
    assert o.relapse_to_conf == (30.0, 0.0)
    assert o.relapse_assoc == (90.0, 0.0)
    assert o.relapse_indep == RelapseIndep(prec=(0, 0), event=(90, 30), conf=(90, 30),
                                           prec_type="baseline")
    assert o.impute_last_visit == 0
    assert (o.subject_col, o.date_col, o.value_col) == ("id", "date", "edss")
    assert (o.relapse_subject_col, o.relapse_date_col) == ("id", "date")
    assert o.duplicate_visits == "error"
    assert o.unknown_relapse_subjects == "error"


def test_scalar_conventions() -> None:
    o = ProgressionOptions(conf_days=168, conf_tol_days=30, relapse_to_bl=60,
                           relapse_assoc=[90], relapse_indep=None)
    assert o.conf_days == (168,)
    assert o.conf_tol_days == (30.0, 30.0)  # scalar tolerance is symmetric
    assert o.relapse_to_bl == (60.0, 0.0)  # scalar window: (after last relapse, 0)
    assert o.relapse_assoc == (90.0, 0.0)
    assert o.relapse_indep == RelapseIndep()
    assert ProgressionOptions(conf_tol_days=(7, math.inf)).conf_tol_days[1] == math.inf


def test_frozen() -> None:
    o = ProgressionOptions()
    with pytest.raises(pydantic.ValidationError):
        o.event = "multiple"  # type: ignore[misc]


def test_derived_settings() -> None:
    assert ProgressionOptions(outcome="sdmt").worsening_direction == "decrease"
    assert ProgressionOptions().worsening_direction == "increase"
    assert ProgressionOptions(event="firstPIRA").classifies_raw_pira
    assert not ProgressionOptions(event="firstCDI", raw_pira=True).classifies_raw_pira


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"event": "firstEDA"}, "event", "firstRAW"),  # the allowed list includes firstRAW
    ({"baseline": "moving"}, "baseline", "roving_wors"),
    ({"outcome": "mri"}, "outcome", "sdmt"),
    ({"conf_days": []}, "conf_days", "at least one"),
    ({"conf_days": [84, 84]}, "conf_days", "distinct"),
    ({"conf_days": [0]}, "conf_days", "positive"),
    ({"conf_tol_days": [-1, 7]}, "conf_tol_days", ">= 0"),
    ({"relapse_to_conf": [-5, 0]}, "relapse_to_conf", ">= 0"),
    ({"require_sust_days": -1}, "require_sust_days", "greater than or equal"),
    ({"impute_last_visit": 0.5}, "impute_last_visit", "not supported"),
    ({"outcome": "custom"}, "worsening", "increase"),
    ({"relapse_indep": {"prec": (0, 0), "event": (-1, 30), "conf": (90, 30)}},
     "relapse_indep", ">= 0"),
    ({"duplicate_visits": "merge"}, "duplicate_visits", "keep_last"),
    ({"colour": "red"}, "colour", "allowed options"),
])
def test_invalid_settings_name_field(kwargs: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(OptionsError) as info:
        ProgressionOptions(**kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert field in message
    assert words in message
    assert info.value.field is not None


def test_to_dict_round_trips() -> None:
    o = ProgressionOptions(conf_tol_days=(7, math.inf), require_sust_days=math.inf,
                           event="multiple", conf_days=(84, 168))
    d = o.to_dict()
    assert d["conf_tol_days"] == [7.0, "inf"]
    assert ProgressionOptions(**d) == o
