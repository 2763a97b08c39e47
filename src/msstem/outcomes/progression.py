"""Confirmed disability worsening (CDW) and improvement (CDI), with RAW/PIRA classification.

Public entry point: :func:`detect_progression`. The algorithm is msprog's (Montobbio et al.,
Mult Scler 2024; source id ``montobbio-2024-msprog``), run by a compiled kernel over all
subjects at once (``_kernel.py``). With ``pymsprog_compat=True`` the events equal pymsprog
1.0.7's; the default mode differs only where pymsprog is wrong, as documented in
``docs/outcomes-progression.md``.
"""

from __future__ import annotations

import itertools
import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.base import Result
from msstem.errors import DataError, DataPolicyWarning, OptionsError
from msstem.outcomes import _kernel as K
from msstem.outcomes.columnar import Col, id_dictionary, to_arrow, to_pandas
from msstem.outcomes.deltas import compute_delta
from msstem.outcomes.inputs import CohortArrays, load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import Source

__all__ = [
    "CDW_TYPE_NAMES",
    "EVENT_COLUMNS",
    "NO_DAY",
    "SUMMARY_COLUMNS",
    "UNCONFIRMED_COLUMNS",
    "FirstEvents",
    "KernelRun",
    "ProgressionResult",
    "detect_on_arrays",
    "detect_progression",
    "first_events_fixed",
    "kernel_rules",
    "run_on_arrays",
    "subset_cohort",
    "visit_deltas",
]

EVENT_COLUMNS: Final = (
    "id",
    "event_index",
    "event_type",
    "cdw_type",
    "date",
    "value",
    "baseline_date",
    "baseline_value",
    "confirmation_date",
    "confirmation_value",
    "pira_confirmation_date",
    "pira_confirmation_value",
    "total_fu",
    "time2event",
    "bl2event",
    "sust_days",
    "sust_last",
)
UNCONFIRMED_COLUMNS: Final = (
    "id",
    "date",
    "value",
    "baseline_date",
    "baseline_value",
    "closest_rel_before",
    "closest_rel_after",
    "reason",
)
#: Why a change is in the unconfirmed table.
_UNCONFIRMED_REASON = np.array(["", "not confirmed", "confirmed but not sustained"], dtype=object)
SUMMARY_COLUMNS: Final = ("id", "CDW", "CDI", "RAW", "PIRA", "event_sequence")

_MODES: Final = {
    "firstCDW": K.MODE_FIRSTCDW,
    "firstCDI": K.MODE_FIRSTCDI,
    "first": K.MODE_FIRST,
    "firstPIRA": K.MODE_FIRSTPIRA,
    "firstRAW": K.MODE_FIRSTRAW,
    "multiple": K.MODE_MULTIPLE,
}
# kernel type code -> (event_type, cdw_type, word in event_sequence)
_TYPE_EVENT = np.array(["CDI", "CDW", "CDW", "CDW"], dtype=object)
_TYPE_CDW = np.array(["", "RAW", "PIRA", "undefined"], dtype=object)
#: ``cdw_type`` of each kernel type code.
CDW_TYPE_NAMES: Final = _TYPE_CDW
_TYPE_WORD = np.array(["CDI", "RAW", "PIRA", "CDW"], dtype=object)

DeltaFun = Callable[[float], float]


def _version() -> str:
    from msstem import __version__

    return str(__version__)


