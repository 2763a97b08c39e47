"""MRI and treatments tables, index dates, and the cohort the analytics share.

Tables may be CSV or Parquet paths or DataFrames; column names are configurable
(:class:`~msstem.outcomes.analytics_options.ClinicalColumns` for MRI and treatments,
:class:`~msstem.outcomes.options.ProgressionOptions` for visits and relapses). Every
problem raises :class:`~msstem.errors.DataError` naming the table, column and first
offending rows; nothing is dropped or changed silently. Subject ids are compared as text
(``1`` in one table matches ``"1"`` in another).
"""

from __future__ import annotations

import warnings
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, TypeVar

import pandas as pd

from msstem.errors import DataError, DataPolicyWarning, OptionsError
from msstem.outcomes.analytics_options import (
    NO_INDEX_GROUP,
    ArrOptions,
    ClinicalColumns,
    NedaOptions,
    SurvivalOptions,
)
from msstem.outcomes.inputs import unknown_relapses_warning
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import Source, first_rows, parse_dates, read_table, require_columns
from msstem.outcomes.tables import example as _example

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
    raw = frame[column]
    text = raw.astype("string").str.strip()
    bad = text.isna() | (text == "")
    if bad.any():
        raise DataError(f"{table}: column {column!r} has empty subject ids at {first_rows(bad)}",
                        field=column)
    return text.astype(object).rename("id")


def _check_known(ids: pd.Series[str], known: Collection[str] | None, column: str,
                 table: str) -> None:
    if known is None:
        return
    unknown = ~ids.isin(list(known))
    if unknown.any():
        example = ids[unknown].iloc[0]
        raise DataError(
            f"{table}: column {column!r} names subjects that are not in the visits table at "
            f"{first_rows(unknown)} (e.g. {_example(example)})",
            field=column,
        )


def load_dated_rows(source: Source, subject_col: str, date_col: str, table: str,
                    known: Collection[str] | None = None, *,
                    allow_empty: bool = False) -> pd.DataFrame:
    """``id`` (text) and ``date`` of every row of a visits or relapses table."""
    frame = read_table(source, table, allow_empty=allow_empty)
    require_columns(frame, [subject_col, date_col], table)
    ids = _subject_ids(frame, subject_col, table)
    _check_known(ids, known, subject_col, table)
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
             known: Collection[str] | None = None) -> pd.DataFrame:
    """MRI scans as ``id, date, new_t2, gd, active``.

    A count may be missing (e.g. no contrast given: ``gd`` empty) but not both; a scan is
    *active* when any count it has is above 0.
    """
    cols = columns or ClinicalColumns()
    table = "mri"
    frame = read_table(source, table)
    require_columns(frame, [cols.mri_subject_col, cols.mri_date_col, cols.new_t2_col,
                            cols.gd_col], table)
    ids = _subject_ids(frame, cols.mri_subject_col, table)
    _check_known(ids, known, cols.mri_subject_col, table)
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
                    known: Collection[str] | None = None) -> pd.DataFrame:
    """Treatment starts as ``id, start, therapy, group`` (``group`` is None without the column)."""
    cols = columns or ClinicalColumns()
    table = "treatments"
    frame = read_table(source, table)
    require_columns(frame, [cols.treatment_subject_col, cols.treatment_start_col,
                            cols.therapy_col], table)
    ids = _subject_ids(frame, cols.treatment_subject_col, table)
    _check_known(ids, known, cols.treatment_subject_col, table)
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
    visits: pd.DataFrame
    relapses: pd.DataFrame
    origin_kind: OriginKind
    events: pd.DataFrame | None = None
    progression_options: ProgressionOptions | None = None
    index_therapy: str | None = None
    warnings: tuple[str, ...] = ()

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
        ev = self.events
        mask = ev["event_type"] == "CDW"
        if kind == "PIRA":
            mask &= ev["cdw_type"] == "PIRA"
        hits = ev.loc[mask, ["id", "date"]].merge(self.origin[["id", "origin_date"]], on="id")
        hits = hits[hits["date"] > hits["origin_date"]]
        return hits.groupby("id", sort=True)["date"].min().reset_index()


