"""The three renderers on real assessments: traceability, schema, self-containment,
accessibility basics, escaping and the 80-column text layout."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from msstem.decision import Assessment, assess, parse_profile
from msstem.evidence import load_evidence
from msstem.reports import render_html, render_json, render_text
from msstem.reports.formatting import interval_text, per_100_text

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "assess-schema.json"

PROFILES: dict[str, dict[str, Any]] = {
    "example": json.loads(
        (Path(__file__).resolve().parents[2] / "examples" / "profile.json").read_text()
    ),
    "ppms": {"age": 50, "ms_course": "PPMS", "edss": 6.5, "hctci_items": []},
    "empty": {},
    "hostile": {"current_dmt": '<script>alert("x")</script>&', "ms_course": "CIS"},
}


@pytest.fixture(scope="module", params=sorted(PROFILES))
def assessment(request: pytest.FixtureRequest) -> Assessment:
    return assess(parse_profile(PROFILES[request.param]))


# --- JSON --------------------------------------------------------------------------------
def _structural_check(doc: dict[str, Any], schema: dict[str, Any]) -> None:
    """A hand-written subset of the schema, used only if jsonschema is not installed."""
    assert set(schema["required"]) <= set(doc)
    assert set(doc) <= set(schema["properties"])
    est_schema = schema["$defs"]["estimate"]
    for e in doc["estimates"]:
        assert set(e) == set(est_schema["required"])
        assert 0 <= e["per_100"] <= 100
        assert e["applicability"] in ("matches", "partly", "does_not_match")
    for r in doc["eligibility"].values():
        assert r["verdict"] in ("meets", "does_not_meet", "insufficient_data")


def test_json_validates_against_the_schema(assessment: Assessment) -> None:
    doc = json.loads(render_json(assessment))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema is a test dependency
        _structural_check(doc, schema)
        return
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_schema_rejects_a_broken_document(assessment: Assessment) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    doc = assessment.to_dict()
    doc["estimates"] = [{**e, "applicability": "maybe"} for e in doc["estimates"]] or [{}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_every_json_number_traces_to_the_evidence_base(assessment: Assessment) -> None:
    eb = load_evidence()
    doc = json.loads(render_json(assessment))
    for e in doc["estimates"]:
        fact = eb.fact(e["fact_id"])
        assert e["per_100"] == fact.per_100
        assert e["sources"] == list(fact.source_ids)
        if e["interval"] is not None and not e["interval"]["computed"]:
            iv = fact.interval_per_100
            assert iv is not None and [e["interval"]["low"], e["interval"]["high"]] == [
                iv.low, iv.high]
        if e["interval"] is not None and e["interval"]["computed"]:
            assert fact.interval is None and fact.numerator is not None
    if doc["hctci"] is not None:
        for f in doc["hctci"]["facts"]:
            assert eb.fact(f["fact_id"]).statement == f["statement"]
    for step in doc["procedure"]:
        for fid in step["fact_ids"]:
            eb.fact(fid)
    for s in doc["sources"]:
        assert eb.source(s["id"]).reference() == s["reference"]


def test_json_is_the_assessment_document(assessment: Assessment) -> None:
    assert json.loads(render_json(assessment)) == assessment.to_dict()


# --- text --------------------------------------------------------------------------------
def test_text_fits_80_columns(assessment: Assessment) -> None:
    text = render_text(assessment)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.splitlines()[2].startswith("msstem supports decisions; it does not make them.")


def _text_blocks(text: str) -> dict[str, str]:
    """Estimate blocks of the text report keyed by fact id."""
    blocks: dict[str, str] = {}
    for chunk in re.split(r"\n    \* ", text.split("BENEFITS AND HARMS")[1].split("\nSOURCES")[0]):
        joined = " ".join(chunk.split())
        m = re.search(r"\[fact ([a-z0-9-]+)\]", joined)
        if m:
            blocks[m.group(1)] = joined
    return blocks


def test_every_text_figure_has_its_source_label(assessment: Assessment) -> None:
    doc = assessment.to_dict()
    labels = {s["id"]: s["label"] for s in doc["sources"]}
    blocks = _text_blocks(render_text(assessment))
    assert set(blocks) == {e["fact_id"] for e in doc["estimates"]}
    for e in doc["estimates"]:
        block = blocks[e["fact_id"]]
        assert " ".join(per_100_text(e["per_100"]).split()) in block
        assert " ".join(interval_text(e["interval"]).split()) in block
        for sid in e["sources"]:
            assert f"{' '.join(labels[sid].split())} [{sid}]" in block
        assert ("UNVERIFIED" in block) is (not e["verified"])


def test_text_lists_unknowns_and_sources() -> None:
    text = render_text(assess(parse_profile({"edss": 3.0})))
    flat = " ".join(text.split())
    assert "Unknown (not entered): age, ms_course," in flat
    assert "Not scored: hctci_items was not given (unknown)." in flat
    assert "[sormani-2017] Sormani et al. 2017, Neurology" in flat
    assert "DOI 10.1212/WNL.0000000000003987" in flat


# --- HTML --------------------------------------------------------------------------------
class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.articles: dict[str, list[str]] = {}
        self._article: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "article" and "estimate" in (a.get("class") or ""):
            self._article = (a.get("aria-labelledby") or "").removeprefix("e-")
            self.articles[self._article] = []
            self._depth = 0
        if self._article is not None and tag == "article":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._article is not None and tag == "article":
            self._depth -= 1
            if self._depth == 0:
                self._article = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._article is not None:
            self.articles[self._article].append(data)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_html_loads_nothing_from_outside(assessment: Assessment) -> None:
    html = render_html(assessment)
    c = _parse(html)
    for tag, attrs in c.tags:
        assert tag not in {"script", "iframe", "object", "embed", "link", "img", "base"}
        for name in ("src", "srcset", "poster", "data", "action", "formaction"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), (tag, name, value)
        href = attrs.get("href")
        if href is None or href.startswith("#"):
            continue
        assert tag == "a" and href.startswith("https://"), (tag, href)
        assert "noopener" in (attrs.get("rel") or "").split()
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers


def test_html_internal_links_resolve(assessment: Assessment) -> None:
    c = _parse(render_html(assessment))
    ids = {a["id"] for _, a in c.tags if a.get("id")}
    for _, attrs in c.tags:
        href = attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_every_html_figure_has_an_icon_array_and_its_source(assessment: Assessment) -> None:
    doc = assessment.to_dict()
    labels = {s["id"]: s["label"] for s in doc["sources"]}
    c = _parse(render_html(assessment))
    assert set(c.articles) == {e["fact_id"] for e in doc["estimates"]}
    svgs = [a for t, a in c.tags if t == "svg" and "icon-array" in (a.get("class") or "")]
    assert len(svgs) == len(doc["estimates"])
    for e in doc["estimates"]:
        text = " ".join(" ".join(c.articles[e["fact_id"]]).split())
        assert per_100_text(e["per_100"]) in text
        assert interval_text(e["interval"]) in text
        for sid in e["sources"]:
            assert labels[sid] in text
        assert ("Unverified" in text) is (not e["verified"])
        alt = f"{e['label']}: {per_100_text(e['per_100'])}"
        assert any(s.get("aria-label") == alt and s.get("role") == "img" for s in svgs)


def test_html_accessibility_basics(assessment: Assessment) -> None:
    html = render_html(assessment)
    c = _parse(html)
    html_tag = next(a for t, a in c.tags if t == "html")
    assert html_tag.get("lang") == "en"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in c.tags)
    assert c.headings[0] == 1 and c.headings.count(1) == 1
    for before, after in zip(c.headings, c.headings[1:], strict=False):
        assert after <= before + 1, "heading levels must not skip"
    tables = sum(1 for t, _ in c.tags if t == "table")
    assert tables and sum(1 for t, _ in c.tags if t == "th") >= tables
    assert "msstem supports decisions; it does not make them." in html


def test_html_shows_evidence_date_version_procedure_and_cell_types(
    assessment: Assessment,
) -> None:
    doc = assessment.to_dict()
    text = " ".join("".join(_parse(render_html(assessment)).text).split())
    assert f"evidence curated {doc['evidence_date']}" in text
    assert f"msstem {doc['msstem_version']}" in text
    for step in doc["procedure"]:
        assert " ".join(step["title"].split()) in text
    for cell in doc["cell_types"]:
        assert " ".join(cell["name"].split()) in text
    for s in doc["sources"]:
        reference = " ".join(s["reference"].split())
        if not reference.startswith(s["label"].rstrip(".")):
            reference = f"{s['label'].rstrip('.')}. {reference}"
        assert reference in text


def test_html_escapes_profile_text() -> None:
    html = render_html(assess(parse_profile(PROFILES["hostile"])))
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html


def test_renderers_accept_the_document_too(assessment: Assessment) -> None:
    doc = assessment.to_dict()
    assert render_html(doc) == render_html(assessment)
    assert render_text(doc) == render_text(assessment)


# --- the study's own words next to every figure ---------------------------------------
def test_each_figure_shows_the_studys_statement(assessment: Assessment) -> None:
    """Same-label figures (e.g. 3- vs 6-month confirmed worsening) are told apart, and the
    published figure is shown as written next to its rounded per-100 display."""
    doc = assessment.to_dict()
    blocks = _text_blocks(render_text(assessment))
    articles = _parse(render_html(assessment)).articles
    for e in doc["estimates"]:
        statement = " ".join(e["statement"].split())
        assert f"Reported: {statement}" in blocks[e["fact_id"]]
        assert statement in " ".join(" ".join(articles[e["fact_id"]]).split())


def test_same_label_figures_are_distinguishable() -> None:
    doc = assess(parse_profile(PROFILES["example"])).to_dict()
    blocks = _text_blocks(render_text(doc))
    assert "6-month confirmed disability worsening 8.15%" in blocks["asclepios-cdw6-ofatumumab"]
    assert "3-month confirmed disability worsening 10.90%" in blocks["asclepios-cdw3-ofatumumab"]
    assert "24-week confirmed" in blocks["opera-cdp24-ocrelizumab"]


def test_unverified_figure_is_marked_in_every_renderer() -> None:
    doc = assess(parse_profile(PROFILES["example"])).to_dict()
    flipped = {**doc, "estimates": [{**e, "verified": e["fact_id"] != "sormani-2017-trm"}
                                    for e in doc["estimates"]]}
    blocks = _text_blocks(render_text(flipped))
    articles = _parse(render_html(flipped)).articles
    for e in flipped["estimates"]:
        html_text = " ".join(articles[e["fact_id"]])
        assert ("UNVERIFIED" in blocks[e["fact_id"]]) is (not e["verified"])
        assert ("Unverified" in html_text) is (not e["verified"])