@dataclass(frozen=True)
class ProgressionResult(Result):
    """Events and per-subject summary, with the options and msstem version that made them."""

    events: pd.DataFrame
    summary: pd.DataFrame
    options: ProgressionOptions
    msstem_version: str = field(default_factory=_version)
    warnings: tuple[str, ...] = ()
    #: Every change from the reference that was not confirmed, or confirmed but not
    #: sustained (msprog's ``unconfirmed``), in detection order per subject.
    unconfirmed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(UNCONFIRMED_COLUMNS)))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the result by file stem: events, summary, unconfirmed."""
        return {"events": self.events, "summary": self.summary, "unconfirmed": self.unconfirmed}

    def methods_text(self) -> str:
        """A plain-English paragraph of the criteria used, for a paper's methods section."""
        from msstem.outcomes.methods import methods_text

        return methods_text(self.options)

    def to_csv(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``events.csv`` and ``summary.csv`` (dates as YYYY-MM-DD) into ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        ev_path, su_path = out / "events.csv", out / "summary.csv"
        self.events.to_csv(ev_path, index=False, date_format="%Y-%m-%d")
        self.summary.to_csv(su_path, index=False)
        return ev_path, su_path

    def to_parquet(self, directory: str | Path) -> tuple[Path, Path]:
        """Write ``events.parquet`` and ``summary.parquet`` into ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        ev_path, su_path = out / "events.parquet", out / "summary.parquet"
        self.events.to_parquet(ev_path, index=False)
        self.summary.to_parquet(su_path, index=False)
        return ev_path, su_path

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: options, version, warnings, and the two tables as records."""
        events = self.events.copy()
        for col in ("date", "baseline_date", "confirmation_date", "pira_confirmation_date"):
            events[col] = events[col].dt.strftime("%Y-%m-%d").astype(object)
        events = events.astype(object).where(events.notna(), None)
        unconfirmed = self.unconfirmed.copy()
        for col in ("date", "baseline_date"):
            unconfirmed[col] = pd.to_datetime(unconfirmed[col]).dt.strftime("%Y-%m-%d")
        unconfirmed = unconfirmed.astype(object).where(unconfirmed.notna(), None)
        return {
            "msstem_version": self.msstem_version,
            "options": self.options.to_dict(),
            "warnings": list(self.warnings),
            "methods": self.methods_text(),
            "events": events.to_dict(orient="records"),
            "summary": self.summary.to_dict(orient="records"),
            "unconfirmed": unconfirmed.to_dict(orient="records"),
        }

    def _repr_html_(self) -> str:
        head = (
            f"<p>msstem {self.msstem_version}: {len(self.summary)} subjects, "
            f"{len(self.events)} events (event={self.options.event}, "
            f"baseline={self.options.baseline})</p>"
        )
        return head + str(self.events.head(20).to_html(index=False))


def _delta_per_visit(
    values: npt.NDArray[np.float64], opts: ProgressionOptions, delta_fun: DeltaFun | None
) -> npt.NDArray[np.float64]:
    """The minimum change that applies when each visit is the reference."""
    if delta_fun is None:
        if opts.outcome == "custom":
            raise OptionsError(
                "outcome: 'custom' needs a delta_fun (the minimum meaningful change from a "
                "reference value)",
                field="outcome",
            )
        return compute_delta(values, opts.outcome)
    uniq, inverse = np.unique(values, return_inverse=True)
    table = np.empty(len(uniq), dtype=np.float64)
    for i, ref in enumerate(uniq):
        d = float(delta_fun(float(ref)))
        if not math.isfinite(d) or d < 0:
            raise OptionsError(
                f"delta_fun: returned {d!r} for reference value {float(ref)!r}; it must "
                "return a finite number >= 0",
                field="delta_fun",
            )
        table[i] = d
    out: npt.NDArray[np.float64] = table[inverse.reshape(-1)]
    return out


def visit_deltas(cohort: CohortArrays, options: ProgressionOptions,
                 delta_fun: DeltaFun | None = None) -> npt.NDArray[np.float64]:
    """The minimum change that applies when each visit of ``cohort`` is the reference (it
    depends on the outcome and ``delta_fun`` only)."""
    return _delta_per_visit(cohort.visit_values, options, delta_fun)


def kernel_rules(opts: ProgressionOptions) -> tuple[K.KernelRules, K.KernelWindows]:
    """The kernel's settings, derived from the options."""
    left, right = opts.conf_tol_days
    # msprog: window for period c is [int(c) - left, int(c) + right] days after onset.
    lo = np.array([int(c) - left for c in opts.conf_days], dtype=np.float64)
    hi = np.array([int(c) + right for c in opts.conf_days], dtype=np.float64)
    windows = np.full((3, 2), np.nan, dtype=np.float64)
    for row, name in enumerate(("prec", "event", "conf")):
        for col, end in enumerate(getattr(opts.relapse_indep, name)):
            if end is not None:
                windows[row, col] = end

    ends = opts.relapse_end_col is not None

    def pair(value: tuple[float, float], to_end: bool = False) -> tuple[float, float]:
        # msprog: with relapse end dates, a non-zero minimum distance from the last relapse
        # becomes "outside that relapse" (the kernel marks visits after its end with inf).
        after = math.inf if (to_end and ends and value[0] > 0) else float(value[0])
        return after, float(value[1])

    indep = opts.relapse_indep

    return K.KernelRules(
        worse_is_increase=opts.worsening_direction == "increase",
        onset_on_any_change=opts.sub_threshold_rebl != "none",
        subthreshold_improvement=opts.sub_threshold_rebl in ("event", "improvement"),
        subthreshold_worsening=opts.sub_threshold_rebl in ("event", "worsening"),
        rebaseline_after_cdi=opts.baseline in ("roving", "roving_impr"),
        rebaseline_after_cdw=opts.baseline in ("roving", "roving_wors"),
        proceed_from_confirmation=opts.proceed_from == "firstconf",
        mode=_MODES[opts.event],
        classify_raw_pira=opts.classifies_raw_pira,
        # msprog ignores bl_geq unless relapse_rebl is on (bug); the default mode honours it.
        bl_geq=opts.bl_geq and (opts.relapse_rebl or not opts.pymsprog_compat),
        relapse_rebl=opts.relapse_rebl,
        skip_local_extrema={"none": K.SKIP_NONE, "strict": K.SKIP_STRICT,
                            "all": K.SKIP_ALL}[opts.skip_local_extrema],
        check_intermediate=opts.check_intermediate,
        impute_last_visit=opts.impute_last_visit >= 1,
        # msprog: a value <= 1 is a probability with no follow-up limit; > 1 is a limit in days.
        impute_max_follow_up=(math.inf if opts.impute_last_visit <= 1
                              else float(opts.impute_last_visit)),
        require_sust_days=float(opts.require_sust_days),
        pymsprog_compat=opts.pymsprog_compat,
        prec_type={"baseline": K.PREC_BASELINE, "last": K.PREC_LAST,
                   "last_delta": K.PREC_LAST_DELTA}[opts.relapse_indep.prec_type],
        relapse_to_bl=pair(opts.relapse_to_bl, to_end=True),
        relapse_to_event=pair(opts.relapse_to_event, to_end=True),
        relapse_to_conf=pair(opts.relapse_to_conf, to_end=True),
        relapse_assoc=pair(opts.relapse_assoc),
        conf_reach=float(hi.max()),
        relapse_end_dates=ends,
        pira_from_end_dates=ends and indep.use_end_dates,
        pira_event_after=float(indep.event[1] or 0.0),
        pira_conf_after=float(indep.conf[1] or 0.0),
    ), K.KernelWindows(conf_lo=lo, conf_hi=hi, pira=windows)


#: Cohorts with fewer visits than this run on one thread (threads cost more than they save).
THREAD_MIN_VISITS = 200_000


def kernel_threads(n_visits: int) -> int:
    """Threads for the kernel: the CPUs this process may use (``MSSTEM_THREADS`` caps it)."""
    if n_visits < THREAD_MIN_VISITS:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    wanted = os.environ.get("MSSTEM_THREADS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cpus = min(cpus, int(wanted))
    return max(1, min(cpus, 8))


def _scan(cohort: CohortArrays, arrays: Any, rules: Any, windows: Any, first: int, last: int,
          cap: int) -> tuple[list[Any], list[Any]]:
    """Events and unconfirmed changes of subjects ``first..last-1``: the kernel, resumed with
    larger buffers when full."""
    chunks: list[Any] = []
    uchunks: list[Any] = []
    ucap = max(1024, 2 * cap)
    start = first
    while start < last:
        bufs = K.new_events(cap)
        ubufs = K.new_unconfirmed(ucap)
        nxt, written, uwritten, status = K.progression_kernel(
            start, last, arrays, rules, windows, bufs, ubufs)
        if status == K.STATUS_RUNAWAY:
            raise DataError(
                f"visits: the event search for subject {cohort.subject_ids[nxt]!r} did not "
                "finish; please report this with the subject's data",
                field="visits",
            )
        chunks.append(K.KernelEvents(*(b[:written] for b in bufs)))
        uchunks.append(K.KernelUnconfirmed(*(b[:uwritten] for b in ubufs)))
        if status == K.STATUS_OK:
            break
        start = nxt
        n_next = int(cohort.visit_offsets[nxt + 1] - cohort.visit_offsets[nxt])
        r_next = int(cohort.relapse_offsets[nxt + 1] - cohort.relapse_offsets[nxt])
        cap = max(cap * 2, n_next)
        ucap = max(ucap * 2, 8 * n_next * (r_next + 2) + 64)
    return chunks, uchunks


def _run_kernel(cohort: CohortArrays, deltas: npt.NDArray[np.float64],
                opts: ProgressionOptions,
                threads: int | None = None) -> dict[str, npt.NDArray[Any]]:
    rules, windows = kernel_rules(opts)
    ends = cohort.relapse_ends if cohort.relapse_ends is not None else cohort.relapse_days
    can_confirm = (cohort.visit_can_confirm if cohort.visit_can_confirm is not None
                   else np.ones(len(cohort.visit_days), dtype=np.bool_))
    arrays = K.KernelCohort(cohort.visit_offsets, cohort.visit_days, cohort.visit_values,
                            deltas, cohort.relapse_offsets, cohort.relapse_days,
                            np.ascontiguousarray(ends, dtype=np.int32),
                            np.ascontiguousarray(can_confirm, dtype=np.bool_))
    n_vis = len(cohort.visit_days)
    n_sub = cohort.n_subjects
    threads = kernel_threads(n_vis) if threads is None else max(1, threads)
    # Subjects are independent: split them into ranges of about equal visits, one per thread
    # (the kernel is compiled nogil), and concatenate the events in subject order.
    cuts = np.searchsorted(cohort.visit_offsets, np.linspace(0, n_vis, threads + 1)[1:-1])
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < n_sub}), n_sub]
    ranges = list(itertools.pairwise(bounds))
    # events <= visits; start at an eighth (typical cohorts have far fewer) and grow
    caps = [max(1024, int(cohort.visit_offsets[b] - cohort.visit_offsets[a]) // 8)
            for a, b in ranges]
    if len(ranges) == 1:
        parts = [_scan(cohort, arrays, rules, windows, 0, n_sub, caps[0])]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(ranges)) as pool:
            parts = list(pool.map(lambda job: _scan(cohort, arrays, rules, windows, *job),
                                  [(a, b, c) for (a, b), c in zip(ranges, caps, strict=True)]))
    chunks = [c for part, _ in parts for c in part]
    uchunks = [c for _, part in parts for c in part]
    names = ("subj", "nev", "type", "onset", "bl", "blv", "conf", "pconf", "sust")
    raw = {name: np.concatenate([c[i] for c in chunks]) for i, name in enumerate(names)}
    unames = ("u_subj", "u_onset", "u_bl", "u_blv", "u_reason")
    raw.update({name: np.concatenate([c[i] for c in uchunks]) for i, name in enumerate(unames)})
    return raw


