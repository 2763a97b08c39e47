"""One options base and one result base (msstem.base), and the one error translator."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, Literal

import pandas as pd
import pytest
from pydantic import BaseModel, Field, ValidationError

import msstem
from msstem import __version__
from msstem.base import (
    Options,
    Result,
    allowed_values,
    as_json,
    describe_validation_error,
    lazy_exports,
)
from msstem.clinical import parse_profile
from msstem.decision import Assessment, EstimateOptions, assess
from msstem.eligibility import EligibilityResult, evaluate
from msstem.errors import OptionsError
from msstem.offers import OfferCheck, OfferCheckOptions, check_offer
from msstem.outcomes import (
    ArrOptions,
    ClinicalColumns,
    NedaOptions,
    ProgressionOptions,
    ProgressionResult,
    RelapseIndep,
    SurvivalOptions,
    detect_progression,
)
from msstem.outcomes.analytics_options import AnalyticsResult
from msstem.synthesis import MetaOptions

OPTIONS = (ProgressionOptions, RelapseIndep, NedaOptions, ArrOptions, SurvivalOptions,
           ClinicalColumns, EstimateOptions, OfferCheckOptions, MetaOptions)


def _error(model: type[Options], **kwargs: Any) -> OptionsError:
    with pytest.raises(OptionsError) as info:
        model(**kwargs)
    assert "\n" not in str(info.value)
    return info.value


# --- the two messages issue 7 names ---------------------------------------------------------


def test_relapse_indep_lists_its_own_fields_not_progression_options() -> None:
    err = _error(RelapseIndep, bogus=1)
    assert str(err) == ("RelapseIndep: unknown option 'bogus'; allowed options: conf, event, "
                        "prec, prec_type, use_end_dates")
    assert err.field == "bogus"


def test_neda_options_lists_its_fields() -> None:
    err = _error(NedaOptions, bogus=1)
    assert str(err) == (
        "NedaOptions: unknown option 'bogus'; allowed options: followup_tolerance_days, "
        "horizons_years, index_therapy, mri_rebaseline_days, progression"
    )


def test_nested_unknown_names_list_the_nested_models_fields() -> None:
    err = _error(NedaOptions, progression={"bogus": 1})
    assert "unknown option 'progression.bogus'" in str(err)
    assert "conf_days" in str(err) and "horizons_years" not in str(err)
    err = _error(ProgressionOptions, relapse_indep={"bogus": 1})
    assert str(err).endswith("allowed options: conf, event, prec, prec_type, use_end_dates")
    assert err.field == "relapse_indep"


def test_nested_value_errors_keep_the_full_location() -> None:
    err = _error(ProgressionOptions, relapse_indep={"event": (-1, 30)})
    assert str(err).startswith("ProgressionOptions: relapse_indep.event: window ends")


@pytest.mark.parametrize(
    ("model", "kwargs", "text"),
    [
        (ProgressionOptions, {"baseline": "x"},
         "ProgressionOptions: baseline: 'x' is not allowed; allowed: 'fixed', 'roving', "
         "'roving_impr', 'roving_wors'"),
        (SurvivalOptions, {"endpoints": ("death",)},
         "SurvivalOptions: endpoints.0: 'death' is not allowed; allowed: 'cdw', 'pira', "
         "'relapse', 'activity'"),
        (OfferCheckOptions, {"not_stated": "sometimes"},
         "OfferCheckOptions: not_stated: 'sometimes' is not allowed; allowed: 'auto', 'always', "
         "'never'"),
        (ArrOptions, {"alpha": "x"}, "ArrOptions: alpha: 'x' is not a number"),
        (ArrOptions, {"alpha": 2}, "ArrOptions: alpha: 2 is out of range; input should be less "
         "than 1"),
        (MetaOptions, {"method": "XX"}, "MetaOptions: method: 'XX' is not allowed; allowed: "
         "'REML', 'DL', 'PM', 'ML', 'SJ', 'HE', 'FE'"),
        (MetaOptions, {"knha": "yes"}, "MetaOptions: knha: 'yes' is not true or false"),
        (MetaOptions, {"level": 100}, "MetaOptions: level: 100 is out of range; input should be "
         "less than 100"),
    ],
)
def test_closed_vocabularies_and_ranges_say_what_is_allowed(
    model: type[Options], kwargs: dict[str, Any], text: str
) -> None:
    assert str(_error(model, **kwargs)) == text


@pytest.mark.parametrize("model", OPTIONS)
def test_every_options_object_shares_the_base(model: type[Options]) -> None:
    assert issubclass(model, Options)
    err = _error(model, not_a_setting=1)
    assert str(err).startswith(f"{model.__name__}: unknown option 'not_a_setting'; allowed "
                               "options: ")
    for name in model.model_fields:
        assert name in str(err)
    with pytest.raises(ValidationError, match="frozen"):
        setattr(model(), next(iter(model.model_fields)), None)


def test_no_other_options_class_bypasses_the_base() -> None:
    """Every class named ``*Options`` under msstem derives from msstem.base.Options."""
    found = []
    for info in pkgutil.walk_packages(msstem.__path__, "msstem."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and obj.__module__ == info.name
                    and name.endswith("Options")):
                found.append(obj)
    assert found
    assert [c.__name__ for c in found if not issubclass(c, Options)] == []
    assert {c.__name__ for c in found} <= {c.__name__ for c in OPTIONS} | {"Options"}


# --- results ----------------------------------------------------------------------------------


def _results() -> list[Result]:
    assessment = assess(parse_profile({"age": 35, "ms_course": "RRMS", "edss": 3.0}))
    visits = pd.DataFrame({"id": [1, 1, 1], "date": pd.to_datetime(
        ["2020-01-01", "2020-07-01", "2021-01-01"]), "edss": [2.0, 3.0, 3.0]})
    return [
        assessment,
        next(iter(assessment.eligibility.values())),
        check_offer("Our clinic cures MS with stem cells. Pay $20,000 today."),
        detect_progression(visits, None, ProgressionOptions()),
    ]


@pytest.mark.parametrize("index", range(4))
def test_every_result_renders_itself(index: int) -> None:
    result = _results()[index]
    assert isinstance(result, Result)
    assert result.msstem_version == __version__
    assert isinstance(result.summary, pd.DataFrame) and len(result.summary.columns) > 0
    assert isinstance(result.to_dict(), dict)
    html = result._repr_html_()
    assert "<table" in html
    options = result.options
    assert options is None or isinstance(options, BaseModel)


def test_result_classes_share_the_base() -> None:
    for cls in (Assessment, EligibilityResult, OfferCheck, ProgressionResult, AnalyticsResult):
        assert issubclass(cls, Result), cls


def test_assessment_options_are_settings_and_choices_are_treatments() -> None:
    opts = EstimateOptions(include_unverified=False)
    a = assess(parse_profile({}), options=opts)
    assert a.options is opts
    assert {c.kind for c in a.choices} == {"therapy", "dmt", "trial"}
    doc = a.to_dict()
    assert [o["id"] for o in doc["options"]] == [c.id for c in a.choices]  # JSON key kept
    assert doc["settings"] == {"therapies": list(opts.therapies), "include_unverified": False}
    assert list(a.summary["fact_id"]) == [e.fact_id for e in a.estimates]


def test_eligibility_summary_has_one_row_per_criterion() -> None:
    result = evaluate(parse_profile({"age": 60, "ms_course": "RRMS"}), "beat-ms")
    assert list(result.summary["criterion"]) == [c.id for c in result.criteria]
    assert list(result.summary["status"]) == [c.status.value for c in result.criteria]
    assert result.options is None


# --- the translator ---------------------------------------------------------------------------


class _Demo(BaseModel):
    model_config = {"extra": "forbid"}
    mode: Literal["a", "b"] = "a"
    n: int = 0


def _first(**data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        _Demo(**data)
    return dict(info.value.errors()[0])


def test_translator_styles() -> None:
    assert describe_validation_error(_first(mode="c"), _Demo) == (
        "mode", "mode: 'c' is not allowed; allowed: 'a', 'b'")
    assert describe_validation_error(_first(mode="c"), _Demo, show=repr, show_allowed=str) == (
        "mode", "mode: 'c' is not allowed; allowed: a, b")
    assert describe_validation_error(_first(n="x"), _Demo, noun="field")[1] == (
        "n: 'x' is not a whole number")
    assert describe_validation_error(_first(zz=1), _Demo, noun="field", sort_fields=False)[1] \
        == "unknown field 'zz'; allowed fields: mode, n"
    assert describe_validation_error(_first(zz=1))[1] == "unknown option 'zz'"


class _Doc(BaseModel):
    model_config = {"extra": "forbid", "strict": True}
    name: str = Field("", max_length=10)
    counts: dict[str, int] = {}


def _doc_error(data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as info:
        _Doc.model_validate(data)
    return dict(info.value.errors()[0])


def test_translator_never_echoes_hostile_input_raw() -> None:
    """The one home of the hostile-input quoting: long values cut at 60 characters with the
    length said, control characters escaped and named, odd keys quoted in brackets."""
    _, message = describe_validation_error(_doc_error({"name": ["x" * 500]}), _Doc,
                                           show=as_json)
    assert message == f'name: ["{"x" * 58}… is not text'
    _, message = describe_validation_error(_doc_error({"zz\x1b[2J": 1}), _Doc,
                                           noun="field")
    assert message == ("unknown field 'zz\\x1b[2J' (contains control characters: U+001B ESC); "
                       "allowed fields: counts, name")
    field, message = describe_validation_error(
        _doc_error({"counts": {"a b\u202e": "1"}}), _Doc, show=as_json)
    assert field == "counts"
    assert message == ("counts['a b\\u202e' (contains control characters: U+202E RIGHT-TO-LEFT "
                       'OVERRIDE)]: "1" is not a whole number')
    _, message = describe_validation_error(_doc_error({"name": "k\n" * 150}), _Doc)
    assert message == ("name: '" + "k\\x0a" * 30 + "…' (300 characters) (contains control "
                       "characters: U+000A LF) is not allowed; string should have at most 10 "
                       "characters")
    field, message = describe_validation_error(_doc_error({"k" * 300: 1}), _Doc, noun="field")
    assert message.startswith(f"unknown field '{'k' * 40}…' (300 characters); allowed fields")


def test_translator_names_the_whole_document_at_its_root() -> None:
    err = _doc_error([1, 2])
    assert describe_validation_error(err, _Doc, show=as_json, root="body",
                                     root_hint="send an object") == (
        "body", "body: [1, 2] is not a JSON object; send an object")
    invalid = {"type": "json_invalid", "loc": ("body", 3), "msg": "JSON decode error"}
    assert describe_validation_error(invalid, skip_loc=("body",), root="body") == (
        "body", "body: not valid JSON")


def test_one_translator_for_profiles_and_request_bodies() -> None:
    """The profile and the web's request bodies go through msstem.base, not their own."""
    import msstem.clinical.profile as profile
    import msstem.web.errors as web_errors

    assert not hasattr(profile, "_describe_error") and not hasattr(profile, "_as_json")
    assert not hasattr(web_errors, "validation_message")
    with pytest.raises(msstem.errors.ProfileError) as info:
        parse_profile({"age": "\x1b[31m" + "n" * 100})
    assert str(info.value) == (
        f"age: '\\x1b[31m{'n' * 55}…' (105 characters) (contains control characters: "
        "U+001B ESC) is not a whole number")


