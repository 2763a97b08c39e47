"""Rule-set behaviour: courses, unknowns, cautions, notes, the result shape and the API."""

from __future__ import annotations

import json
import re

import pytest
from eligibility_factories import BASE, FIELDS, profile

import msstem.eligibility as elig
from msstem.clinical.profile import Profile
from msstem.eligibility import (
    RULESET_IDS,
    CriterionResult,
    CriterionStatus,
    EligibilityResult,
    Verdict,
    cited_source_ids,
    evaluate,
    evaluate_all,
)
from msstem.eligibility.ruleset import PREGNANCY_CAUTION
from msstem.errors import NotFoundError
from msstem.evidence import load_evidence

M, NM, U = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN

EXPECTED_IDS = (
    "nmss-2021", "ectrims-ebmt-2025", "astct-2019", "beat-ms", "ram-ms", "starms", "net-ms",
    "mist", "halt-ms",
)

# The canonical source ids of the evidence base (from the helpers' common brief).
CANONICAL_SOURCE_IDS = frozenset(
    [
        "seed-000", "seed-001", "seed-002", "seed-003", "seed-004", "sormani-2017",
        "nabizadeh-2022", "muraro-2017-jama-neurol", "nash-2017-halt-ms",
        "nash-2015-halt-ms", "halt-ms-registry", "burt-2019-mist", "burt-2018-mist-interim",
        "burt-2021-j-neurol", "burt-2015-jama", "miller-2021-nmss", "sharrack-2020-ebmt",
        "cohen-2019-astct", "nmdp-referral", "muraro-2025-ectrims-ebmt", "beat-ms-registry",
        "ram-ms-registry", "starms-protocol-2024", "starms-aan-2024", "net-ms-registry",
        "mesems-2021", "mesems-protocol-2019", "msc-meta-analysis", "intensity-meta-2020",
        "jneurol-2022-review", "mancardi-2012-position", "sweden-beam-cy-2024",
        "brazil-2010", "atkins-2024", "stem-cell-res-ther-2015", "beat-ms-org",
        "london-bridge-hospital", "mexico-outpatient-2019", "immune-reconstitution-2010",
        "best-pract-2004", "kalincik-2015-cdw", "rotstein-2015-neda",
        "giovannoni-2015-neda", "kurtzke-1983-edss", "neurostatus-edss",
        "sorror-2005-hctci", "fda-2021-regenerative", "fda-2019-consumer",
        "isscr-warning-signs", "turner-knoepfler-2016", "turner-2021", "snowden-2017",
        "montobbio-2024-msprog", "opera-2017", "havrdova-2018-opera-neda", "affirm-2006",
        "havrdova-2009-affirm-neda", "care-ms-i-2012", "care-ms-ii-2012", "asclepios-2020",
        "clarity-2010", "kalincik-2023", "zhukovsky-2021", "muraro-2025-ann-neurol",
        "sweden-register-2021", "boffa-2021", "silfverberg-2024", "uk-cohort-2025",
        "daikeler-2011", "massarotti-2021", "zafeiri-2023", "burt-2020-cost",
        "norway-cost-2024", "italy-cost-2024", "nhs-cua-2024", "dmt-prices-2021",
    ]
)


def status(result: EligibilityResult, criterion_id: str) -> CriterionStatus:
    return {c.id: c for c in result.criteria}[criterion_id].status


# --- registry and API ---------------------------------------------------------------------


def test_ruleset_ids_are_the_fixed_nine_in_report_order() -> None:
    assert RULESET_IDS == EXPECTED_IDS
    assert tuple(evaluate_all(profile())) == EXPECTED_IDS


def test_kinds() -> None:
    kinds = {rs_id: r.kind for rs_id, r in evaluate_all(profile()).items()}
    assert {k for k, v in kinds.items() if v == "guideline"} == {
        "nmss-2021", "ectrims-ebmt-2025", "astct-2019"
    }
    assert set(kinds.values()) == {"guideline", "trial"}


def test_unknown_ruleset_id_lists_the_allowed_ids() -> None:
    with pytest.raises(NotFoundError) as err:
        evaluate(profile(), "ebmt-2020")
    message = str(err.value)
    assert "'ebmt-2020'" in message and "\n" not in message
    assert all(rs_id in message for rs_id in EXPECTED_IDS)