def _visit_days_at(vdays: npt.NDArray[np.int32], idx: npt.NDArray[np.int64]) -> Col:
    """Days of the visits at ``idx`` (missing where idx is -1)."""
    has = idx >= 0
    return Col("day", np.where(has, vdays[np.where(has, idx, 0)].astype(np.int64), 0),
               mask=~has)


def _visit_values_at(values: npt.NDArray[np.float64], idx: npt.NDArray[np.int64]) -> Col:
    has = idx >= 0
    return Col("float", np.where(has, values[np.where(has, idx, 0)], np.nan), mask=~has)


def event_columns(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                  classified: bool) -> dict[str, Col]:
    """The events table as typed columns (:mod:`msstem.outcomes.columnar`)."""
    vdays = cohort.visit_days  # int32: gathered first, widened after
    values = cohort.visit_values
    typ = raw["type"]
    subj = raw["subj"]
    onset = raw["onset"]
    first_day = vdays[cohort.visit_offsets[:-1][subj]].astype(np.int64)
    last_day = vdays[cohort.visit_offsets[1:][subj] - 1].astype(np.int64)
    onset_day = vdays[onset].astype(np.int64)
    bl_day = vdays[raw["bl"]].astype(np.int64)
    sust = raw["sust"]
    # Without RAW/PIRA classification a CDW is not "undefined", it is unclassified: leave the
    # column empty rather than suggest a classification that was never made.
    cdw_codes = typ if classified else np.zeros(len(typ), dtype=np.int64)
    columns = {
        "id": Col("id", subj),
        "event_index": Col("int", raw["nev"].astype(np.int64)),
        "event_type": Col("label", typ, labels=_TYPE_EVENT),
        "cdw_type": Col("label", cdw_codes, labels=_TYPE_CDW),
        "date": Col("day", onset_day),
        "value": Col("float", values[onset]),
        "baseline_date": Col("day", bl_day),
        "baseline_value": Col("float", raw["blv"]),
        "confirmation_date": _visit_days_at(vdays, raw["conf"]),
        "confirmation_value": _visit_values_at(values, raw["conf"]),
        "pira_confirmation_date": _visit_days_at(vdays, raw["pconf"]),
        "pira_confirmation_value": _visit_values_at(values, raw["pconf"]),
        # msprog's results columns, in days
        "total_fu": Col("int", (last_day - first_day).astype(np.int64)),
        "time2event": Col("int", (onset_day - first_day).astype(np.int64)),
        "bl2event": Col("int", (onset_day - bl_day).astype(np.int64)),
        "sust_days": Col("int", vdays[sust].astype(np.int64) - onset_day),
        "sust_last": Col("bool", sust == cohort.visit_offsets[1:][subj] - 1),
    }
    assert tuple(columns) == EVENT_COLUMNS
    return columns


