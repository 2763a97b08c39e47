"""Properties of the reports: icon arrays and the values alignment (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from svg_helpers import SVG, svg_groups
from web_helpers import CONTENT_PROFILES, cited_ids

from msstem.decision import assess, parse_profile
from msstem.evidence import load_evidence
from msstem.reports import values
from msstem.reports.icons import ICON_COLOURS, PERSON_SYMBOL_ID, filled_icons, icon_array_svg

EB = load_evidence()


@given(st.floats(0, 100, allow_nan=False))
def test_icon_array_has_100_icons_with_the_rate_coloured(rate: float) -> None:
    svg = icon_array_svg(rate, label="NEDA at 2 years", kind="benefit")
    root, (on, off) = svg_groups(svg)
    assert len(on) == filled_icons(rate)
    assert len(on) + len(off) == 100
    assert on.get("fill") == ICON_COLOURS["benefit"]
    assert {u.get("href") for u in root.iter(f"{SVG}use")} == {f"#{PERSON_SYMBOL_ID}"}


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from([p.id for p in values.PRIORITIES]),
                       st.integers(0, 4)))
def test_alignment_orders_by_importance_and_never_scores(chosen: dict[str, int]) -> None:
    a = assess(parse_profile(CONTENT_PROFILES[1]))
    result = values.build_alignment(a, chosen)
    ratings = [row["rating"] for row in result["rows"]]
    assert ratings == sorted(ratings, reverse=True)
    assert {row["id"] for row in result["rows"]} == {k for k, v in chosen.items() if v > 0}
    for row in result["rows"]:
        assert set(row["options"]) == {"ahsct", "dmt", "trial"}
        assert not {"score", "rank", "best"} & set(row)
    assert cited_ids(result) <= set(EB.sources)
