"""Consistency rules for the evidence base; ``msstem evidence check`` runs them.

:func:`check_evidence` returns every problem at once (an empty list means the
evidence base is consistent). The rules, each with the reason it exists:

* ids are unique within each table, and sources and facts share one namespace
  (``msstem evidence show ID`` must be unambiguous);
* every fact has a source, and every id a record cites (sources, facts, cell
  types) exists: a number shown to a user must trace to a source;
* every source is cited by a record or by code (``extra_references``): an unused
  source is either dead weight or a missing link;
* sources are well formed: a seed names its seed file, any other source has a
  DOI, PMID, PMCID, URL or registry id (or says why none is known), and those
  identifiers look like what they claim to be;
* numeric facts carry a unit and a population; "%" lies in 0-100; intervals are
  ordered and contain the point estimate; n <= d and the value matches 100*n/d;
* anything unverified carries a caution, so it is never shown bare;
* estimate tags sit only on verified proportions and their benefit/harm kind
  matches the outcome; disagreements name at least two facts;
* structured criteria (:mod:`msstem.evidence.criteria`) have ids unique within
  their guideline, trial or definition, and their screening texts fill in; no
  summary, recommendation, entry criterion, caution, screening text or
  eligibility fact states a limit its owner's criteria contradict ("under 40"
  where the criterion says 45): the prose and the rules must say the same;
* code and data agree (when the caller passes what the rule sets read): every
  criterion and screening text a rule set names exists, and every one in the
  data is read by some rule set.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel

from msstem.clinical.edss import is_on_grid
from msstem.errors import EvidenceError
from msstem.evidence.contradictions import contradictions
from msstem.evidence.loader import CRITERIA_TABLES, EvidenceBase
from msstem.evidence.models import (
    BENEFIT_OUTCOMES,
    CI_KINDS,
    HARM_OUTCOMES,
    CellType,
    Definition,
    Fact,
    Guideline,
    Source,
    Therapy,
    Trial,
)

__all__ = [
    "DOI_PATTERN",
    "NP_TOLERANCE_PER_100",
    "PMCID_PATTERN",
    "PMID_PATTERN",
    "REGISTRY_ID_PATTERN",
    "SEED_FILE_PATTERN",
    "Problem",
    "check_evidence",
]

DOI_PATTERN: Final = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN: Final = re.compile(r"^\d{1,9}$")
PMCID_PATTERN: Final = re.compile(r"^PMC\d+$")
SEED_FILE_PATTERN: Final = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
REGISTRY_ID_PATTERN: Final = re.compile(
    r"^(NCT\d{8}|ISRCTN\d{8}|EudraCT \d{4}-\d{6}-\d{2})$"
)
#: A stated percentage may differ from 100*n/d by rounding only (e.g. 69.77 -> "70%").
NP_TOLERANCE_PER_100: Final = 0.6

# Fields that hold fact ids, by record type (anything with "fact_ids" in its name).
_FACT_ID_FIELDS: Final = (
    "fact_ids", "key_fact_ids", "benefit_fact_ids", "harm_fact_ids", "cost_fact_ids",
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One inconsistency: ``where`` names the file/record, ``message`` what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_evidence(
    eb: EvidenceBase,
    extra_references: Mapping[str, Iterable[str]] | None = None,
    *,
    criteria_uses: Mapping[str, Iterable[str]] | None = None,
    text_uses: Mapping[str, Iterable[str]] | None = None,
) -> list[Problem]:
    """Every consistency problem in ``eb``.

    ``extra_references`` maps a code location (e.g. ``"msstem.clinical.hctci"``)
    to the source ids that code cites; they count as uses and must exist.
    ``criteria_uses`` and ``text_uses`` map a rule set to the criteria and the
    screening texts it reads (``"owner/id"``); given, code and data must agree.
    """
    refs = {where: tuple(ids) for where, ids in (extra_references or {}).items()}
    problems: list[Problem] = []
    problems += _check_unique_ids(eb)
    problems += _check_references(eb, refs)
    problems += _check_unused_sources(eb, refs)
    for source in eb.source_list:
        problems += _check_source(source, eb)
    for fact in eb.fact_list:
        problems += _check_fact(fact, _where(eb, "facts", fact.id))
    problems += _check_unverified(eb)
    problems += _check_disagreements(eb)
    problems += _check_meta(eb)
    problems += _check_criteria(eb)
    problems += _check_contradictions(eb)
    if criteria_uses is not None or text_uses is not None:
        problems += _check_code_uses(eb, criteria_uses or {}, text_uses or {})
    return problems


def _where(eb: EvidenceBase, table: str, ident: str) -> str:
    files = eb.locations.get(ident)
    if table in ("sources", "facts") and files:
        return f"{files[0]} {ident}"
    return f"{table} {ident}"


def _check_unique_ids(eb: EvidenceBase) -> Iterator[Problem]:
    per_table: dict[str, Counter[str]] = {}
    for table, record in eb.records():
        ident = getattr(record, "id", None)
        if ident is not None:
            per_table.setdefault(table, Counter())[str(ident)] += 1
    for table, counts in per_table.items():
        for ident, n in counts.items():
            if n > 1:
                files = ", ".join(eb.locations.get(ident, ())) or table
                yield Problem(f"{table} {ident}", f"id {ident!r} is used {n} times ({files})")
    shared = set(per_table.get("sources", {})) & set(per_table.get("facts", {}))
    for ident in sorted(shared):
        yield Problem(f"facts {ident}", f"id {ident!r} is both a source and a fact id")


def _cited(record: BaseModel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(source ids, fact ids) a record cites, including nested claims."""
    source_ids: list[str] = list(getattr(record, "source_ids", ()))
    fact_ids: list[str] = []
    for name in _FACT_ID_FIELDS:
        fact_ids += getattr(record, name, ())
    if isinstance(record, CellType):
        for claim in (*record.origin, *record.can_become, *record.role_in_ms, *record.risks):
            source_ids += claim.source_ids
    if isinstance(record, Therapy):
        source_ids += record.status.source_ids
    if isinstance(record, Guideline | Trial | Definition):
        source_ids += [c.source_id for c in record.criteria]
    if isinstance(record, Guideline | Trial):
        source_ids += [t.source_id for t in record.screening]
    return tuple(source_ids), tuple(fact_ids)