def test_allowed_values_of_a_vocabulary() -> None:
    assert allowed_values(Literal["x", "y"] | None) == ("x", "y")
    assert allowed_values(int) == ()


def test_web_settings_errors_name_the_variable_and_hide_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from msstem.web.settings import WebSettings

    monkeypatch.setenv("MSSTEM_PORT", "abc")
    with pytest.raises(OptionsError, match=r"^MSSTEM_PORT: 'abc' is not a whole number$"):
        WebSettings()
    monkeypatch.delenv("MSSTEM_PORT")
    monkeypatch.setenv("MSSTEM_SECRET_KEY", "short-secret")
    with pytest.raises(OptionsError) as info:
        WebSettings()
    assert str(info.value) == "MSSTEM_SECRET_KEY: must be at least 16 characters"
    assert "short-secret" not in str(info.value)


# --- lazy package names -----------------------------------------------------------------------


def test_lazy_packages_share_one_helper() -> None:
    import msstem.outcomes
    import msstem.reports

    for package in (msstem.reports, msstem.outcomes):
        assert package.__getattr__.__qualname__ == "lazy_exports.<locals>.__getattr__"
        with pytest.raises(AttributeError, match=f"module '{package.__name__}' has no attribute"):
            package.__getattr__("not_a_name")


def test_lazy_exports_imports_once_and_keeps_the_name() -> None:
    loaded: list[str] = []

    def load(sub: str) -> Any:
        loaded.append(sub)
        return importlib.import_module(f"msstem.{sub}")

    namespace: dict[str, Any] = {"__name__": "demo", "__all__": ["QUOTE_CHARS"]}
    getattr_, dir_ = lazy_exports({"QUOTE_CHARS": "errors"}, namespace, load)
    assert "QUOTE_CHARS" in dir_()
    assert getattr_("QUOTE_CHARS") == msstem.errors.QUOTE_CHARS
    assert namespace["QUOTE_CHARS"] == msstem.errors.QUOTE_CHARS and loaded == ["errors"]
    with pytest.raises(AttributeError, match="module 'demo' has no attribute 'x'"):
        getattr_("x")