def test_public_api_is_sorted_and_exact() -> None:
    def isort_key(name: str) -> tuple[bool, bool, str]:  # ruff RUF022 order
        return (not name.isupper(), not name[0].isupper(), name)

    assert elig.__all__ == sorted(elig.__all__, key=isort_key)
    assert set(elig.__all__) == {
        "RULESETS", "RULESET_IDS", "RULESET_KINDS", "Caution", "CriterionResult",
        "CriterionStatus", "EligibilityResult", "RuleSet", "RulesetKind", "Threshold",
        "ThresholdUse", "Verdict", "cited_source_ids", "decide_verdict", "evaluate",
        "evaluate_all", "get_ruleset", "screening_references", "threshold_uses",
    }
    for name in elig.__all__:
        assert hasattr(elig, name)


def test_example_profile_meets_all_but_halt_ms() -> None:
    verdicts = {k: r.verdict for k, r in evaluate_all(profile()).items()}
    assert verdicts.pop("halt-ms") is Verdict.INSUFFICIENT_DATA
    assert set(verdicts.values()) == {Verdict.MEETS}


# --- result shape ---------------------------------------------------------------------------


def test_to_dict_is_json_ready_with_string_enums() -> None:
    for result in evaluate_all(profile(pregnant=True)).values():
        data = result.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data["verdict"] in {v.value for v in Verdict}
        assert type(data["verdict"]) is str
        assert {"ruleset_id", "name", "kind", "source_ids", "verdict", "criteria", "cautions",
                "note"} <= set(data)
        for c in data["criteria"]:
            assert set(c) == {"id", "description", "hard", "status", "value_used", "threshold",
                              "source_id", "reason"}
            assert type(c["status"]) is str
        assert all(isinstance(t, str) for t in data["cautions"])


def test_every_reason_is_one_sentence() -> None:
    empty = Profile()
    for p in (profile(), empty, profile(ms_course="SPMS"), profile(ms_course="CIS")):
        for result in evaluate_all(p).values():
            for c in result.criteria:
                assert c.reason.endswith(".") and "\n" not in c.reason
                # one sentence: no full stop followed by a capitalised word inside it
                assert not re.search(r"\.\s+[A-Z]", c.reason[:-1]), c.reason
                assert c.threshold and c.description


def test_a_verdict_against_the_criteria_is_rejected() -> None:
    c = CriterionResult("x", "x", True, NM, None, "t", "beat-ms-registry", "r.")
    with pytest.raises(ValueError, match="contradicts"):
        EligibilityResult("beat-ms", "B", "trial", ("beat-ms-registry",), Verdict.MEETS,
                          (c,), ())


def test_bad_status_and_kind_are_rejected() -> None:
    with pytest.raises(ValueError, match="status"):
        CriterionResult("x", "x", True, "met", None, "t", "s", "r.")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        EligibilityResult("x", "x", "rule", (), Verdict.MEETS, (), ())  # type: ignore[arg-type]


def test_summary_and_html_render() -> None:
    result = evaluate(profile(age=60), "beat-ms")
    text = result.summary()
    assert "does_not_meet" in text and "not_met" in text
    html = result._repr_html_()
    assert "<table>" in html and "Age" in html


# --- sources ------------------------------------------------------------------------------


def test_cited_sources_are_canonical() -> None:
    assert cited_source_ids() <= CANONICAL_SOURCE_IDS


def test_criterion_sources_are_declared_by_their_ruleset() -> None:
    for p in (profile(), Profile(), profile(ms_course="SPMS", pregnant=True)):
        for result in evaluate_all(p).values():
            assert set(result.source_ids) <= cited_source_ids()
            for c in result.criteria:
                assert c.source_id in result.source_ids


def test_cited_sources_exist_in_the_evidence_base() -> None:
    evidence = pytest.importorskip("msstem.evidence")
    load = getattr(evidence, "load_evidence", None)
    if load is None:  # pragma: no cover - only while the evidence package is being written
        pytest.skip("msstem.evidence.load_evidence does not exist yet")
    missing = cited_source_ids() - set(load().sources)
    assert not missing


# --- unknowns ------------------------------------------------------------------------------


def test_empty_profile_is_insufficient_data_everywhere_never_a_guess() -> None:
    for result in evaluate_all(Profile()).values():
        assert result.verdict is Verdict.INSUFFICIENT_DATA
        assert {c.status for c in result.criteria} == {U}
        for c in result.criteria:
            assert c.value_used is None or (
                isinstance(c.value_used, dict) and set(c.value_used.values()) == {None}
            )


@pytest.mark.parametrize("field", FIELDS)
def test_dropping_any_one_field_never_gives_does_not_meet(field: str) -> None:
    # BASE meets every rule set (HALT-MS: insufficient); losing a field can only lose answers.
    for rs_id, result in evaluate_all(profile(**{field: None})).items():
        assert result.verdict is not Verdict.DOES_NOT_MEET, rs_id