def _check_references(eb: EvidenceBase, refs: Mapping[str, tuple[str, ...]]) -> Iterator[Problem]:
    cell_type_ids = {c.id for c in eb.cell_types}
    for table, record in eb.records():
        ident = str(getattr(record, "id", "?"))
        where = _where(eb, table, ident)
        source_ids, fact_ids = _cited(record)
        for sid in source_ids:
            if sid not in eb.sources:
                yield Problem(where, f"cites unknown source id {sid!r}")
        for fid in fact_ids:
            if fid not in eb.facts:
                yield Problem(where, f"cites unknown fact id {fid!r}")
        if isinstance(record, Fact) and not record.source_ids:
            yield Problem(where, "fact has no source_ids (every fact needs at least one source)")
        if isinstance(record, Therapy) and cell_type_ids and record.cell_type not in cell_type_ids:
            yield Problem(where, f"cell_type {record.cell_type!r} is not in cell_types.yaml")
    for code, ids in refs.items():
        for sid in ids:
            if sid not in eb.sources:
                yield Problem(f"code {code}", f"cites unknown source id {sid!r}")


def _check_unused_sources(
    eb: EvidenceBase, refs: Mapping[str, tuple[str, ...]]
) -> Iterator[Problem]:
    used: set[str] = set()
    for _table, record in eb.records():
        if isinstance(record, Source):
            continue
        used.update(_cited(record)[0])
    for ids in refs.values():
        used.update(ids)
    for source in eb.source_list:
        if source.id not in used:
            yield Problem(
                _where(eb, "sources", source.id),
                "source is not cited by any fact, record or code reference",
            )