def _relapse_distances(cohort: CohortArrays, subj: npt.NDArray[np.int64],
                       days: npt.NDArray[np.int64], opts: ProgressionOptions,
                       ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Days since the last relapse onset on or before each (subject, day), and to the next
    on or after it (NaN: none), with the relapses the kernel used."""
    roff = cohort.relapse_offsets
    rdays = cohort.relapse_days.astype(np.int64)
    rsub = np.repeat(np.arange(cohort.n_subjects, dtype=np.int64), np.diff(roff))
    if opts.pymsprog_compat:  # pymsprog drops relapses before first visit - relapse_to_bl
        first = cohort.visit_days[cohort.visit_offsets[:-1]].astype(np.int64)
        keep = rdays >= first[rsub] - opts.relapse_to_bl[0]
        rdays, rsub = rdays[keep], rsub[keep]
    before = np.full(len(days), np.nan)
    after = np.full(len(days), np.nan)
    if len(rdays) == 0 or len(days) == 0:
        return before, after
    base = min(int(rdays.min()), int(days.min()))
    span = np.int64(1) << np.int64(33)
    key_r = rsub * span + (rdays - base)
    key_q = subj * span + (days - base)
    i = np.searchsorted(key_r, key_q, side="right") - 1
    ok = (i >= 0) & (rsub[np.maximum(i, 0)] == subj)
    before[ok] = days[ok] - rdays[i[ok]]
    j = np.searchsorted(key_r, key_q, side="left")
    jc = np.minimum(j, len(rdays) - 1)
    ok = (j < len(rdays)) & (rsub[jc] == subj)
    after[ok] = rdays[jc[ok]] - days[ok]
    return before, after


def unconfirmed_columns(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                        opts: ProgressionOptions) -> dict[str, Col]:
    """The unconfirmed table as typed columns."""
    vdays = cohort.visit_days
    subj, onset = raw["u_subj"], raw["u_onset"]
    onset_day = vdays[onset].astype(np.int64)
    before, after = _relapse_distances(cohort, subj, onset_day, opts)
    columns = {
        "id": Col("id", subj),
        "date": Col("day", onset_day),
        "value": Col("float", cohort.visit_values[onset]),
        "baseline_date": Col("day", vdays[raw["u_bl"]].astype(np.int64)),
        "baseline_value": Col("float", raw["u_blv"]),
        "closest_rel_before": Col("float", before),
        "closest_rel_after": Col("float", after),
        "reason": Col("label", raw["u_reason"], labels=_UNCONFIRMED_REASON),
    }
    assert tuple(columns) == UNCONFIRMED_COLUMNS
    return columns


def _sequences(typ: npt.NDArray[np.int64], nev: npt.NDArray[np.int64],
               starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
               ) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """'CDI, PIRA'-style text per run of events: (code of each run, the distinct texts).

    Each run is encoded as a base-5 number (digit = type + 1, position = event index), so a
    million subjects need only as many string joins as there are distinct sequences.
    """
    max_digits = 27  # 5**27 < 2**64
    lengths = ends - starts
    codes = np.empty(len(starts), dtype=np.int64)
    short = lengths <= max_digits
    pos = (nev - 1).astype(np.uint64)
    digits = (typ + 1).astype(np.uint64) * (np.uint64(5) ** np.minimum(pos, max_digits - 1))
    keys = np.add.reduceat(digits, starts) if len(starts) else digits[:0]
    uniq, inverse = np.unique(keys[short], return_inverse=True)
    words = []
    for key in uniq:
        k, parts = int(key), []
        while k:
            k, d = divmod(k, 5)
            parts.append(str(_TYPE_WORD[d - 1]))
        words.append(", ".join(parts))
    codes[short] = inverse.reshape(-1)
    for i in np.flatnonzero(~short):  # very long sequences: join directly
        codes[i] = len(words)
        words.append(", ".join(_TYPE_WORD[typ[starts[i]:ends[i]]]))
    return codes, np.array(words, dtype=object)


def summary_columns(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                    classified: bool) -> dict[str, Col]:
    """The per-subject summary as typed columns."""
    n = cohort.n_subjects
    subj, typ = raw["subj"], raw["type"]
    counts = np.zeros((n, 4), dtype=np.int64)
    np.add.at(counts, (subj, typ), 1)
    sequence = np.zeros(n, dtype=np.int64)  # code 0: no events, ""
    words = np.array([""], dtype=object)
    if len(subj):
        starts = np.flatnonzero(np.r_[True, subj[1:] != subj[:-1]])
        ends = np.r_[starts[1:], len(subj)]
        codes, texts = _sequences(typ, raw["nev"], starts, ends)
        sequence[subj[starts]] = codes + 1
        words = np.concatenate([words, texts])
    # Unknown (not zero) when RAW/PIRA classification was off.
    unknown = None if classified else np.ones(n, dtype=bool)
    columns = {
        "id": Col("id", np.arange(n, dtype=np.int64)),
        "CDW": Col("int", counts[:, 1:].sum(axis=1)),
        "CDI": Col("int", counts[:, 0]),
        "RAW": Col("int", counts[:, 1] if classified else np.zeros(n, np.int64), mask=unknown),
        "PIRA": Col("int", counts[:, 2] if classified else np.zeros(n, np.int64),
                    mask=unknown),
        "event_sequence": Col("label", sequence, labels=words),
    }
    assert tuple(columns) == SUMMARY_COLUMNS
    return columns


def detect_progression(
    visits: Source,
    relapses: Source | None = None,
    options: ProgressionOptions | None = None,
    *,
    delta_fun: DeltaFun | None = None,
) -> ProgressionResult:
    """Detect confirmed worsening/improvement events for every subject.

    ``visits``: DataFrame or CSV/Parquet path with subject, date and value columns (names in
    ``options``). ``relapses``: the same for relapse onsets, or None. ``delta_fun``: a custom
    minimum meaningful change ``f(reference) -> delta`` (required for ``outcome='custom'``;
    it overrides the built-in rule for the other outcomes). Raises DataError for bad input
    and OptionsError for bad settings.
    """
    opts = options if options is not None else ProgressionOptions()
    if not isinstance(opts, ProgressionOptions):
        raise OptionsError("options: expected a ProgressionOptions object", field="options")
    cohort = load_cohort(visits, relapses, opts)
    # The result keeps the messages; Python callers also get them as warnings, so a chosen
    # policy (keep_last duplicates, dropped relapse subjects) is never silent.
    for message in cohort.warnings:
        warnings.warn(message, DataPolicyWarning, stacklevel=2)
    return detect_on_arrays(cohort, opts, delta_fun=delta_fun)


def detect_on_arrays(cohort: CohortArrays, options: ProgressionOptions, *,
                     delta_fun: DeltaFun | None = None) -> ProgressionResult:
    """:func:`detect_progression` on a cohort already loaded by
    :func:`~msstem.outcomes.inputs.load_cohort` (read and validated once, run many times)."""
    return run_on_arrays(cohort, options, delta_fun=delta_fun).result()


def run_on_arrays(cohort: CohortArrays, options: ProgressionOptions, *,
                  delta_fun: DeltaFun | None = None,
                  deltas: npt.NDArray[np.float64] | None = None,
                  threads: int | None = None) -> KernelRun:
    """The kernel over a loaded cohort; the tables are built from the run on demand.

    ``deltas``: each visit's minimum change (:func:`visit_deltas`), when several runs share
    the cohort and the outcome. ``threads``: how many threads scan the subjects (default:
    :func:`kernel_threads`).
    """
    if deltas is None:
        deltas = _delta_per_visit(cohort.visit_values, options, delta_fun)
    raw = _run_kernel(cohort, deltas, options, threads)
    del deltas
    return KernelRun(cohort=cohort, options=options, raw=raw,
                     custom_delta=delta_fun is not None)


#: "No such event" in arrays of day numbers.
NO_DAY: Final = np.int64(np.iinfo(np.int64).min)


@dataclass(frozen=True)
class FirstEvents:
    """Per subject of a cohort: the day of the first CDW (:data:`NO_DAY`: none), that CDW's
    kernel type (``K.T_RAW``, ``K.T_PIRA``, ``K.T_CDW``; -1: none) and the day of the
    first PIRA."""

    cdw_day: npt.NDArray[np.int64]
    cdw_type: npt.NDArray[np.int64]
    pira_day: npt.NDArray[np.int64]


def _first_rows(subj: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_],
                n: int) -> npt.NDArray[np.int64]:
    """Per subject (0..n-1), the first row of ``subj`` (sorted) where ``mask`` holds; -1."""
    rows = np.flatnonzero(mask)
    out = np.full(n, -1, dtype=np.int64)
    if len(rows):
        owners = subj[rows]
        head = np.r_[True, owners[1:] != owners[:-1]]
        out[owners[head]] = rows[head]
    return out


@dataclass(frozen=True)
class KernelRun:
    """One run of the kernel over a loaded cohort: its raw output (events and unconfirmed
    changes as visit indices), from which the tables are built: as pandas DataFrames
    (:meth:`result`, what the library returns) or straight into Arrow (:meth:`arrow_tables`,
    what the command writes; the same values)."""

    cohort: CohortArrays
    options: ProgressionOptions
    raw: dict[str, npt.NDArray[Any]]
    custom_delta: bool = False

    def columns(self) -> dict[str, dict[str, Col]]:
        """Every table (events, summary, unconfirmed) as typed columns."""
        classified = self.options.classifies_raw_pira
        return {"events": event_columns(self.cohort, self.raw, classified),
                "summary": summary_columns(self.cohort, self.raw, classified),
                "unconfirmed": unconfirmed_columns(self.cohort, self.raw, self.options)}

    def result(self) -> ProgressionResult:
        tables = {name: to_pandas(cols, self.cohort.subject_ids)
                  for name, cols in self.columns().items()}
        return ProgressionResult(events=tables["events"], summary=tables["summary"],
                                 unconfirmed=tables["unconfirmed"], options=self.options,
                                 warnings=self.cohort.warnings)

    @cached_property
    def ids(self) -> Any:
        """The cohort's subject ids as an Arrow string array."""
        return id_dictionary(self.cohort.subject_ids, self.cohort.subject_numbers)

    def arrow_tables(self) -> dict[str, Any]:
        """The tables of :meth:`result` as Arrow tables (no Python object per row)."""
        return {name: to_arrow(cols, self.ids) for name, cols in self.columns().items()}

    def first_events(self) -> FirstEvents:
        """Each subject's first CDW and first PIRA of this run."""
        n = self.cohort.n_subjects
        subj, typ = self.raw["subj"], self.raw["type"]
        cdw_row = _first_rows(subj, typ != K.T_CDI, n)
        pira_row = _first_rows(subj, typ == K.T_PIRA, n)
        return FirstEvents(cdw_day=self._days_at(cdw_row),
                           cdw_type=np.where(cdw_row >= 0, typ[np.maximum(cdw_row, 0)]
                                             if len(subj) else 0, -1).astype(np.int64),
                           pira_day=self._days_at(pira_row))

    def _days_at(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Onset day of each event row (:data:`NO_DAY` where the row is -1)."""
        out = np.full(len(rows), NO_DAY, dtype=np.int64)
        has = rows >= 0
        out[has] = self.cohort.visit_days[self.raw["onset"][rows[has]]]
        return out


def _ranges(starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]
            ) -> npt.NDArray[np.int64]:
    """The rows ``starts[i] .. starts[i] + counts[i] - 1`` for every i, concatenated."""
    total = int(counts.sum())
    before = np.cumsum(counts) - counts
    return np.repeat(starts - before, counts) + np.arange(total, dtype=np.int64)


def subset_cohort(cohort: CohortArrays, subjects: npt.NDArray[np.int64]) -> CohortArrays:
    """The cohort of only ``subjects`` (positions, increasing), every column kept."""
    voff, roff = cohort.visit_offsets, cohort.relapse_offsets
    vcounts = (voff[subjects + 1] - voff[subjects]).astype(np.int64)
    rcounts = (roff[subjects + 1] - roff[subjects]).astype(np.int64)
    vrows = _ranges(voff[subjects], vcounts)
    rrows = _ranges(roff[subjects], rcounts)

    def offsets(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        out = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        return out

    return CohortArrays(
        subject_ids=cohort.subject_ids[subjects],
        visit_offsets=offsets(vcounts),
        visit_days=np.ascontiguousarray(cohort.visit_days[vrows]),
        visit_values=np.ascontiguousarray(cohort.visit_values[vrows]),
        relapse_offsets=offsets(rcounts),
        relapse_days=np.ascontiguousarray(cohort.relapse_days[rrows]),
        warnings=cohort.warnings,
        subject_numbers=(None if cohort.subject_numbers is None
                         else cohort.subject_numbers[subjects]),
        relapse_ends=None if cohort.relapse_ends is None else cohort.relapse_ends[rrows],
        visit_can_confirm=(None if cohort.visit_can_confirm is None
                           else cohort.visit_can_confirm[vrows]),
    )


def _derivable(given: ProgressionOptions, fixed: ProgressionOptions) -> bool:
    """Whether a roving-baseline run with ``given`` settings shows, subject by subject, where
    the run with ``fixed`` (the same settings, baseline fixed) would differ.

    The two runs differ only in re-baselining after a confirmed change, so they take the
    same steps up to each subject's first recorded event or confirmed-but-unsustained change
    (the kernel's only branches that read the baseline scheme, once sub-threshold and
    relapse re-baselining are off); the runs must both keep every event and classify them.
    """
    if given.event != "multiple" or not given.classifies_raw_pira:
        return False
    if given.sub_threshold_rebl != "none" or given.relapse_rebl:
        return False
    if given.baseline not in ("roving", "roving_impr", "roving_wors"):
        return False
    return ProgressionOptions(**{**dict(given), "baseline": "fixed"}) == fixed


def first_events_fixed(cohort: CohortArrays, fixed: ProgressionOptions,
                       reuse: KernelRun | None = None) -> FirstEvents:
    """Each subject's first CDW and first PIRA from a fixed baseline at the first visit.

    ``fixed``: the settings (``baseline='fixed'``, every event kept, RAW/PIRA classified).
    ``reuse``: a run over the same cohort: with exactly these settings it is the answer;
    with a roving baseline and otherwise the same settings (:func:`_derivable`) it gives the
    answer for every subject whose first recorded step is a PIRA or who has none, and the
    kernel runs again only for the others. The result equals a full run with ``fixed``
    (tests/outcomes/progression/test_progression_first_events.py).
    """
    if reuse is not None and reuse.cohort is cohort and not reuse.custom_delta:
        if reuse.options == fixed:
            return reuse.first_events()
        if _derivable(reuse.options, fixed):
            return _derive_first_events(reuse, fixed)
    return run_on_arrays(cohort, fixed).first_events()


def _derive_first_events(run: KernelRun, fixed: ProgressionOptions) -> FirstEvents:
    cohort, raw = run.cohort, run.raw
    n = cohort.n_subjects
    big = np.iinfo(np.int64).max
    subj, typ, onset = raw["subj"], raw["type"], raw["onset"]
    ev_row = _first_rows(subj, np.ones(len(subj), dtype=bool), n)
    un_row = _first_rows(raw["u_subj"], raw["u_reason"] == K.NOT_SUSTAINED, n)
    has_ev, has_un = ev_row >= 0, un_row >= 0
    ev_onset = np.where(has_ev, onset[np.maximum(ev_row, 0)] if len(subj) else 0, big)
    un_onset = np.where(has_un, raw["u_onset"][np.maximum(un_row, 0)]
                        if len(raw["u_subj"]) else 0, big)
    # the first recorded step is this event: both runs found it
    event_first = has_ev & (ev_onset < un_onset)
    first_type = np.where(event_first, typ[np.maximum(ev_row, 0)] if len(subj) else 0, -1)
    first_day = np.full(n, NO_DAY, dtype=np.int64)
    first_day[event_first] = cohort.visit_days[ev_onset[event_first]]
    is_cdw = event_first & (first_type != K.T_CDI)
    out = FirstEvents(cdw_day=np.where(is_cdw, first_day, NO_DAY),
                      cdw_type=np.where(is_cdw, first_type, -1),
                      pira_day=np.where(event_first & (first_type == K.T_PIRA), first_day,
                                        NO_DAY))
    # known: no step at all (no event either way), or a first PIRA (the first CDW too)
    todo = np.flatnonzero((has_ev | has_un) & ~(event_first & (first_type == K.T_PIRA)))
    if len(todo):
        again = run_on_arrays(subset_cohort(cohort, todo), fixed).first_events()
        out.cdw_day[todo] = again.cdw_day
        out.cdw_type[todo] = again.cdw_type
        out.pira_day[todo] = again.pira_day
    return out


def events_with_codes(cohort: CohortArrays,
                      options: ProgressionOptions) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Only the events (no summary), with each event's subject position in ``cohort``.

    For callers that place events on their own subject axis (the analytics cohort) without
    looking ids up again.
    """
    run = run_on_arrays(cohort, options)
    events = to_pandas(event_columns(cohort, run.raw, options.classifies_raw_pira),
                       cohort.subject_ids)
    return events, run.raw["subj"]