def test_nmss_no_failed_dmt_is_unknown_because_contraindications_are_not_a_field() -> None:
    result = evaluate(profile(failed_high_efficacy_dmt=False), "nmss-2021")
    assert status(result, "breakthrough_or_contraindication") is U
    assert result.verdict is Verdict.INSUFFICIENT_DATA
    assert "contraindication" in result.criteria[1].reason


def test_astct_no_activity_on_dmt_is_unknown_because_disability_is_not_a_field() -> None:
    result = evaluate(profile(activity_on_dmt=False), "astct-2019")
    assert status(result, "high_risk_features") is U
    reason = {c.id: c for c in result.criteria}["high_risk_features"].reason
    assert "worsening disability" in reason


def test_halt_ms_progression_is_always_unknown() -> None:
    result = evaluate(profile(), "halt-ms")
    assert status(result, "disability_progression_on_dmt") is U
    assert result.verdict is Verdict.INSUFFICIENT_DATA


def test_starms_no_dmt_is_not_proof_of_treatment_naivety() -> None:
    p = profile(current_dmt=None, activity_on_dmt=False, relapses_12m=3, gd_lesions_12m=2)
    result = evaluate(p, "starms")
    assert status(result, "disease_activity") is U
    assert "treatment-naive" in result.criteria[1].reason


def test_beat_ms_one_relapse_plus_mri_is_not_counted_as_two_episodes() -> None:
    p = profile(relapses_12m=1, relapses_24m=1, relapses_36m=1, gd_lesions_12m=1)
    criterion = {c.id: c for c in evaluate(p, "beat-ms").criteria}["activity_episodes_36m"]
    assert criterion.status is U
    assert "same episode" in criterion.reason


def test_relapse_windows_bound_each_other() -> None:
    # relapses_36m unknown, but relapses_12m = 2 means at least 2 in 36 months.
    p = profile(relapses_24m=None, relapses_36m=None)
    assert status(evaluate(p, "beat-ms"), "activity_episodes_36m") is M
    # relapses_12m unknown, but none in 36 months means none in 12 months.
    q = profile(relapses_12m=None, relapses_24m=None, relapses_36m=0)
    assert status(evaluate(q, "mist"), "relapses_12m") is NM


def test_ram_ms_ambiguity_reason_quotes_both_readings() -> None:
    p = profile(relapses_12m=0, relapses_24m=0, relapses_36m=0, gd_lesions_12m=0,
                new_t2_lesions_12m=5)
    criterion = {c.id: c for c in evaluate(p, "ram-ms").criteria}["inflammatory_activity_12m"]
    assert criterion.status is U
    t2 = load_evidence().criterion("ram-ms", "new-t2-lesions").criterion.format_value()
    assert f"(relapse AND Gd+) OR (≥{t2} T2)" in criterion.reason
    assert f"relapse AND (Gd+ OR ≥{t2} T2)" in criterion.reason


@pytest.mark.parametrize(
    ("relapses", "gd", "t2", "expected"),
    [
        (1, 1, 0, M), (0, 1, 0, NM), (1, 0, 0, NM), (1, 0, 3, M), (0, 0, 3, U), (0, 5, 4, U),
        (2, None, 3, M), (0, None, 3, U), (None, 1, 0, U), (None, 0, 0, NM), (None, 0, 3, U),
        (1, None, None, U), (0, 0, None, U), (0, None, 2, NM),
    ],
)
def test_ram_ms_two_readings_truth_table(
    relapses: int | None, gd: int | None, t2: int | None, expected: CriterionStatus
) -> None:
    windows = {"relapses_12m": relapses, "relapses_24m": None, "relapses_36m": None}
    p = profile(**windows, gd_lesions_12m=gd, new_t2_lesions_12m=t2)
    assert status(evaluate(p, "ram-ms"), "inflammatory_activity_12m") is expected


# --- MS course -------------------------------------------------------------------------------


def test_cis_is_not_ms_in_every_ruleset() -> None:
    for rs_id, result in evaluate_all(profile(ms_course="CIS")).items():
        assert status(result, "ms_course") is NM, rs_id
        assert result.verdict is Verdict.DOES_NOT_MEET


ACTIVE = {"relapses_12m": 1, "gd_lesions_12m": 1}
QUIET = {"relapses_12m": 0, "relapses_24m": 0, "relapses_36m": 0, "gd_lesions_12m": 0,
         "new_t2_lesions_12m": 0}