def _check_source(s: Source, eb: EvidenceBase) -> Iterator[Problem]:
    where = _where(eb, "sources", s.id)
    if s.kind == "seed":
        if s.seed_file is None:
            yield Problem(where, "a seed source needs seed_file (e.g. 000_<16 hex>.txt)")
        elif not SEED_FILE_PATTERN.match(s.seed_file):
            yield Problem(where, f"seed_file {s.seed_file!r} is not NNN_<16 hex digits>.txt")
    else:
        if s.seed_file is not None:
            yield Problem(where, f"seed_file is only for kind 'seed' (kind is {s.kind!r})")
        has_id = bool(s.doi or s.pmid or s.pmcid or s.url or s.registry_ids)
        if not has_id and not s.no_identifier_reason:
            yield Problem(where, "needs a doi, pmid, pmcid, url or registry id (or "
                                 "no_identifier_reason saying why none is known)")
        if has_id and s.no_identifier_reason:
            yield Problem(where, "has an identifier, so no_identifier_reason must be empty")
        if s.no_identifier_reason and not s.caution:
            yield Problem(where, "a source without identifiers needs a caution")
    if s.doi is not None and not DOI_PATTERN.match(s.doi):
        yield Problem(where, f"doi {s.doi!r} does not look like 10.<digits>/<suffix>")
    if s.pmid is not None and not PMID_PATTERN.match(s.pmid):
        yield Problem(where, f"pmid {s.pmid!r} must be digits only")
    if s.pmcid is not None and not PMCID_PATTERN.match(s.pmcid):
        yield Problem(where, f"pmcid {s.pmcid!r} must look like PMC1234567")
    if s.url is not None and (not s.url.strip() or any(c.isspace() for c in s.url)):
        yield Problem(where, f"url {s.url!r} must be one address without spaces")
    for rid in s.registry_ids:
        if not REGISTRY_ID_PATTERN.match(rid):
            yield Problem(where, f"registry id {rid!r} is not NCT########, ISRCTN######## "
                                 "or 'EudraCT YYYY-NNNNNN-NN'")
    if s.year is not None and not 1900 <= s.year <= eb.meta.curated_on.year:
        yield Problem(where, f"year {s.year} is outside 1900-{eb.meta.curated_on.year}")


def _check_fact(f: Fact, where: str) -> Iterator[Problem]:
    # A bare interval ("10-14 days") is a number too.
    numeric = f.value is not None or f.numerator is not None or f.interval is not None
    if f.value is not None and f.unit is None:
        yield Problem(where, "numeric fact needs a unit")
    if numeric and f.value is None and f.interval is not None and f.unit is None:
        yield Problem(where, "numeric fact needs a unit")
    if numeric and not (f.population and f.population.strip()):
        yield Problem(where, "numeric fact needs a population")
    if f.unit == "%" and f.value is not None and not 0 <= f.value <= 100:
        yield Problem(where, f"'%' value {f.value} is outside 0-100")
    if f.unit == "per 1,000 patients" and f.value is not None and not 0 <= f.value <= 1000:
        yield Problem(where, f"'per 1,000 patients' value {f.value} is outside 0-1000")
    yield from _check_interval(f, where)
    yield from _check_counts(f, where)
    yield from _check_estimate(f, where)


def _check_interval(f: Fact, where: str) -> Iterator[Problem]:
    iv = f.interval
    if iv is None:
        return
    if iv.low > iv.high:
        yield Problem(where, f"interval low {iv.low} is above high {iv.high}")
    elif iv.kind in CI_KINDS and f.value is not None and not iv.low <= f.value <= iv.high:
        yield Problem(where, f"value {f.value} lies outside its {iv.kind} {iv.low}-{iv.high}")
    if f.unit == "%" and not (iv.low >= 0 and iv.high <= 100):
        yield Problem(where, f"'%' interval {iv.low}-{iv.high} is outside 0-100")


