"""Hypothesis properties of eligibility screening."""

from __future__ import annotations

import json

from eligibility_factories import completed_pairs, full_profiles, partial_profiles
from hypothesis import given, settings
from hypothesis import strategies as st

from msstem.clinical.profile import Profile
from msstem.eligibility import (
    RULESET_IDS,
    CriterionStatus,
    Verdict,
    cited_source_ids,
    evaluate,
    evaluate_all,
)

M, NM, U = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN

#: Fields each rule set reads ONLY in soft criteria: changing them never changes the verdict.
SOFT_ONLY = {
    "nmss-2021": ("disease_duration_years", "age", "edss", "relapses_24m", "relapses_36m"),
    "ectrims-ebmt-2025": ("age", "disease_duration_years", "edss"),
    "astct-2019": ("edss", "relapses_24m", "relapses_36m", "age", "disease_duration_years"),
}
#: Fields no rule set reads for its verdict.
IGNORED = ("current_dmt", "hctci_items", "pregnant")


@settings(max_examples=300)
@given(partial_profiles())
def test_verdict_follows_hard_criteria(p: Profile) -> None:
    for result in evaluate_all(p).values():
        hard = [c.status for c in result.criteria if c.hard]
        if NM in hard:
            assert result.verdict is Verdict.DOES_NOT_MEET
        elif U in hard:
            assert result.verdict is Verdict.INSUFFICIENT_DATA
        else:
            assert result.verdict is Verdict.MEETS
        soft = [c for c in result.criteria if not c.hard]
        for c in soft:
            # Every soft criterion that is not met (or unknown) appears as a caution.
            assert any(c.reason in t for t in result.cautions) is (c.status is not M)


@settings(max_examples=400)
@given(completed_pairs())
def test_filling_in_unknowns_never_flips_an_answer(pair: tuple[Profile, Profile]) -> None:
    partial, fuller = pair
    before, after = evaluate_all(partial), evaluate_all(fuller)
    for rs_id in RULESET_IDS:
        old = {c.id: c.status for c in before[rs_id].criteria}
        new = {c.id: c.status for c in after[rs_id].criteria}
        assert old.keys() == new.keys()
        for cid, status in old.items():
            if status is not U:  # a known answer stays the same answer
                assert new[cid] is status, (rs_id, cid)
        if before[rs_id].verdict is Verdict.DOES_NOT_MEET:
            assert after[rs_id].verdict is Verdict.DOES_NOT_MEET
        if before[rs_id].verdict is Verdict.MEETS:
            assert after[rs_id].verdict is Verdict.MEETS


@settings(max_examples=200)
@given(partial_profiles())
def test_results_are_deterministic_and_json_stable(p: Profile) -> None:
    first = evaluate_all(p)
    second = evaluate_all(Profile.model_validate(p.model_dump()))
    assert first == second
    for rs_id in RULESET_IDS:
        assert evaluate(p, rs_id) == first[rs_id]
        text = json.dumps(first[rs_id].to_dict(), sort_keys=True)
        assert text == json.dumps(second[rs_id].to_dict(), sort_keys=True)


@settings(max_examples=200)
@given(partial_profiles())
def test_every_cited_source_is_declared(p: Profile) -> None:
    cited = cited_source_ids()
    for result in evaluate_all(p).values():
        for c in result.criteria:
            assert c.source_id in result.source_ids
        assert set(result.source_ids) <= cited


@settings(max_examples=200)
@given(full_profiles(), full_profiles())
def test_soft_only_fields_never_change_the_verdict(p: Profile, other: Profile) -> None:
    for rs_id, fields in SOFT_ONLY.items():
        # Take the soft-only fields from `other`, keeping relapse windows nested.
        data = p.model_dump()
        for f in fields:
            data[f] = getattr(other, f)
        data["relapses_24m"] = max(data["relapses_24m"], data["relapses_12m"])
        data["relapses_36m"] = max(data["relapses_36m"], data["relapses_24m"])
        if data["age"] is not None and data["disease_duration_years"] is not None:
            data["disease_duration_years"] = min(data["disease_duration_years"], data["age"])
        q = Profile.model_validate(data)
        assert evaluate(q, rs_id).verdict is evaluate(p, rs_id).verdict


@settings(max_examples=200)
@given(partial_profiles(), st.sampled_from(IGNORED))
def test_fields_that_no_rule_reads_never_change_a_verdict(p: Profile, field: str) -> None:
    data = p.model_dump()
    data[field] = None
    q = Profile.model_validate(data)
    for rs_id, result in evaluate_all(p).items():
        assert evaluate(q, rs_id).verdict is result.verdict
