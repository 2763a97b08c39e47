"""Load the evidence base from the YAML files shipped in ``msstem/evidence/data``.

Every ``sources*.yaml`` file is merged into one source table and every
``facts*.yaml`` into one fact table; the other tables each live in one file.
A file that is absent gives an empty table (``meta.yaml`` is required). Schema
problems raise :class:`~msstem.errors.EvidenceError` naming the file and entry;
consistency problems are the validator's job (:mod:`msstem.evidence.validator`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from msstem.errors import EvidenceError, NotFoundError
from msstem.evidence.models import (
    CellType,
    Disagreement,
    Dmt,
    Fact,
    FaqEntry,
    Guideline,
    Meta,
    ProcedureStep,
    Regimen,
    Source,
    Study,
    Therapy,
    Trial,
    WarningSign,
)
from msstem.evidence.pira_definitions import PiraDefinition

__all__ = ["DATA_FILES", "EvidenceBase", "load_evidence"]

M = TypeVar("M", bound=BaseModel)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_HasId)

#: Single-file tables: file name -> (EvidenceBase attribute, record model).
DATA_FILES: Final[dict[str, tuple[str, type[BaseModel]]]] = {
    "cell_types.yaml": ("cell_types", CellType),
    "therapies.yaml": ("therapies", Therapy),
    "regimens.yaml": ("regimens", Regimen),
    "procedure.yaml": ("procedure_steps", ProcedureStep),
    "studies.yaml": ("studies", Study),
    "trials.yaml": ("trials", Trial),
    "guidelines.yaml": ("guidelines", Guideline),
    "warning_signs.yaml": ("warning_signs", WarningSign),
    "faq.yaml": ("faq", FaqEntry),
    "dmts.yaml": ("dmts", Dmt),
    "disagreements.yaml": ("disagreements", Disagreement),
    "pira_definitions.yaml": ("pira_definitions", PiraDefinition),
}
_META_FILE: Final = "meta.yaml"


def _first_by_id(records: Iterable[R]) -> Mapping[str, R]:
    table: dict[str, R] = {}
    for record in records:
        table.setdefault(record.id, record)  # duplicates are reported by the validator
    return MappingProxyType(table)


@dataclass(frozen=True)
class EvidenceBase:
    """The whole curated evidence base, immutable.

    Tables keep file order (the procedure steps are in time order). ``sources``
    and ``facts`` are read-only mappings by id; ``source_list``/``fact_list``
    keep every record, duplicates included, so the validator can see them.
    ``locations`` maps each source and fact id to the data files it appears in
    (those two tables are merged from several files).
    """

    source_list: tuple[Source, ...]
    fact_list: tuple[Fact, ...]
    meta: Meta
    cell_types: tuple[CellType, ...] = ()
    therapies: tuple[Therapy, ...] = ()
    regimens: tuple[Regimen, ...] = ()
    procedure_steps: tuple[ProcedureStep, ...] = ()
    studies: tuple[Study, ...] = ()
    trials: tuple[Trial, ...] = ()
    guidelines: tuple[Guideline, ...] = ()
    warning_signs: tuple[WarningSign, ...] = ()
    faq: tuple[FaqEntry, ...] = ()
    dmts: tuple[Dmt, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    pira_definitions: tuple[PiraDefinition, ...] = ()
    locations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(init=False)
    facts: Mapping[str, Fact] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sources", _first_by_id(self.source_list))
        object.__setattr__(self, "facts", _first_by_id(self.fact_list))

    # --- lookups -------------------------------------------------------------
    def source(self, source_id: str) -> Source:
        return _lookup(self.sources, source_id, "source")

    def fact(self, fact_id: str) -> Fact:
        return _lookup(self.facts, fact_id, "fact")

    def trial(self, trial_id: str) -> Trial:
        return _lookup(_first_by_id(self.trials), trial_id, "trial")

    def guideline(self, guideline_id: str) -> Guideline:
        return _lookup(_first_by_id(self.guidelines), guideline_id, "guideline")

    def cell_type(self, cell_type_id: str) -> CellType:
        return _lookup(_first_by_id(self.cell_types), cell_type_id, "cell type")

    def therapy(self, therapy_id: str) -> Therapy:
        return _lookup(_first_by_id(self.therapies), therapy_id, "therapy")

    def regimen(self, regimen_id: str) -> Regimen:
        return _lookup(_first_by_id(self.regimens), regimen_id, "regimen")

    def warning_sign(self, sign_id: str) -> WarningSign:
        return _lookup(_first_by_id(self.warning_signs), sign_id, "warning sign")

    def dmt(self, dmt_id: str) -> Dmt:
        return _lookup(_first_by_id(self.dmts), dmt_id, "DMT")

    def facts_for(
        self, *, therapy: str | None = None, outcome: str | None = None, kind: str | None = None
    ) -> tuple[Fact, ...]:
        """Facts with an ``estimate`` tag matching every given filter, in file order."""
        return tuple(
            f for f in self.facts.values()
            if f.estimate is not None
            and (therapy is None or f.estimate.therapy == therapy)
            and (outcome is None or f.estimate.outcome == outcome)
            and (kind is None or f.estimate.kind == kind)
        )

    def sources_for(self, ids: Iterable[str]) -> tuple[Source, ...]:
        """The sources for ``ids``, first-seen order, each once; unknown id -> NotFoundError."""
        seen: dict[str, Source] = {}
        for source_id in ids:
            if source_id not in seen:
                seen[source_id] = self.source(source_id)
        return tuple(seen.values())

    # --- dates ---------------------------------------------------------------
    @property
    def evidence_date(self) -> dt.date:
        """The day the evidence base was curated (``meta.curated_on``)."""
        return self.meta.curated_on

    @property
    def latest_source_year(self) -> int | None:
        """The most recent publication year among the sources (None if no source has one)."""
        years = [s.year for s in self.sources.values() if s.year is not None]
        return max(years) if years else None

    def records(self) -> Iterator[tuple[str, BaseModel]]:
        """Every record with its table name ("sources", "facts", "trials", ...)."""
        yield from (("sources", s) for s in self.source_list)
        yield from (("facts", f) for f in self.fact_list)
        for attr, _model in DATA_FILES.values():
            yield from ((attr, r) for r in getattr(self, attr))


def _lookup(table: Mapping[str, R], key: str, what: str) -> R:
    try:
        return table[key]
    except KeyError:
        raise NotFoundError(f"unknown {what} id {key!r}") from None


# --- reading ---------------------------------------------------------------------
def _read_yaml(entry: Traversable) -> Any:
    try:
        return yaml.safe_load(entry.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise EvidenceError(f"{entry.name}: not valid YAML: {detail}") from None


def _entry_label(index: int, raw: Any) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"entry {index + 1}" + (f" (id {ident!r})" if ident else "")


def _describe(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(entry)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"field {loc!r}: {first['msg']}{more}"


def _parse_list(entry: Traversable, model: type[M]) -> list[M]:
    raw = _read_yaml(entry)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise EvidenceError(f"{entry.name}: expected a list of entries, got {type(raw).__name__}")
    records: list[M] = []
    for index, item in enumerate(raw):
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            raise EvidenceError(
                f"{entry.name} {_entry_label(index, item)}: {_describe(exc)}"
            ) from None
    return records


def _data_root() -> Traversable:
    return resources.files("msstem.evidence").joinpath("data")


@functools.cache
def load_evidence(data_dir: Path | None = None) -> EvidenceBase:
    """Load and type-check the evidence base (cached; pass ``data_dir`` to load another copy)."""
    if data_dir is not None and not Path(data_dir).is_dir():
        raise EvidenceError(f"data_dir: {str(data_dir)!r} is not a folder of evidence files")
    root: Traversable = _data_root() if data_dir is None else Path(data_dir)
    files = {e.name: e for e in root.iterdir() if e.is_file() and e.name.endswith(".yaml")}
    known = set(DATA_FILES) | {_META_FILE}
    unexpected = sorted(
        n for n in files
        if n not in known and not n.startswith(("sources", "facts"))
    )
    if unexpected:
        raise EvidenceError(
            f"unexpected evidence file(s) {', '.join(unexpected)}; allowed: sources*.yaml, "
            f"facts*.yaml, {', '.join(sorted(known))}"
        )
    if _META_FILE not in files:
        raise EvidenceError(f"{_META_FILE} is missing from the evidence data directory")

    locations: dict[str, list[str]] = {}

    def note(name: str, records: Iterable[Any]) -> None:
        for record in records:
            ident = getattr(record, "id", None)
            if ident is not None:
                locations.setdefault(f"{ident}", []).append(name)

    sources: list[Source] = []
    facts: list[Fact] = []
    for name in sorted(files):
        if name.startswith("sources"):
            parsed_sources = _parse_list(files[name], Source)
            note(name, parsed_sources)
            sources += parsed_sources
        elif name.startswith("facts"):
            parsed_facts = _parse_list(files[name], Fact)
            note(name, parsed_facts)
            facts += parsed_facts

    tables: dict[str, tuple[Any, ...]] = {}
    for name, (attr, model) in DATA_FILES.items():
        tables[attr] = tuple(_parse_list(files[name], model) if name in files else [])

    raw_meta = _read_yaml(files[_META_FILE])
    try:
        meta = Meta.model_validate(raw_meta)
    except ValidationError as exc:
        raise EvidenceError(f"{_META_FILE}: {_describe(exc)}") from None

    return EvidenceBase(
        source_list=tuple(sources),
        fact_list=tuple(facts),
        meta=meta,
        locations=MappingProxyType({k: tuple(v) for k, v in locations.items()}),
        **tables,
    )