@pytest.mark.parametrize(
    ("course", "fields", "expected"),
    [
        ("PPMS", ACTIVE, {"nmss-2021": NM, "ectrims-ebmt-2025": M, "astct-2019": M,
                          "beat-ms": NM, "ram-ms": NM, "starms": U, "net-ms": NM, "mist": NM,
                          "halt-ms": NM}),
        # StarMS accepts RRMS only: other courses are unknown at best (issue 9 item 7).
        ("PPMS", QUIET, {"ectrims-ebmt-2025": NM, "astct-2019": NM, "starms": U}),
        ("SPMS", ACTIVE, {"nmss-2021": U, "ectrims-ebmt-2025": M, "astct-2019": M,
                          "beat-ms": M, "ram-ms": NM, "starms": U, "net-ms": NM, "mist": NM,
                          "halt-ms": U}),
        ("RRMS", QUIET, {"starms": M, "net-ms": M}),
        # ASTCT: PPMS with MRI activity only is unknown ("superimposed activity" is the
        # statement's word; MRI alone is msstem's assumption); a relapse decides it.
        ("PPMS", {"relapses_12m": 0, "gd_lesions_12m": 1, "new_t2_lesions_12m": 0},
         {"astct-2019": U, "ectrims-ebmt-2025": NM}),
        ("PPMS", {"relapses_12m": 0, "gd_lesions_12m": 0, "new_t2_lesions_12m": 3},
         {"astct-2019": U}),
        ("PPMS", {"relapses_12m": 1, "gd_lesions_12m": 0, "new_t2_lesions_12m": 0},
         {"astct-2019": M, "ectrims-ebmt-2025": NM}),
        ("PPMS", {"relapses_12m": 0, "relapses_24m": 0, "relapses_36m": 0,
                  "gd_lesions_12m": 0, "new_t2_lesions_12m": None}, {"astct-2019": U}),
        ("SPMS", QUIET, {"nmss-2021": NM, "ectrims-ebmt-2025": NM, "astct-2019": NM,
                         "beat-ms": U, "halt-ms": NM}),
        # ECTRIMS needs relapses AND MRI activity for progressive MS; ASTCT either.
        ("SPMS", {"relapses_12m": 1, "gd_lesions_12m": 0, "new_t2_lesions_12m": 0},
         {"ectrims-ebmt-2025": NM, "astct-2019": M}),
        ("SPMS", {"relapses_12m": 0, "gd_lesions_12m": 0, "new_t2_lesions_12m": 2},
         {"ectrims-ebmt-2025": NM, "astct-2019": M, "beat-ms": M, "halt-ms": NM}),
        ("SPMS", {"relapses_12m": 1, "gd_lesions_12m": None, "new_t2_lesions_12m": None},
         {"ectrims-ebmt-2025": U, "astct-2019": M, "nmss-2021": U}),
        ("PPMS", {"relapses_12m": None, "relapses_24m": None, "relapses_36m": None,
                  "gd_lesions_12m": None, "new_t2_lesions_12m": None},
         {"ectrims-ebmt-2025": U, "astct-2019": U, "nmss-2021": NM}),
    ],
)
def test_course_criterion(
    course: str, fields: dict[str, int | None], expected: dict[str, CriterionStatus]
) -> None:
    results = evaluate_all(profile(ms_course=course, **fields))
    got = {rs_id: status(results[rs_id], "ms_course") for rs_id in expected}
    assert got == expected


# --- cautions and notes --------------------------------------------------------------------


def test_pregnancy_adds_a_caution_everywhere_and_changes_no_verdict() -> None:
    pregnant = evaluate_all(profile(pregnant=True))
    not_pregnant = evaluate_all(profile(pregnant=False))
    unknown = evaluate_all(profile(pregnant=None))
    for rs_id, result in pregnant.items():
        assert result.verdict is not_pregnant[rs_id].verdict is unknown[rs_id].verdict
        new = set(result.cautions) - set(not_pregnant[rs_id].cautions)
        assert len(new) == 1
        assert "pregnancy" in new.pop().lower()
        assert not_pregnant[rs_id].cautions == unknown[rs_id].cautions
    assert PREGNANCY_CAUTION in pregnant["beat-ms"].cautions
    assert "contraception" in pregnant["ram-ms"].cautions[-1]


