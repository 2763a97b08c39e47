"""The public surface of msstem.outcomes is what we mean it to be."""

from __future__ import annotations

import inspect

import msstem.outcomes as outcomes
from msstem.outcomes import ProgressionOptions, detect_progression


def test_all_sorted_and_resolvable() -> None:
    assert list(outcomes.__all__) == sorted(outcomes.__all__)
    for name in outcomes.__all__:
        assert getattr(outcomes, name) is not None, name


def test_progression_contract() -> None:
    params = inspect.signature(detect_progression).parameters
    assert list(params)[:3] == ["visits", "relapses", "options"]
    assert params["delta_fun"].kind is inspect.Parameter.KEYWORD_ONLY
    fields = set(ProgressionOptions.model_fields)
    assert {
        "outcome", "event", "baseline", "proceed_from", "sub_threshold_rebl", "bl_geq",
        "relapse_rebl", "skip_local_extrema", "conf_days", "conf_tol_days", "require_sust_days",
        "check_intermediate", "relapse_to_bl", "relapse_to_event", "relapse_to_conf",
        "relapse_assoc", "relapse_indep", "raw_pira", "impute_last_visit", "worsening",
        "pymsprog_compat", "duplicate_visits", "unknown_relapse_subjects", "duplicate_relapses",
        "id_match", "subject_col",
        "date_col", "value_col", "relapse_subject_col", "relapse_date_col",
        "relapse_end_col", "validconf_col", "pira_definition",
    } == fields


def test_unknown_attribute() -> None:
    import pytest

    with pytest.raises(AttributeError):
        _ = outcomes.no_such_name  # type: ignore[attr-defined]
