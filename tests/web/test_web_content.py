"""The page builders: every figure traces to the evidence base; quiz and values are sound."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import CONTENT_PROFILES as PROFILES
from web_helpers import cited_ids, walk

from msstem.decision import assess, parse_profile
from msstem.errors import InputError
from msstem.evidence import load_evidence
from msstem.reports import options, quiz, summary, values
from msstem.web import learn

EB = load_evidence()


@pytest.mark.parametrize("data", PROFILES)
def test_every_option_figure_is_an_evidence_fact(data: dict[str, Any]) -> None:
    view = options.build_options(assess(parse_profile(data)))
    figures = [n for n in walk(view) if isinstance(n, dict) and "per_100" in n
               and "fact_id" in n]
    assert figures
    for f in figures:
        fact = EB.facts[f["fact_id"]]
        assert fact.per_100 == pytest.approx(f["per_100"])
        assert list(fact.source_ids) == f["sources"]
    assert cited_ids(view) <= set(EB.sources)


@pytest.mark.parametrize("data", PROFILES)
def test_summary_sources_and_figures_trace(data: dict[str, Any]) -> None:
    assessment = assess(parse_profile(data))
    doc = summary.build_summary(assessment, EB)
    assert cited_ids(doc) <= set(EB.sources)
    # The summary's grid is the options page's grid, figure for figure.
    page = options.build_page(assessment)
    rows = {(r["label"], r["horizon"]): r for r in (*page["benefit_rows"], *page["harm_rows"])}
    assert len(doc["grid"]) == len(rows)
    for row in doc["grid"]:
        source = next(r for (label, horizon), r in rows.items()
                      if label == row["label"] and horizon in row["when"])
        for oid, text in row["cells"].items():
            cell = source["cells"][oid]
            assert (text == "no figure") == (cell is None)
            if cell is not None:
                assert cell["figure"] in text and cell["interval"] in text
    assert {s["id"] for s in doc["sources"]} <= set(EB.sources)
    assert [s["n"] for s in doc["sources"]] == sorted(s["n"] for s in doc["sources"])


def test_learn_cites_only_known_sources() -> None:
    page = learn.build_learn(EB)
    assert cited_ids(page) <= set(EB.sources)
    assert [c["id"] for c in page["cell_types"]] == [c.id for c in EB.cell_types]
    assert len(page["procedure"]) == len(EB.procedure_steps)
    assert page["ms_in_brief"] and all(f["sources"] for f in page["ms_in_brief"])


def test_quiz_questions_are_well_formed() -> None:
    questions = quiz.build_quiz(EB)
    assert len(questions) >= 5
    assert len({q.id for q in questions}) == len(questions)
    for q in questions:
        ids = [c.id for c in q.choices]
        texts = [c.text for c in q.choices]
        assert len(set(ids)) == len(ids) and len(set(texts)) == len(texts) >= 3
        assert q.correct in ids
        assert set(q.source_ids) <= set(EB.sources)


def test_quiz_number_answers_come_from_the_facts() -> None:
    # Golden values from the evidence notes: Sormani 2017 pooled TRM 2.1%, NEDA 83% at 2 years.
    by_id = {q.id: q for q in quiz.build_quiz(EB)}
    trm, neda = by_id["ahsct-trm"], by_id["ahsct-neda"]
    assert {c.id: c.text for c in trm.choices}[trm.correct] == "About 2 in 100"
    assert {c.id: c.text for c in neda.choices}[neda.correct] == "About 83 in 100"
    assert "sormani-2017" in trm.source_ids and "sormani-2017" in neda.source_ids
    cell = by_id["cell-type-in-use"]
    assert cell.correct == "hsc"


def test_quiz_grading() -> None:
    questions = quiz.build_quiz(EB)
    right = {q.id: q.correct for q in questions}
    graded = quiz.grade(questions, right)
    assert graded["correct"] == graded["total"] == len(questions)
    wrong = {q.id: next(c.id for c in q.choices if c.id != q.correct) for q in questions}
    assert quiz.grade(questions, wrong)["correct"] == 0
    assert quiz.grade(questions, {})["answered"] == 0
    with pytest.raises(InputError):
        quiz.check_answers(questions, {"nope": "a"})
    assert quiz.parse_answers(questions, {f"q_{questions[0].id}": "not-a-choice"}) == {}


@pytest.mark.parametrize(
    ("given", "field"),
    [({"stop_relapses": 5}, "stop_relapses"), ({"stop_relapses": -1}, "stop_relapses"),
     ({"stop_relapses": True}, "stop_relapses"), ({"stop_relapses": "3"}, "stop_relapses"),
     ({"unknown": 1}, "priorities")],
)
def test_priority_validation(given: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        values.check_priorities(given)
    assert info.value.field == field


def test_priority_form_boundaries() -> None:
    assert values.parse_priorities({"p_stop_relapses": "0"}) == {"stop_relapses": 0}
    assert values.parse_priorities({"p_stop_relapses": "4"}) == {"stop_relapses": 4}
    assert values.parse_priorities({"p_stop_relapses": ""}) == {}
    for bad in ("5", "-1", "x", "1.5"):
        with pytest.raises(InputError):
            values.parse_priorities({"p_stop_relapses": bad})


def test_msc_question_has_one_right_answer() -> None:
    q = next(q for q in quiz.build_quiz(EB) if q.id == "msc-stage")
    ids = {c.id for c in q.choices}
    assert q.correct in ids and len(ids) >= 3
    # "In clinical trials" and "experimental" both describe MSC today: never both offered.
    assert not {"clinical-trials", "experimental"} <= ids
