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
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from msstem.base import describe_validation_error

if TYPE_CHECKING:
    import yaml

from msstem.errors import EvidenceError, NotFoundError
from msstem.evidence import cache
from msstem.evidence.arms import DerivedFact, StudyArm
from msstem.evidence.criteria import (
    LocatedCriterion,
    ScreeningText,
    ShownCriterion,
    render_screening,
)
from msstem.evidence.models import (
    CellType,
    Definition,
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
T = TypeVar("T")


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
    "definitions.yaml": ("definitions", Definition),
    "pira_definitions.yaml": ("pira_definitions", PiraDefinition),
}
#: The tables whose records carry structured criteria, in the order they are listed.
CRITERIA_TABLES: Final[tuple[tuple[str, str], ...]] = (
    ("guidelines", "guidelines.yaml"),
    ("trials", "trials.yaml"),
    ("definitions", "definitions.yaml"),
)
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
    definitions: tuple[Definition, ...] = ()
    pira_definitions: tuple[PiraDefinition, ...] = ()
    locations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Study arms (``study_arms*.yaml``) and derived, pooled facts (``derived*.yaml``).
    study_arms: tuple[StudyArm, ...] = ()
    derived_facts: tuple[DerivedFact, ...] = ()
    #: ``owner/criterion-id`` -> the 1-based line of that criterion's ``value:``.
    criterion_lines: Mapping[str, int] = field(default_factory=dict)
    #: The folder the data files were read from ("" for a base built in memory).
    data_root: str = ""
    sources: Mapping[str, Source] = field(init=False)
    facts: Mapping[str, Fact] = field(init=False)
    _criteria: Mapping[str, LocatedCriterion] = field(init=False, repr=False)
    #: Values worked out from this base's data alone (see :meth:`memo`).
    _memo: dict[Hashable, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", {})
        object.__setattr__(self, "sources", _first_by_id(self.source_list))
        object.__setattr__(self, "facts", _first_by_id(self.fact_list))
        located: dict[str, LocatedCriterion] = {}
        for table, file_name in CRITERIA_TABLES:
            for owner in getattr(self, table):
                for criterion in owner.criteria:
                    key = f"{owner.id}/{criterion.id}"
                    located.setdefault(key, LocatedCriterion(
                        owner=owner.id, table=table, criterion=criterion, file=file_name,
                        line=self.criterion_lines.get(key),
                    ))
        object.__setattr__(self, "_criteria", MappingProxyType(located))

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, once per base: for values that depend on the evidence data only (the
        base is immutable), so every profile reuses them. ``key`` names the value."""
        try:
            value: T = self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
        return value

    # --- structured criteria ---------------------------------------------------
    def criteria(self, owner: str | None = None) -> tuple[LocatedCriterion, ...]:
        """Every structured criterion (of one guideline, trial or definition), in file order.

        >>> from msstem.evidence import load_evidence
        >>> [c.criterion.id for c in load_evidence().criteria("net-ms")]
        ['age-min', 'age-max', 'edss-min', 'edss-max']
        """
        if owner is not None and owner not in self._owners():
            raise NotFoundError(
                f"unknown criteria owner {owner!r}; allowed: {', '.join(self._owners())}"
            )
        return tuple(c for c in self._criteria.values() if owner is None or c.owner == owner)

    def criterion(self, owner: str, criterion_id: str) -> LocatedCriterion:
        """One criterion by its owner's id and its own id (``"beat-ms"``, ``"age-max"``)."""
        key = f"{owner}/{criterion_id}"
        if key not in self._criteria:
            known = ", ".join(c.criterion.id for c in self.criteria(owner))
            raise NotFoundError(f"{owner} has no criterion {criterion_id!r}; allowed: {known}")
        return self._criteria[key]

    def screening_text(self, owner: str, text_id: str) -> ScreeningText:
        """One caution or note of a guideline or trial, by id."""
        records: tuple[Guideline | Trial, ...] = (*self.guidelines, *self.trials)
        for record in records:
            if record.id == owner:
                for text in record.screening:
                    if text.id == text_id:
                        return text
                known = ", ".join(t.id for t in record.screening) or "(none)"
                raise NotFoundError(f"{owner} has no screening text {text_id!r}; "
                                    f"allowed: {known}")
        raise NotFoundError(f"unknown guideline or trial id {owner!r}")

    def render_screening(self, owner: str, text: ScreeningText) -> str:
        """``text`` with its criteria filled in (own ones by id, others as ``owner/id``)."""
        # Every assessment renders about twenty of these: once per base.
        return self.memo(("screening", owner, text.id, text.text),
                         lambda: self._render_screening(owner, text))

    def _render_screening(self, owner: str, text: ScreeningText) -> str:
        values: dict[str, ShownCriterion] = {}
        for located in self._criteria.values():
            shown = ShownCriterion(located.criterion)
            values[located.key] = shown
            if located.owner == owner:
                values[located.criterion.id] = shown
        try:
            return render_screening(text.text, values)
        except ValueError as exc:
            raise EvidenceError(f"{owner} screening text {text.id!r}: {exc}") from None

    def _owners(self) -> tuple[str, ...]:
        return tuple(
            record.id for table, _file in CRITERIA_TABLES for record in getattr(self, table)
        )

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

    def definition(self, definition_id: str) -> Definition:
        return _lookup(_first_by_id(self.definitions), definition_id, "definition")

    def study_arm(self, arm_id: str) -> StudyArm:
        return _lookup(_first_by_id(self.study_arms), arm_id, "study arm")

    def derived(self, fact_id: str) -> DerivedFact:
        return _lookup(_first_by_id(self.derived_facts), fact_id, "derived fact")

    def derived_fact(
        self, outcome: str, horizon_years: float | None = None, group: str = "all",
        therapy: str = "ahsct",
    ) -> DerivedFact:
        """The derived fact for an outcome, horizon (years; None for early) and group."""
        for fact in self.derived_facts:
            if (fact.therapy, fact.outcome, fact.horizon_years, fact.group) == (
                therapy, outcome, horizon_years, group
            ):
                return fact
        raise NotFoundError(
            f"no derived fact for therapy {therapy!r}, outcome {outcome!r}, horizon "
            f"{horizon_years!r}, group {group!r}; see 'msstem evidence show derived'"
        )

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
        yield from (("study_arms", a) for a in self.study_arms)
        yield from (("derived_facts", d) for d in self.derived_facts)


def _lookup(table: Mapping[str, R], key: str, what: str) -> R:
    try:
        return table[key]
    except KeyError:
        raise NotFoundError(f"unknown {what} id {key!r}") from None


# --- reading ---------------------------------------------------------------------
# PyYAML is imported only when the files are parsed: a start from the cache never needs it.
def _read_yaml(name: str, text: str) -> tuple[Any, yaml.Node | None]:
    """The file's data and its node tree (the nodes know the line each value is on)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise EvidenceError(f"{name}: not valid YAML: {detail}") from None
    finally:
        loader.dispose()
    return data, node


def _entry_label(index: int, raw: Any) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"entry {index + 1}" + (f" (id {ident!r})" if ident else "")


def _describe(exc: ValidationError, model: type[BaseModel]) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(entry)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    _, message = describe_validation_error(first, model, noun="field", sort_fields=False)
    return f"field {loc!r}: {message.removeprefix(f'{loc}: ')}{more}"


def _parse_list(name: str, raw: Any, model: type[M]) -> list[M]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise EvidenceError(f"{name}: expected a list of entries, got {type(raw).__name__}")
    records: list[M] = []
    for index, item in enumerate(raw):
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            raise EvidenceError(
                f"{name} {_entry_label(index, item)}: {_describe(exc, model)}"
            ) from None
    return records


def _mapping_value(node: yaml.Node, key: str) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                found: yaml.Node = value_node
                return found
    return None


def _criterion_lines(node: yaml.Node | None) -> dict[str, int]:
    """``owner/criterion-id`` -> 1-based line of the criterion's ``value:`` in this file."""
    import yaml

    lines: dict[str, int] = {}
    if not isinstance(node, yaml.SequenceNode):
        return lines
    for entry in node.value:
        owner = _mapping_value(entry, "id")
        criteria = _mapping_value(entry, "criteria")
        if not isinstance(owner, yaml.ScalarNode) or not isinstance(criteria, yaml.SequenceNode):
            continue
        for item in criteria.value:
            ident, value = _mapping_value(item, "id"), _mapping_value(item, "value")
            if isinstance(ident, yaml.ScalarNode) and value is not None:
                lines[f"{owner.value}/{ident.value}"] = value.start_mark.line + 1
    return lines


def _data_root() -> Traversable:
    return resources.files("msstem.evidence").joinpath("data")


def _read_files(root: Traversable) -> dict[str, bytes]:
    files = {
        e.name: e.read_bytes()
        for e in root.iterdir() if e.is_file() and e.name.endswith(".yaml")
    }
    known = set(DATA_FILES) | {_META_FILE}
    unexpected = sorted(
        n for n in files
        if n not in known and not n.startswith(("sources", "facts", "study_arms", "derived"))
    )
    if unexpected:
        raise EvidenceError(
            f"unexpected evidence file(s) {', '.join(unexpected)}; allowed: sources*.yaml, "
            f"facts*.yaml, study_arms*.yaml, derived*.yaml, {', '.join(sorted(known))}"
        )
    if _META_FILE not in files:
        raise EvidenceError(f"{_META_FILE} is missing from the evidence data directory")
    return files


def _decode(name: str, content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _build(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Parse and type-check every file: the keyword arguments of :class:`EvidenceBase`."""
    parsed = {name: _read_yaml(name, _decode(name, content)) for name, content in files.items()}
    locations: dict[str, list[str]] = {}

    def note(name: str, records: Iterable[Any]) -> None:
        for record in records:
            ident = getattr(record, "id", None)
            if ident is not None:
                locations.setdefault(f"{ident}", []).append(name)

    sources: list[Source] = []
    facts: list[Fact] = []
    arms: list[StudyArm] = []
    derived: list[DerivedFact] = []
    for name in sorted(files):
        if name.startswith("study_arms"):
            arms += _parse_list(name, parsed[name][0], StudyArm)
        elif name.startswith("derived"):
            derived += _parse_list(name, parsed[name][0], DerivedFact)
        elif name.startswith("sources"):
            parsed_sources = _parse_list(name, parsed[name][0], Source)
            note(name, parsed_sources)
            sources += parsed_sources
        elif name.startswith("facts"):
            parsed_facts = _parse_list(name, parsed[name][0], Fact)
            note(name, parsed_facts)
            facts += parsed_facts

    tables: dict[str, Any] = {}
    for name, (attr, model) in DATA_FILES.items():
        tables[attr] = tuple(_parse_list(name, parsed[name][0], model) if name in files else [])

    lines: dict[str, int] = {}
    for _table, name in CRITERIA_TABLES:
        if name in parsed:
            lines.update(_criterion_lines(parsed[name][1]))

    try:
        meta = Meta.model_validate(parsed[_META_FILE][0])
    except ValidationError as exc:
        raise EvidenceError(f"{_META_FILE}: {_describe(exc, Meta)}") from None

    return {
        "source_list": tuple(sources),
        "fact_list": tuple(facts),
        "meta": meta,
        "locations": {k: tuple(v) for k, v in locations.items()},
        "criterion_lines": lines,
        "study_arms": tuple(arms),
        "derived_facts": tuple(derived),
        **tables,
    }


@functools.cache
def load_evidence(data_dir: Path | None = None) -> EvidenceBase:
    """Load and type-check the evidence base (cached; pass ``data_dir`` to load another copy).

    The validated form is kept in the user's cache folder (see
    :mod:`msstem.evidence.cache`), keyed by a hash of the data files and the msstem
    version, so a later process skips parsing and validation until the data change.
    """
    if data_dir is not None and not Path(data_dir).is_dir():
        raise EvidenceError(f"data_dir: {str(data_dir)!r} is not a folder of evidence files")
    root: Traversable = _data_root() if data_dir is None else Path(data_dir)
    files = _read_files(root)
    key = cache.key_for(files)
    built = cache.read(key)
    if built is None:
        built = _build(files)
        cache.write(key, built)
    return EvidenceBase(
        **{**built, "locations": MappingProxyType(dict(built["locations"])),
           "criterion_lines": MappingProxyType(dict(built["criterion_lines"]))},
        data_root=str(root),
    )
