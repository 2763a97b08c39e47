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
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from msstem.base import Result
from msstem.errors import DataError, DataPolicyWarning, OptionsError
from msstem.outcomes import _kernel as K
from msstem.outcomes.deltas import compute_delta
from msstem.outcomes.inputs import CohortArrays, load_cohort
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import Source

__all__ = [
    "EVENT_COLUMNS",
    "SUMMARY_COLUMNS",
    "UNCONFIRMED_COLUMNS",
    "ProgressionResult",
    "detect_on_arrays",
    "detect_progression",
    "kernel_rules",
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
                opts: ProgressionOptions) -> dict[str, npt.NDArray[Any]]:
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
    threads = kernel_threads(n_vis)
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


def _dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    return out


def _visit_dates(vdays: npt.NDArray[np.int64], idx: npt.NDArray[np.int64]) -> Any:
    """Dates of the visits at ``idx`` (NaT where idx is -1)."""
    has = idx >= 0
    out = _dates(np.where(has, vdays[np.where(has, idx, 0)], 0))
    out[~has] = np.datetime64("NaT")
    return out


def _visit_values(values: npt.NDArray[np.float64], idx: npt.NDArray[np.int64]) -> Any:
    has = idx >= 0
    return np.where(has, values[np.where(has, idx, 0)], np.nan)


def _build_events(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                  classified: bool) -> pd.DataFrame:
    vdays = cohort.visit_days.astype(np.int64)
    values = cohort.visit_values
    typ = raw["type"]
    subj = raw["subj"]
    onset = raw["onset"]
    first_day = vdays[cohort.visit_offsets[:-1]][subj] if len(subj) else vdays[:0]
    last_day = vdays[cohort.visit_offsets[1:] - 1][subj] if len(subj) else vdays[:0]
    onset_day = vdays[onset]
    sust = raw["sust"]
    # Without RAW/PIRA classification a CDW is not "undefined", it is unclassified: leave the
    # column empty rather than suggest a classification that was never made.
    cdw_type = _TYPE_CDW[typ] if classified else np.full(len(typ), "", dtype=object)
    return pd.DataFrame(
        {
            "id": cohort.subject_ids[subj],
            "event_index": raw["nev"].astype(np.int64),
            "event_type": _TYPE_EVENT[typ],
            "cdw_type": cdw_type,
            "date": _dates(onset_day),
            "value": values[onset],
            "baseline_date": _dates(vdays[raw["bl"]]),
            "baseline_value": raw["blv"],
            "confirmation_date": _visit_dates(vdays, raw["conf"]),
            "confirmation_value": _visit_values(values, raw["conf"]),
            "pira_confirmation_date": _visit_dates(vdays, raw["pconf"]),
            "pira_confirmation_value": _visit_values(values, raw["pconf"]),
            # msprog's results columns, in days
            "total_fu": (last_day - first_day).astype(np.int64),
            "time2event": (onset_day - first_day).astype(np.int64),
            "bl2event": (onset_day - vdays[raw["bl"]]).astype(np.int64),
            "sust_days": (vdays[sust] - onset_day).astype(np.int64),
            "sust_last": sust == cohort.visit_offsets[1:][subj] - 1,
        },
        columns=list(EVENT_COLUMNS),
    )


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


def _build_unconfirmed(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                       opts: ProgressionOptions) -> pd.DataFrame:
    vdays = cohort.visit_days.astype(np.int64)
    subj, onset = raw["u_subj"], raw["u_onset"]
    before, after = _relapse_distances(cohort, subj, vdays[onset], opts)
    return pd.DataFrame(
        {
            "id": cohort.subject_ids[subj],
            "date": _dates(vdays[onset]),
            "value": cohort.visit_values[onset],
            "baseline_date": _dates(vdays[raw["u_bl"]]),
            "baseline_value": raw["u_blv"],
            "closest_rel_before": before,
            "closest_rel_after": after,
            "reason": _UNCONFIRMED_REASON[raw["u_reason"]],
        },
        columns=list(UNCONFIRMED_COLUMNS),
    )


def _sequences(typ: npt.NDArray[np.int64], nev: npt.NDArray[np.int64],
               starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """'CDI, PIRA'-style text per run of events, built once per distinct sequence.

    Each run is encoded as a base-5 number (digit = type + 1, position = event index), so a
    million subjects need only as many string joins as there are distinct sequences.
    """
    max_digits = 27  # 5**27 < 2**64
    lengths = ends - starts
    out = np.empty(len(starts), dtype=object)
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
    out[short] = np.array(words, dtype=object)[inverse.reshape(-1)] if len(uniq) else out[short]
    for i in np.flatnonzero(~short):  # very long sequences: join directly
        out[i] = ", ".join(_TYPE_WORD[typ[starts[i]:ends[i]]])
    return out


def _build_summary(cohort: CohortArrays, raw: dict[str, npt.NDArray[Any]],
                   classified: bool) -> pd.DataFrame:
    n = cohort.n_subjects
    subj, typ = raw["subj"], raw["type"]
    counts = np.zeros((n, 4), dtype=np.int64)
    np.add.at(counts, (subj, typ), 1)
    sequence = np.full(n, "", dtype=object)
    if len(subj):
        starts = np.flatnonzero(np.r_[True, subj[1:] != subj[:-1]])
        ends = np.r_[starts[1:], len(subj)]
        sequence[subj[starts]] = _sequences(typ, raw["nev"], starts, ends)
    return pd.DataFrame(
        {
            "id": cohort.subject_ids,
            "CDW": counts[:, 1:].sum(axis=1),
            "CDI": counts[:, 0],
            # Unknown (not zero) when RAW/PIRA classification was off.
            "RAW": counts[:, 1] if classified else pd.array([pd.NA] * n, dtype="Int64"),
            "PIRA": counts[:, 2] if classified else pd.array([pd.NA] * n, dtype="Int64"),
            "event_sequence": sequence,
        },
        columns=list(SUMMARY_COLUMNS),
    )


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
    opts = options
    deltas = _delta_per_visit(cohort.visit_values, opts, delta_fun)
    raw = _run_kernel(cohort, deltas, opts)
    del deltas
    return ProgressionResult(
        events=_build_events(cohort, raw, opts.classifies_raw_pira),
        summary=_build_summary(cohort, raw, opts.classifies_raw_pira),
        unconfirmed=_build_unconfirmed(cohort, raw, opts),
        options=opts,
        warnings=cohort.warnings,
    )


def events_with_codes(cohort: CohortArrays,
                      options: ProgressionOptions) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Only the events (no summary), with each event's subject position in ``cohort``.

    For callers that place events on their own subject axis (the analytics cohort) without
    looking ids up again.
    """
    deltas = _delta_per_visit(cohort.visit_values, options, None)
    raw = _run_kernel(cohort, deltas, options)
    del deltas
    return _build_events(cohort, raw, options.classifies_raw_pira), raw["subj"]