def _origin_frame(visits: pd.DataFrame, treatments: pd.DataFrame | None,
                  index_therapy: str | None) -> tuple[pd.DataFrame, OriginKind]:
    subjects = pd.unique(visits["id"])
    if treatments is None:
        if index_therapy is not None:
            raise OptionsError("index_therapy: needs a treatments table", field="index_therapy")
        first = visits.groupby("id", sort=False)["date"].min()
        origin = pd.DataFrame({"id": subjects,
                               "origin_date": first.reindex(list(subjects)).to_numpy(),
                               "group": "all", "reason": ""})
        kind: OriginKind = "first_visit"
    else:
        idx = index_dates(treatments, list(subjects), index_therapy)
        origin = idx.rename(columns={"index_date": "origin_date"})[
            ["id", "origin_date", "group", "reason"]]
        kind = "index"
    with_origin = visits.merge(origin[["id", "origin_date"]], on="id")
    at_or_before = with_origin[with_origin["date"] <= with_origin["origin_date"]]
    origin["has_baseline"] = origin["id"].isin(set(at_or_before["id"]))
    return origin, kind


def build_cohort(visits: Source, relapses: Source | None, treatments: Source | None = None,
                 *, progression: ProgressionOptions | None = None,
                 index_therapy: str | None = None, columns: ClinicalColumns | None = None,
                 run_progression: bool = True) -> IndexedCohort:
    """Load the tables, place every subject on one time axis and find worsening after it.

    The origin is the index date from ``treatments`` (see :func:`index_dates`) or, without a
    treatments table, the first visit. Progression is detected by
    :func:`msstem.outcomes.progression.detect_progression` on each subject's visits from
    the last visit at or before the origin, with :func:`cohort_progression_options`.
    """
    popts = progression or ProgressionOptions()
    visits_raw = read_table(visits, "visits")
    vis = load_dated_rows(visits_raw, popts.subject_col, popts.date_col, "visits")
    known = set(vis["id"])
    warnings: list[str] = []
    if relapses is None:
        rel = pd.DataFrame({"id": pd.Series(dtype=object),
                            "date": pd.Series(dtype="datetime64[ns]")})
        rel_raw: pd.DataFrame | None = None
    else:
        rel_raw = read_table(relapses, "relapses", allow_empty=True)  # no relapses: fine
        rel = load_dated_rows(rel_raw, popts.relapse_subject_col, popts.relapse_date_col,
                              "relapses", allow_empty=True)
        unknown = ~rel["id"].isin(known)
        if unknown.any():
            if popts.unknown_relapse_subjects == "error":
                _check_known(rel["id"], known, popts.relapse_subject_col, "relapses")
            warnings.append(unknown_relapses_warning(rel.loc[unknown, "id"].to_numpy()))
            rel = rel[~unknown].reset_index(drop=True)
    trt = None if treatments is None else load_treatments(treatments, columns, known)
    origin, kind = _origin_frame(vis, trt, index_therapy)
    events = None
    copts = None
    if run_progression:
        copts = cohort_progression_options(popts)
        events = _events_after_origin(visits_raw, vis, rel_raw, rel, origin, copts)
    return IndexedCohort(origin=origin, visits=vis, relapses=rel, origin_kind=kind,
                         events=events, progression_options=copts,
                         index_therapy=index_therapy, warnings=tuple(warnings))


def _events_after_origin(visits_raw: pd.DataFrame, vis: pd.DataFrame,
                         rel_raw: pd.DataFrame | None, rel: pd.DataFrame,
                         origin: pd.DataFrame, options: ProgressionOptions) -> pd.DataFrame:
    from msstem.outcomes.progression import detect_progression

    # Baseline = each subject's last visit at or before the origin; visits before it go.
    dated = vis.assign(row=range(len(vis))).merge(origin[["id", "origin_date"]], on="id")
    before = dated[dated["date"] <= dated["origin_date"]]
    baseline = before.groupby("id")["date"].max().rename("baseline_date")
    dated = dated.merge(baseline, on="id")
    keep_rows = dated.loc[dated["date"] >= dated["baseline_date"], "row"].to_numpy()
    empty = pd.DataFrame({"id": pd.Series(dtype=object),
                          "date": pd.Series(dtype="datetime64[ns]"),
                          "event_type": pd.Series(dtype=object),
                          "cdw_type": pd.Series(dtype=object)})
    if len(keep_rows) == 0:
        return empty
    kept = visits_raw.iloc[sorted(keep_rows)]
    kept_ids = set(baseline.index)
    rel_kept = None
    if rel_raw is not None:
        rel_ids = rel_raw[options.relapse_subject_col].astype("string").str.strip()
        rel_mask = rel_ids.isin(kept_ids).to_numpy()
        if rel_mask.any():
            rel_kept = rel_raw.loc[rel_mask]
    # The cohort reports its own policy warnings; this internal run would only repeat them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataPolicyWarning)
        result = detect_progression(kept, rel_kept, options)
    events = result.events.copy()
    events["id"] = events["id"].astype("string").str.strip().astype(object)
    for col in ("date", "baseline_date", "confirmation_date"):
        if col in events.columns:
            events[col] = pd.to_datetime(events[col])
    return events