def test_soft_cautions_name_their_source() -> None:
    result = evaluate(profile(age=52, disease_duration_years=12), "nmss-2021")
    assert result.verdict is Verdict.MEETS
    soft = [t for t in result.cautions if "Best candidates" in t]
    assert len(soft) == 2
    assert all("National MS Society" in t for t in soft)
    unknown = evaluate(profile(age=None), "nmss-2021")
    assert any("do not include your age (age)" in t for t in unknown.cautions)


def test_nmss_always_cautions_experienced_centres() -> None:
    for p in (profile(), Profile(), profile(ms_course="CIS")):
        assert any("experienced centres" in t for t in evaluate(p, "nmss-2021").cautions)


def test_nmdp_guidance_never_changes_the_astct_verdict() -> None:
    base = evaluate(profile(), "astct-2019").verdict
    for edss in (0.0, 6.0, 6.5, 9.5):
        for r36 in (0, 1, 2, 10):
            p = profile(edss=edss, relapses_12m=0, relapses_24m=0, relapses_36m=r36)
            assert evaluate(p, "astct-2019").verdict is base


def test_beat_ms_cautions_earlier_protocol_version() -> None:
    text = " ".join(evaluate(profile(), "beat-ms").cautions)
    assert "EDSS 2.0–5.5" in text and "24 months" in text


@pytest.mark.parametrize(
    ("rs_id", "words"),
    [("starms", "closed"), ("mist", "Completed"), ("halt-ms", "Completed"),
     ("beat-ms", "Feb 2024")],
)
def test_trial_notes(rs_id: str, words: str) -> None:
    note = evaluate(profile(), rs_id).note
    assert note is not None and words in note


def test_guidelines_have_no_trial_note() -> None:
    for rs_id in ("nmss-2021", "ectrims-ebmt-2025", "astct-2019"):
        assert evaluate(profile(), rs_id).note is None


def test_base_profile_is_the_documented_example() -> None:
    # The factories' BASE mirrors examples/profile.json; the tables assume it.
    assert profile() == Profile.model_validate(BASE)


def test_unknown_reasons_name_fields_in_plain_words() -> None:
    from msstem.clinical.profile import Profile
    from msstem.eligibility.criteria import FIELD_WORDS, unknown_reason

    # Every profile field a criterion can lack has words a person understands; HCT-CI items
    # are scored separately and never make a criterion unknown.
    assert set(FIELD_WORDS) == set(Profile.model_fields) - {"hctci_items"}
    assert unknown_reason("edss") == (
        "Your answers do not include your EDSS score (edss), so this cannot be checked."
    )


# --- issue 9 item 7: NET-MS, StarMS and ASTCT corrections ----------------------------------
def test_net_ms_needs_evidence_of_aggressive_disease() -> None:
    quiet = evaluate(profile(**QUIET), "net-ms")
    assert status(quiet, "aggressive_disease") is U
    assert quiet.verdict is Verdict.INSUFFICIENT_DATA  # never "meets" with no activity at all
    assert "cannot tell" in {c.id: c for c in quiet.criteria}["aggressive_disease"].reason
    assert any("aggressive" in text for text in quiet.cautions)
    unknown = evaluate(profile(relapses_12m=None, relapses_24m=None, relapses_36m=None,
                               gd_lesions_12m=None, new_t2_lesions_12m=None), "net-ms")
    assert status(unknown, "aggressive_disease") is U
    assert evaluate(profile(), "net-ms").verdict is Verdict.MEETS


@pytest.mark.parametrize(("course", "expected"), [("RRMS", M), ("SPMS", U), ("PPMS", U),
                                                    ("CIS", NM)])
def test_starms_accepts_rrms_only(course: str, expected: CriterionStatus) -> None:
    result = evaluate(profile(ms_course=course), "starms")
    assert status(result, "ms_course") is expected
    assert result.verdict is not Verdict.MEETS or course == "RRMS"
    assert any("age and EDSS limits are not in msstem's notes" in t for t in result.cautions)


def test_astct_ppms_with_mri_activity_only_is_unknown() -> None:
    mri_only = evaluate(profile(ms_course="PPMS", relapses_12m=0, gd_lesions_12m=2), "astct-2019")
    assert status(mri_only, "ms_course") is U
    assert mri_only.verdict is Verdict.INSUFFICIENT_DATA
    relapse = evaluate(profile(ms_course="PPMS", relapses_12m=1, gd_lesions_12m=0,
                               new_t2_lesions_12m=0), "astct-2019")
    assert status(relapse, "ms_course") is M
    # SPMS keeps the reading "a relapse or MRI activity".
    spms = evaluate(profile(ms_course="SPMS", relapses_12m=0, gd_lesions_12m=2), "astct-2019")
    assert status(spms, "ms_course") is M
