"""MRI and treatments tables, index dates, and the cohort the analytics share.

Tables may be CSV or Parquet paths or DataFrames; column names are configurable
(:class:`~msstem.outcomes.analytics_options.ClinicalColumns` for MRI and treatments,
:class:`~msstem.outcomes.options.ProgressionOptions` for visits and relapses). Every
problem raises :class:`~msstem.errors.DataError` naming the table, column and first
offending rows; nothing is dropped or changed silently. Subject ids are text, kept as
written (``1`` in one table matches ``"1"`` in another; ``007`` and ``7`` are two subjects,
and a table whose ids match the visits only as numbers stops with an error unless
``id_match='numeric'``: :mod:`msstem.outcomes.ids`).

The cohort is built from the columnar layout of :func:`~msstem.outcomes.inputs.load_cohort`
(one read and validation of visits and relapses, shared with the progression engine); its
``visits``/``relapses`` tables hold ids as a categorical over the subjects, so a million
subjects cost no Python string per visit.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.errors import DataError, DataPolicyWarning, OptionsError
from msstem.outcomes.analytics_options import (
    NO_INDEX_GROUP,
    ArrOptions,
    ClinicalColumns,
    NedaOptions,
    SurvivalOptions,
)
from msstem.outcomes.ids import IdMatch, id_text, match_ids
from msstem.outcomes.inputs import CohortArrays, load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import (
    Source,
    as_frame,
    first_rows,
    parse_dates,
    quote,
    require_columns,
)
from msstem.outcomes.tables import example as _example

if TYPE_CHECKING:
    from msstem.outcomes.progression import KernelRun, ProgressionResult

__all__ = [
    "IndexedCohort",
    "Source",
    "build_cohort",
    "cohort_progression_options",
    "index_dates",
    "load_dated_rows",
    "load_mri",
    "load_treatments",
]

_Opts = TypeVar("_Opts", NedaOptions, ArrOptions, SurvivalOptions)
#: The origin of a cohort's time axis: an index therapy start, or the first visit.
OriginKind = Literal["index", "first_visit"]


def _subject_ids(frame: pd.DataFrame, column: str, table: str) -> pd.Series[str]:
    return pd.Series(id_text(frame[column], column, table), index=frame.index, dtype=object,
                     name="id")


def _check_known(ids: pd.Series[str], known: Collection[str] | None, column: str,
                 table: str, id_match: IdMatch = "exact",
                 warnings: list[str] | None = None) -> pd.Series[str]:
    """The ids, each a visits subject (type-change matches per ``id_match``); else raise."""
    if known is None:
        return ids
    known_arr = np.asarray(list(known) if not isinstance(known, np.ndarray) else known,
                           dtype=object)
    codes = match_ids(known_arr, ids.to_numpy(dtype=object), table, column, id_match,
                      warnings if warnings is not None else [])
    unknown = codes < 0
    if unknown.any():
        example = ids[unknown].iloc[0]
        raise DataError(
            f"{table}: column {quote(column)} names subjects that are not in the visits table "
            f"at {first_rows(unknown)} (e.g. {_example(example)})",
            field=column,
        )
    return pd.Series(known_arr[codes], index=ids.index, dtype=object, name="id")


def load_dated_rows(source: Source, subject_col: str, date_col: str, table: str,
                    known: Collection[str] | None = None, *,
                    allow_empty: bool = False) -> pd.DataFrame:
    """``id`` (text) and ``date`` of every row of a visits or relapses table."""
    frame = as_frame(source, table, allow_empty=allow_empty)
    require_columns(frame, [subject_col, date_col], table)
    ids = _subject_ids(frame, subject_col, table)
    ids = _check_known(ids, known, subject_col, table)
    dates = parse_dates(frame, date_col, table)
    return pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy()})


def _counts(frame: pd.DataFrame, column: str, table: str) -> pd.Series[int]:
    raw = frame[column]
    values = pd.to_numeric(raw.astype("string"), errors="coerce")
    not_number = raw.notna() & values.isna()
    if not_number.any():
        bad = _example(raw[not_number].iloc[0])
        raise DataError(f"{table}: column {column!r} is not a number at {first_rows(not_number)} "
                        f"(e.g. {bad}); lesion counts are whole numbers >= 0",
                        field=column)
    negative = values < 0
    if negative.fillna(False).any():
        mask = negative.fillna(False)
        raise DataError(f"{table}: column {column!r} is negative at {first_rows(mask)}; "
                        "lesion counts are whole numbers >= 0", field=column)
    fractional = (values % 1 != 0).fillna(False)
    if fractional.any():
        raise DataError(f"{table}: column {column!r} is not a whole number at "
                        f"{first_rows(fractional)}; lesion counts are whole numbers >= 0",
                        field=column)
    return values.astype("Int64")


def load_mri(source: Source, columns: ClinicalColumns | None = None,
             known: Collection[str] | None = None, *, id_match: IdMatch = "exact",
             warnings: list[str] | None = None) -> pd.DataFrame:
    """MRI scans as ``id, date, new_t2, gd, active``.

    A count may be missing (e.g. no contrast given: ``gd`` empty) but not both; a scan is
    *active* when any count it has is above 0.
    """
    cols = columns or ClinicalColumns()
    table = "mri"
    frame = as_frame(source, table)
    require_columns(frame, [cols.mri_subject_col, cols.mri_date_col, cols.new_t2_col,
                            cols.gd_col], table)
    ids = _subject_ids(frame, cols.mri_subject_col, table)
    ids = _check_known(ids, known, cols.mri_subject_col, table, id_match, warnings)
    dates = parse_dates(frame, cols.mri_date_col, table)
    new_t2 = _counts(frame, cols.new_t2_col, table)
    gd = _counts(frame, cols.gd_col, table)
    neither = new_t2.isna() & gd.isna()
    if neither.any():
        raise DataError(f"{table}: columns {cols.new_t2_col!r} and {cols.gd_col!r} are both empty "
                        f"at {first_rows(neither)}; a scan needs at least one lesion count",
                        field=cols.new_t2_col)
    active = (new_t2.fillna(0) > 0) | (gd.fillna(0) > 0)
    return pd.DataFrame({"id": ids.to_numpy(), "date": dates.to_numpy(),
                         "new_t2": new_t2.to_numpy(), "gd": gd.to_numpy(),
                         "active": active.to_numpy(dtype=bool)})


def _labels(frame: pd.DataFrame, column: str, table: str) -> pd.Series[str]:
    text = frame[column].astype("string").str.strip()
    bad = text.isna() | (text == "")
    if bad.any():
        raise DataError(f"{table}: column {column!r} is empty at {first_rows(bad)}", field=column)
    return text.astype(object)


def load_treatments(source: Source, columns: ClinicalColumns | None = None,
                    known: Collection[str] | None = None, *, id_match: IdMatch = "exact",
                    warnings: list[str] | None = None) -> pd.DataFrame:
    """Treatment starts as ``id, start, therapy, group`` (``group`` is None without the column)."""
    cols = columns or ClinicalColumns()
    table = "treatments"
    frame = as_frame(source, table)
    require_columns(frame, [cols.treatment_subject_col, cols.treatment_start_col,
                            cols.therapy_col], table)
    ids = _subject_ids(frame, cols.treatment_subject_col, table)
    ids = _check_known(ids, known, cols.treatment_subject_col, table, id_match, warnings)
    start = parse_dates(frame, cols.treatment_start_col, table)
    therapy = _labels(frame, cols.therapy_col, table)
    group: pd.Series[str] | None = None
    if cols.group_col in frame.columns:
        group = _labels(frame, cols.group_col, table)
    return pd.DataFrame({"id": ids.to_numpy(), "start": start.to_numpy(),
                         "therapy": therapy.to_numpy(),
                         "group": None if group is None else group.to_numpy()})


def index_dates(treatments: pd.DataFrame, subjects: Collection[str],
                index_therapy: str | None) -> pd.DataFrame:
    """One row per subject: ``id, index_date, therapy, group, reason``.

    The index date is the earliest start of ``index_therapy`` (compared case-insensitively),
    or, without one, of any therapy (ties: the first row in the file). Subjects without it
    get ``index_date`` NaT, the group :data:`NO_INDEX_GROUP` and a ``reason``.
    """
    rows = treatments.reset_index(drop=True)
    if index_therapy is not None:
        wanted = index_therapy.casefold()
        rows = rows[rows["therapy"].str.casefold() == wanted]
        if rows.empty:
            names = sorted(set(treatments["therapy"]))
            shown = ", ".join(repr(n) for n in names[:10]) + (" ..." if len(names) > 10 else "")
            raise OptionsError(f"index_therapy: no treatments row has therapy {index_therapy!r}; "
                               f"the table has: {shown}", field="index_therapy")
    first = rows.sort_values(["id", "start"], kind="stable").drop_duplicates("id")
    first = first.assign(group=first["group"].where(first["group"].notna(), first["therapy"]))
    out = pd.DataFrame({"id": pd.Series(list(subjects), dtype=object)})
    out = out.merge(first.rename(columns={"start": "index_date"}), on="id", how="left")
    missing = out["index_date"].isna()
    what = f"no {index_therapy!r} row" if index_therapy else "no row"
    out["reason"] = ""
    out.loc[missing, "reason"] = f"no index date: {what} in the treatments table"
    out.loc[missing, "group"] = NO_INDEX_GROUP
    out["therapy"] = out["therapy"].astype(object).where(~missing, None)
    return out[["id", "index_date", "therapy", "group", "reason"]]


def cohort_progression_options(options: ProgressionOptions | None) -> ProgressionOptions:
    """The settings msstem uses for worsening after an origin date.

    The baseline is fixed at the origin (``baseline='fixed'``); every event is kept
    (``event='multiple'``) so the first CDW and the first PIRA can both be read off, and
    RAW/PIRA are classified (``raw_pira=True``). Every other setting is the caller's.
    """
    base = options or ProgressionOptions()
    return ProgressionOptions(**{**dict(base), "baseline": "fixed", "event": "multiple",
                                 "raw_pira": True})


@dataclass(frozen=True)
class IndexedCohort:
    """Validated inputs on one time axis, shared by NEDA-3, relapse rates and survival.

    ``origin``: one row per visits subject, ``id, origin_date, group, reason, has_baseline``
    (``origin_date`` NaT with a ``reason`` when the subject has no index date;
    ``has_baseline``: an EDSS visit at or before the origin exists). ``visits`` and
    ``relapses``: ``id, date``. ``events``: the progression events found from a fixed
    baseline at the last visit at or before the origin (columns of
    ``ProgressionResult.events``, ``id`` as text), or None when not computed.
    """

    origin: pd.DataFrame
    origin_kind: OriginKind
    events: pd.DataFrame | None
    progression_options: ProgressionOptions | None
    index_therapy: str | None
    warnings: tuple[str, ...]
    #: The columnar visits and relapses the cohort was built from (None: given as frames).
    arrays: CohortArrays | None
    _first_events: dict[str, npt.NDArray[np.datetime64]] | None = field(repr=False,
                                                                        compare=False)
    _visits_given: bool = field(repr=False, compare=False)

    def __init__(self, origin: pd.DataFrame, visits: pd.DataFrame | None = None,
                 relapses: pd.DataFrame | None = None,
                 origin_kind: OriginKind = "first_visit",
                 events: pd.DataFrame | None = None,
                 progression_options: ProgressionOptions | None = None,
                 index_therapy: str | None = None, warnings: tuple[str, ...] = (), *,
                 arrays: CohortArrays | None = None,
                 first_events: dict[str, npt.NDArray[np.datetime64]] | None = None) -> None:
        if arrays is None and (visits is None or relapses is None):
            raise OptionsError("IndexedCohort: give the visits and relapses tables (or the "
                               "loaded arrays)", field="visits")
        values = {"origin": origin, "origin_kind": origin_kind, "events": events,
                  "progression_options": progression_options,
                  "index_therapy": index_therapy, "warnings": warnings, "arrays": arrays}
        for name, value in values.items():
            object.__setattr__(self, name, value)
        # tables given are used as they are; else they are made from the arrays when read
        object.__setattr__(self, "_visits_given", visits is not None)
        if visits is not None:
            self.__dict__["visits"] = visits
        if relapses is not None:
            self.__dict__["relapses"] = relapses
        # each subject's first CDW / PIRA date after the origin, aligned with ``origin``
        object.__setattr__(self, "_first_events", first_events)

    @cached_property
    def visits(self) -> pd.DataFrame:
        """``id, date`` of every EDSS visit (``id`` categorical over the subjects)."""
        assert self.arrays is not None
        return _frame(self.arrays.visit_offsets, self.arrays.visit_days, self._dtype)

    @cached_property
    def relapses(self) -> pd.DataFrame:
        """``id, date`` of every relapse onset (``id`` categorical over the subjects)."""
        assert self.arrays is not None
        return _frame(self.arrays.relapse_offsets, self.arrays.relapse_days, self._dtype)

    @cached_property
    def _dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(self._categories)

    def align(self, options: _Opts) -> _Opts:
        """``options`` with the cohort's index therapy (unset: taken from the cohort).

        The cohort fixes the index dates, so options naming another therapy are an error.
        """
        given = options.index_therapy
        if given is None:
            if self.index_therapy is None:
                return options
            return options.model_copy(update={"index_therapy": self.index_therapy})
        if self.index_therapy is None or given.casefold() != self.index_therapy.casefold():
            raise OptionsError(f"index_therapy: the options say {given!r} but the cohort was "
                               f"built with {self.index_therapy!r}", field="index_therapy")
        return options

    def first_event_dates(self, kind: Literal["CDW", "PIRA"]) -> pd.DataFrame:
        """``id, date`` of each subject's first CDW (or first PIRA) after the origin."""
        if self.events is None:
            raise OptionsError("this cohort was built without progression events "
                               "(build_cohort(..., progression=True))", field="progression")
        first = self.first_event_array(kind)
        hit = ~np.isnat(first)
        return pd.DataFrame({"id": self.subject_ids[hit], "date": first[hit]})

    def first_event_array(self, kind: Literal["CDW", "PIRA"]) -> npt.NDArray[np.datetime64]:
        """:meth:`first_event_dates` aligned with ``origin`` (NaT: no such event)."""
        if self.events is None:
            raise OptionsError("this cohort was built without progression events "
                               "(build_cohort(..., progression=True))", field="progression")
        known = self._first_events
        if known is not None:
            dates: npt.NDArray[np.datetime64] = known[kind].copy()
            return dates
        ev = self.events
        mask = (ev["event_type"] == "CDW").to_numpy(dtype=bool)
        if kind == "PIRA":
            mask &= (ev["cdw_type"] == "PIRA").to_numpy(dtype=bool)
        return first_after(self, ev["id"][mask], ev["date"][mask])

    @cached_property
    def subject_ids(self) -> npt.NDArray[Any]:
        """The origin's ids (text), in the origin's row order."""
        return self.origin["id"].to_numpy(dtype=object)

    @cached_property
    def origin_days(self) -> npt.NDArray[np.datetime64]:
        """Each subject's origin date (NaT without one), aligned with :attr:`subject_ids`."""
        return self.origin["origin_date"].to_numpy(dtype="datetime64[ns]")

    def positions(self, ids: pd.Series[Any]) -> npt.NDArray[np.int64]:
        """Row of each id in ``origin`` (-1 when absent); free for the cohort's own tables."""
        if isinstance(ids.dtype, pd.CategoricalDtype) and ids.cat.categories is self._categories:
            return np.asarray(ids.cat.codes.to_numpy(), dtype=np.int64)
        found: npt.NDArray[np.int64] = np.asarray(
            self._categories.get_indexer(ids.to_numpy(dtype=object)), dtype=np.int64)
        return found

    @cached_property
    def _categories(self) -> Any:
        return pd.Index(self.subject_ids)

    @cached_property
    def _span(self) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
        if self.arrays is not None and not self._visits_given:
            days = self.arrays.visit_days
            offsets = self.arrays.visit_offsets
            return (_ns_days(days[offsets[:-1]]), _ns_days(days[offsets[1:] - 1]))
        pos = self.positions(self.visits["id"])
        ns = self.visits["date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        n = len(self.subject_ids)
        return _reduce_by(pos, ns, n, np.minimum), _reduce_by(pos, ns, n, np.maximum)

    def visit_span(self) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
        """(first, last) EDSS visit date per subject (NaT without visits)."""
        return self._span


_NAT = np.iinfo(np.int64).min


def _reduce_by(pos: npt.NDArray[np.int64], values: npt.NDArray[np.int64], n: int,
               op: Any) -> npt.NDArray[np.datetime64]:
    """Per-subject min or max of int64 nanosecond dates; NaT where a subject has none."""
    ok = pos >= 0
    pos, values = pos[ok], values[ok]
    out = np.full(n, np.iinfo(np.int64).max if op is np.minimum else _NAT, dtype=np.int64)
    if len(pos):
        if len(pos) > 1 and bool(np.all(pos[1:] >= pos[:-1])):  # grouped: reduceat
            starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
            out[pos[starts]] = op.reduceat(values, starts)
        else:
            op.at(out, pos, values)
    empty = out == (np.iinfo(np.int64).max if op is np.minimum else _NAT)
    out[empty] = _NAT
    return out.view("datetime64[ns]")


def first_after(cohort: IndexedCohort, ids: pd.Series[Any], dates: pd.Series[Any],
                offset_days: int = 0) -> npt.NDArray[np.datetime64]:
    """Per subject of ``cohort`` (origin order), the first date strictly after origin + offset."""
    pos = cohort.positions(ids)
    when = dates.to_numpy(dtype="datetime64[ns]").view(np.int64)
    origin = cohort.origin_days.view(np.int64)
    ok = pos >= 0
    pos, when = pos[ok], when[ok]
    org = origin[pos]
    later = (org != _NAT) & (when > org + offset_days * 86_400_000_000_000)
    return _reduce_by(pos[later], when[later], len(cohort.subject_ids), np.minimum)


def _ns_days(days: npt.NDArray[Any]) -> npt.NDArray[np.datetime64]:
    out: npt.NDArray[np.datetime64] = days.astype("datetime64[D]").astype("datetime64[ns]")
    return out


def _frame(offsets: npt.NDArray[np.int64], days: npt.NDArray[np.int32],
           dtype: pd.CategoricalDtype) -> pd.DataFrame:
    """``id`` (categorical over the subjects) and ``date`` of rows grouped by offsets."""
    n = len(offsets) - 1
    codes = np.repeat(np.arange(n, dtype=np.int32), np.diff(offsets))
    ids = pd.Categorical.from_codes(codes, dtype=dtype)
    return pd.DataFrame({"id": ids, "date": _ns_days(days)})


def _origin_frame(arrays: CohortArrays, treatments: pd.DataFrame | None,
                  index_therapy: str | None) -> tuple[pd.DataFrame, OriginKind]:
    subjects = arrays.subject_ids
    first_day = arrays.visit_days[arrays.visit_offsets[:-1]]
    first = first_day.astype("datetime64[D]").astype("datetime64[ns]")
    if treatments is None:
        if index_therapy is not None:
            raise OptionsError("index_therapy: needs a treatments table", field="index_therapy")
        origin = pd.DataFrame({"id": subjects, "origin_date": first, "group": "all",
                               "reason": ""})
        kind: OriginKind = "first_visit"
    else:
        idx = index_dates(treatments, list(subjects), index_therapy)
        origin = idx.rename(columns={"index_date": "origin_date"})[
            ["id", "origin_date", "group", "reason"]]
        kind = "index"
    origin_date = origin["origin_date"].to_numpy(dtype="datetime64[ns]")
    origin["has_baseline"] = ~np.isnat(origin_date) & (first <= origin_date)
    return origin, kind


def build_cohort(visits: Source | None, relapses: Source | None,
                 treatments: Source | None = None,
                 *, progression: ProgressionOptions | None = None,
                 index_therapy: str | None = None, columns: ClinicalColumns | None = None,
                 run_progression: bool = True, loaded: CohortArrays | None = None,
                 reuse: ProgressionResult | KernelRun | None = None,
                 first_events_only: bool = False) -> IndexedCohort:
    """Load the tables, place every subject on one time axis and find worsening after it.

    The origin is the index date from ``treatments`` (see :func:`index_dates`) or, without a
    treatments table, the first visit. Progression is detected by the engine of
    :func:`msstem.outcomes.progression.detect_progression` on each subject's visits from
    the last visit at or before the origin, with :func:`cohort_progression_options`.

    ``loaded``: visits and relapses already read by
    :func:`~msstem.outcomes.inputs.load_cohort` with the same options (read once, used
    twice). ``reuse``: a progression run over all visits of ``loaded``: with exactly the
    cohort's settings it is used instead of a second run when the origin is the first
    visit. ``first_events_only``: the analytics need only each subject's first CDW and
    first PIRA; ``events`` then holds only those rows (``id, date, event_type, cdw_type``),
    and with the origin at the first visit a roving-baseline ``reuse`` (a
    :class:`~msstem.outcomes.progression.KernelRun`) gives them for most subjects, the
    kernel running again only for the others
    (:func:`~msstem.outcomes.progression.first_events_fixed`).
    """
    popts = progression or ProgressionOptions()
    if loaded is None and visits is None:
        raise OptionsError("build_cohort: give the visits table (or a loaded cohort)",
                           field="visits")
    arrays = loaded if loaded is not None else load_cohort(visits, relapses, popts)  # type: ignore[arg-type]
    warnings: list[str] = list(arrays.warnings)
    dtype = pd.CategoricalDtype(pd.Index(arrays.subject_ids, dtype=object))
    trt = None if treatments is None else load_treatments(
        treatments, columns, arrays.subject_ids, id_match=popts.id_match, warnings=warnings)
    origin, kind = _origin_frame(arrays, trt, index_therapy)
    events = None
    copts = None
    first: dict[str, npt.NDArray[np.datetime64]] | None = None
    if run_progression:
        copts = cohort_progression_options(popts)
        if first_events_only:
            events, first = _first_events_after_origin(arrays, origin, kind, copts, reuse,
                                                       dtype)
        else:
            events = _events_after_origin(arrays, origin, kind, copts, reuse, dtype)
    cohort = IndexedCohort(origin=origin, origin_kind=kind, events=events,
                           progression_options=copts, index_therapy=index_therapy,
                           warnings=tuple(dict.fromkeys(warnings)), arrays=arrays,
                           first_events=first)
    cohort.__dict__["_categories"] = dtype.categories
    cohort.__dict__["_dtype"] = dtype
    return cohort


def _events_after_origin(arrays: CohortArrays, origin: pd.DataFrame, kind: OriginKind,
                         options: ProgressionOptions,
                         reuse: ProgressionResult | KernelRun | None,
                         dtype: pd.CategoricalDtype) -> pd.DataFrame:
    from msstem.outcomes.progression import KernelRun, events_with_codes

    if kind == "first_visit" and reuse is not None and reuse.options == options:
        # Baseline = the first visit: the run over all visits with these settings is it.
        if isinstance(reuse, KernelRun):
            if reuse.cohort is arrays and not reuse.custom_delta:
                ev = reuse.result().events
                return ev.assign(id=pd.Categorical.from_codes(reuse.raw["subj"], dtype=dtype))
        else:
            return reuse.events.assign(id=pd.Categorical(reuse.events["id"], dtype=dtype))
    if kind == "first_visit":
        sub, full = arrays, None
    else:
        sub, full = _from_baseline(arrays, origin["origin_date"].to_numpy(dtype="datetime64[ns]"))
    # The cohort reports its own policy warnings; this internal run would only repeat them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataPolicyWarning)
        events, codes = events_with_codes(sub, options)
    if full is not None:
        codes = full[codes]
    return events.assign(id=pd.Categorical.from_codes(codes, dtype=dtype))


def _first_events_after_origin(arrays: CohortArrays, origin: pd.DataFrame, kind: OriginKind,
                               options: ProgressionOptions,
                               reuse: ProgressionResult | KernelRun | None,
                               dtype: pd.CategoricalDtype,
                               ) -> tuple[pd.DataFrame, dict[str, npt.NDArray[np.datetime64]]]:
    """Each subject's first CDW and first PIRA after the origin: the events frame of just
    those rows, and their dates aligned with ``origin`` (NaT: none)."""
    from msstem.outcomes._kernel import T_PIRA
    from msstem.outcomes.progression import (
        CDW_TYPE_NAMES,
        NO_DAY,
        FirstEvents,
        KernelRun,
        first_events_fixed,
        run_on_arrays,
    )

    n = arrays.n_subjects
    if kind == "first_visit":
        fe = first_events_fixed(arrays, options, reuse if isinstance(reuse, KernelRun)
                                else None)
    else:
        sub, full = _from_baseline(arrays, origin["origin_date"].to_numpy(dtype="datetime64[ns]"))
        part = run_on_arrays(sub, options).first_events()
        fe = FirstEvents(np.full(n, NO_DAY, dtype=np.int64), np.full(n, -1, dtype=np.int64),
                         np.full(n, NO_DAY, dtype=np.int64))
        fe.cdw_day[full] = part.cdw_day
        fe.cdw_type[full] = part.cdw_type
        fe.pira_day[full] = part.pira_day
    has_cdw, has_pira = fe.cdw_day != NO_DAY, fe.pira_day != NO_DAY
    # rows: every first CDW (with its type), and the first PIRA where it came later
    later_pira = has_pira & (fe.cdw_day != fe.pira_day)
    pos = np.concatenate([np.flatnonzero(has_cdw), np.flatnonzero(later_pira)])
    day = np.concatenate([fe.cdw_day[has_cdw], fe.pira_day[later_pira]])
    cdw_type = np.concatenate([fe.cdw_type[has_cdw],
                               np.full(int(later_pira.sum()), T_PIRA, dtype=np.int64)])
    order = np.lexsort((day, pos))
    pos, day, cdw_type = pos[order], day[order], cdw_type[order]
    events = pd.DataFrame({
        "id": pd.Categorical.from_codes(pos.astype(np.int32), dtype=dtype),
        "date": _ns_days(day),
        "event_type": np.full(len(pos), "CDW", dtype=object),
        "cdw_type": CDW_TYPE_NAMES[cdw_type],
    })

    def dates(days: npt.NDArray[np.int64], has: npt.NDArray[np.bool_]
              ) -> npt.NDArray[np.datetime64]:
        out = _ns_days(np.where(has, days, 0))
        out[~has] = np.datetime64("NaT")
        return out

    return events, {"CDW": dates(fe.cdw_day, has_cdw), "PIRA": dates(fe.pira_day, has_pira)}


def _from_baseline(arrays: CohortArrays, origin: npt.NDArray[np.datetime64]
                   ) -> tuple[CohortArrays, npt.NDArray[np.int64]]:
    """Visits from each subject's last visit at or before the origin; subjects without one go.

    Also returns, for each kept subject, its position in ``arrays``.
    """
    n = arrays.n_subjects
    counts = np.diff(arrays.visit_offsets)
    subj = np.repeat(np.arange(n, dtype=np.int64), counts)
    org_day = np.where(np.isnat(origin), np.iinfo(np.int32).min,
                       origin.astype("datetime64[D]").astype(np.int64)).astype(np.int64)
    at_or_before = arrays.visit_days.astype(np.int64) <= org_day[subj]
    # last visit at or before the origin, per subject (-1: none)
    base = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(at_or_before)
    if len(rows):
        np.maximum.at(base, subj[rows], rows)
    keep_subject = base >= 0
    keep = keep_subject[subj] & (np.arange(len(subj)) >= base[subj])
    kept_subj = subj[keep]
    new_n = int(keep_subject.sum())
    remap = np.cumsum(keep_subject) - 1
    vcounts = np.bincount(remap[kept_subj], minlength=new_n) if new_n else np.zeros(0, np.int64)
    voff = np.zeros(new_n + 1, dtype=np.int64)
    np.cumsum(vcounts, out=voff[1:])
    rcounts = np.diff(arrays.relapse_offsets)[keep_subject]
    roff = np.zeros(new_n + 1, dtype=np.int64)
    np.cumsum(rcounts, out=roff[1:])
    rsubj = np.repeat(np.arange(n, dtype=np.int64), np.diff(arrays.relapse_offsets))
    rkeep = keep_subject[rsubj]
    return CohortArrays(
        subject_ids=arrays.subject_ids[keep_subject],
        visit_offsets=voff,
        visit_days=np.ascontiguousarray(arrays.visit_days[keep]),
        visit_values=np.ascontiguousarray(arrays.visit_values[keep]),
        relapse_offsets=roff,
        relapse_days=np.ascontiguousarray(arrays.relapse_days[rkeep]),
        warnings=arrays.warnings,
        # The per-subject, per-relapse and per-visit extras follow the same rows.
        subject_numbers=(None if arrays.subject_numbers is None
                         else arrays.subject_numbers[keep_subject]),
        relapse_ends=(None if arrays.relapse_ends is None
                      else np.ascontiguousarray(arrays.relapse_ends[rkeep])),
        visit_can_confirm=(None if arrays.visit_can_confirm is None
                           else np.ascontiguousarray(arrays.visit_can_confirm[keep])),
    ), np.flatnonzero(keep_subject).astype(np.int64)