def _check_counts(f: Fact, where: str) -> Iterator[Problem]:
    n, d = f.numerator, f.denominator
    if (n is None) != (d is None):
        yield Problem(where, "numerator and denominator must be given together")
        return
    if n is None or d is None:
        return
    if d <= 0 or n < 0:
        yield Problem(where, f"counts {n}/{d} must have n >= 0 and d > 0")
        return
    if n > d:
        yield Problem(where, f"numerator {n} is greater than denominator {d}")
        return
    if f.value is None:
        return
    expected = {"%": 100.0 * n / d, "per 1,000 patients": 1000.0 * n / d}.get(f.unit or "")
    tolerance = NP_TOLERANCE_PER_100 * (10 if f.unit == "per 1,000 patients" else 1)
    if expected is not None and abs(f.value - expected) >= tolerance:
        yield Problem(where, f"value {f.value} {f.unit} does not match {n}/{d} "
                             f"= {expected:.2f} (tolerance {tolerance})")
    if f.unit == "patients" and f.value != n:
        yield Problem(where, f"value {f.value} patients does not match numerator {n}")


def _check_estimate(f: Fact, where: str) -> Iterator[Problem]:
    est = f.estimate
    if est is None:
        return
    if not f.is_proportion or f.per_100 is None:
        yield Problem(where, "an estimate tag needs a proportion ('%', 'per 1,000 patients' "
                             "or numerator/denominator)")
    if not f.verified:
        yield Problem(where, "an unverified fact cannot be a personal estimate (drop the tag)")
    if est.kind == "benefit" and est.outcome not in BENEFIT_OUTCOMES:
        yield Problem(where, f"outcome {est.outcome!r} is not a benefit outcome")
    if est.kind == "harm" and est.outcome not in HARM_OUTCOMES:
        yield Problem(where, f"outcome {est.outcome!r} is not a harm outcome")
    for name in ("edss_min", "edss_max"):
        value = getattr(est, name)
        if value is not None and not is_on_grid(value):
            yield Problem(where, f"estimate {name} {value} is not an EDSS step")
    for low_name, high_name in (("edss_min", "edss_max"), ("age_min", "age_max")):
        low, high = getattr(est, low_name), getattr(est, high_name)
        if low is not None and high is not None and low > high:
            yield Problem(where, f"estimate {low_name} {low} is above {high_name} {high}")
    if est.years is not None and est.years <= 0:
        yield Problem(where, f"estimate years {est.years} must be positive")


def _check_unverified(eb: EvidenceBase) -> Iterator[Problem]:
    for table, record in eb.records():
        ident = str(getattr(record, "id", "?"))
        flagged = getattr(record, "verified", True) is False or (
            getattr(record, "primary_endpoint_verified", True) is False
        )
        if flagged and not getattr(record, "caution", None):
            yield Problem(_where(eb, table, ident),
                          "unverified record needs a caution saying what is unverified")


def _check_disagreements(eb: EvidenceBase) -> Iterator[Problem]:
    for d in eb.disagreements:
        if len(set(d.fact_ids)) < 2:
            yield Problem(f"disagreements {d.id}", "a disagreement must name at least 2 facts")


def _check_meta(eb: EvidenceBase) -> Iterator[Problem]:
    latest = eb.latest_source_year
    if latest is not None and eb.meta.latest_source_year != latest:
        yield Problem("meta.yaml", f"latest_source_year is {eb.meta.latest_source_year} but "
                                   f"the newest source is from {latest}")


# --- structured criteria ----------------------------------------------------------
_CriteriaOwner = Guideline | Trial | Definition


def _owners(eb: EvidenceBase) -> Iterator[tuple[str, _CriteriaOwner]]:
    for table, _file in CRITERIA_TABLES:
        for record in getattr(eb, table):
            yield table, record


def _check_criteria(eb: EvidenceBase) -> Iterator[Problem]:
    for table, owner in _owners(eb):
        where = f"{table} {owner.id}"
        for kind, ids in (("criterion", [c.id for c in owner.criteria]),
                          ("screening text", [t.id for t in getattr(owner, "screening", ())])):
            for ident, n in Counter(ids).items():
                if n > 1:
                    yield Problem(where, f"{kind} id {ident!r} is used {n} times")
        for text in getattr(owner, "screening", ()):
            try:
                eb.render_screening(owner.id, text)
            except EvidenceError as exc:
                yield Problem(where, str(exc))


def _owner_texts(eb: EvidenceBase, owner: _CriteriaOwner) -> Iterator[tuple[str, str]]:
    """(label, text) of every piece of prose that may repeat the owner's numbers."""
    if isinstance(owner, Guideline | Definition):
        yield "summary", owner.summary
    if isinstance(owner, Guideline):
        for i, rec in enumerate(owner.recommendations, 1):
            yield f"recommendation {i}", rec
    if isinstance(owner, Trial):
        for i, crit in enumerate(owner.entry_criteria, 1):
            yield f"entry criterion {i}", crit
        if owner.caution:
            yield "caution", owner.caution
    if isinstance(owner, Guideline | Trial):
        for text in owner.screening:
            try:
                yield f"screening text {text.id!r}", eb.render_screening(owner.id, text)
            except EvidenceError:
                continue  # reported by _check_criteria


def _eligibility_facts(eb: EvidenceBase, owner: _CriteriaOwner) -> Iterator[Fact]:
    """Eligibility facts that cite the owner's sources (they restate its criteria)."""
    cited = set(owner.source_ids) | {c.source_id for c in owner.criteria}
    for fact in eb.facts.values():
        if fact.topic.startswith("ahsct.eligibility") and cited & set(fact.source_ids):
            yield fact


def _check_contradictions(eb: EvidenceBase) -> Iterator[Problem]:
    for table, owner in _owners(eb):
        if not owner.criteria:
            continue
        sources: list[tuple[str, str]] = [
            (f"{table} {owner.id} {label}", text) for label, text in _owner_texts(eb, owner)
        ]
        sources += [(_where(eb, "facts", f.id), f.statement) for f in _eligibility_facts(eb, owner)]
        for where, text in sources:
            for stated, about in contradictions(text, owner.criteria):
                said = ", ".join(f"{c.id} {c.text()}" for c in about)
                yield Problem(
                    where,
                    f"states {stated.words!r} ({stated.measure} {stated.comparison} "
                    f"{stated.value:g}) but the structured criteria of {owner.id} say {said}",
                )


def _check_code_uses(
    eb: EvidenceBase,
    criteria_uses: Mapping[str, Iterable[str]],
    text_uses: Mapping[str, Iterable[str]],
) -> Iterator[Problem]:
    known = {c.key for c in eb.criteria()}
    used: set[str] = set()
    for ruleset, refs in criteria_uses.items():
        for ref in refs:
            used.add(ref)
            if ref not in known:
                yield Problem(f"code rule set {ruleset}",
                              f"reads criterion {ref!r}, which the evidence data lacks")
    for key in sorted(known - used):
        located = {c.key: c for c in eb.criteria()}[key]
        yield Problem(f"{located.file} {key}", "criterion is not read by any rule set")
    texts = {
        f"{owner.id}/{t.id}" for _table, owner in _owners(eb)
        for t in getattr(owner, "screening", ())
    }
    shown: set[str] = set()
    for ruleset, refs in text_uses.items():
        for ref in refs:
            shown.add(ref)
            if ref not in texts:
                yield Problem(f"code rule set {ruleset}",
                              f"shows screening text {ref!r}, which the evidence data lacks")
    for ref in sorted(texts - shown):
        yield Problem(f"screening {ref}", "screening text is not shown by any rule set")
