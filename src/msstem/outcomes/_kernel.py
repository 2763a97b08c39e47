"""Compiled progression kernel: one pass over all subjects, events into preallocated arrays.

This is msprog's per-subject scan (Montobbio et al. 2024; pymsprog 1.0.7 ``MSprog``) written
over flat columnar arrays and compiled with numba. The scan, the order of its tests and its
quirks follow pymsprog line by line; ``# msprog:`` comments point at the behaviour copied,
``# fix:`` comments at the documented places where the default mode differs (see
docs/outcomes-progression.md). Dates are int day numbers; the per-subject work is linear in
visits except for the confirmation look-ahead, which is bounded by the confirmation window.

The scan of one subject runs in named phases, each a compiled function:

1. :func:`_baseline_search`: move the baseline past visits near relapses or at local extrema;
2. :func:`_onset_candidate`: the first later visit that changed from the baseline;
3. :func:`_first_confirmations`: the earliest eligible confirmation visit of each window;
4. :func:`_classify_onset`: CDI, sub-threshold improvement, CDW (with
   :func:`_worsening_type`: RAW, PIRA or undefined), sub-threshold worsening, or unconfirmed;
   it says what to record and where the baseline and the search go next;
5. :func:`_relapse_rebaseline`: with ``relapse_rebl``, move the baseline past a relapse the
   search has crossed.

:func:`_select_events` then keeps one event per onset in onset order (and, in first-event
modes, the wanted one). Inputs travel in named tuples: :class:`KernelCohort` (the columnar
cohort), :class:`KernelRules` and :class:`KernelWindows` (the settings, derived from
``ProgressionOptions`` by ``msstem.outcomes.progression.kernel_rules``) and
:class:`KernelEvents` (the output buffers); :func:`progression_kernel` takes a range of
subjects, so ranges can run separately. The scalar settings reach every phase in
:class:`KernelRules`; arrays are handed over as plain arguments to helpers that run without
reference counting (see ``_borrowing_njit``).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, cast

import numpy as np

from msstem.outcomes._jit import njit

Array = Any  # numpy arrays; numba types them from the values

MODE_FIRSTCDW, MODE_FIRSTCDI, MODE_FIRST, MODE_FIRSTPIRA, MODE_FIRSTRAW, MODE_MULTIPLE = range(6)
# event type codes
T_CDI, T_RAW, T_PIRA, T_CDW = 0, 1, 2, 3
# kinds of change
WORS, IMPR, CHANGE = 0, 1, 2
# reference visit of the PIRA "prec" checkpoint
PREC_BASELINE, PREC_LAST, PREC_LAST_DELTA = 0, 1, 2
# local-extremum rule for the baseline
SKIP_NONE, SKIP_STRICT, SKIP_ALL = 0, 1, 2

STATUS_OK, STATUS_FULL, STATUS_RUNAWAY = 0, 1, 2
# why a change is in the unconfirmed table
UNCONFIRMED, NOT_SUSTAINED = 1, 2

#: The phase helpers only read and write arrays they are handed (they allocate nothing), so
#: they run without numba's reference counting (``_nrt=False``): with it, every array
#: argument costs an atomic increment and decrement per call, which in the per-onset loop
#: made the kernel 2-5 times slower than the single-function version it replaced.
_borrowing_njit = cast(Any, njit)(cache=True, _nrt=False)


class KernelCohort(NamedTuple):
    """The cohort in columnar form: subject ``s`` owns visit rows
    ``visit_offsets[s]:visit_offsets[s+1]`` and relapse rows
    ``relapse_offsets[s]:relapse_offsets[s+1]``, each sorted by day."""

    visit_offsets: Array  # int64, n_subjects + 1
    visit_days: Array  # int32
    visit_values: Array  # float64
    visit_deltas: Array  # float64: the minimum change when the visit is the reference
    relapse_offsets: Array  # int64, n_subjects + 1
    relapse_days: Array  # int32: onsets
    relapse_ends: Array  # int32: end dates (msprog's renddate_col); only read with end dates
    visit_can_confirm: Array  # bool: msprog's validconf_col (all True without it)


class KernelRules(NamedTuple):
    """Every scalar setting the scan reads (see ``ProgressionOptions`` for each meaning).

    Scalars only: arrays travel in :class:`KernelWindows`, because every array handed to a
    compiled helper costs a reference-count update per call.
    """

    worse_is_increase: bool  # higher values are worse
    onset_on_any_change: bool  # sub_threshold_rebl != 'none': onset = any change
    subthreshold_improvement: bool  # a confirmed sub-threshold improvement re-baselines
    subthreshold_worsening: bool  # a confirmed sub-threshold worsening re-baselines
    rebaseline_after_cdi: bool  # baseline roving or roving_impr
    rebaseline_after_cdw: bool  # baseline roving or roving_wors
    proceed_from_confirmation: bool  # proceed_from='firstconf' (else from the onset)
    mode: int  # event mode, MODE_* above
    classify_raw_pira: bool
    bl_geq: bool  # a new reference is never below the old one
    relapse_rebl: bool  # re-baseline after relapses
    skip_local_extrema: int  # SKIP_* above
    check_intermediate: bool  # every visit from onset to confirmation keeps the change
    impute_last_visit: bool  # an unconfirmed worsening at the last visit can count
    impute_max_follow_up: float  # ... if it occurs within this many days of follow-up
    require_sust_days: float
    pymsprog_compat: bool  # reproduce pymsprog exactly
    prec_type: int  # PREC_* above
    relapse_to_bl: tuple[float, float]  # (days after the last relapse, days before the next)
    relapse_to_event: tuple[float, float]
    relapse_to_conf: tuple[float, float]
    relapse_assoc: tuple[float, float]
    conf_reach: float  # the latest confirmation day after onset: the look-ahead stops there
    relapse_end_dates: bool  # relapses have end dates: "within a relapse" = onset..end
    pira_from_end_dates: bool  # relapse_indep.use_end_dates: PIRA from the relapse spans
    pira_event_after: float  # with end dates: days after onset that must be relapse-free
    pira_conf_after: float  # with end dates: days after confirmation that must be relapse-free


class KernelWindows(NamedTuple):
    """Confirmation windows (one entry per period) and the PIRA relapse-free windows."""

    conf_lo: Array  # float64: earliest day after onset
    conf_hi: Array  # float64: latest day after onset
    pira: Array  # float64 3x2: (prec, event, conf) x (before, after) days; NaN = None


class KernelEvents(NamedTuple):
    """Output buffers, one row per event. Visit fields hold global visit indices (-1: none)."""

    subject: Array  # int64
    event_index: Array  # int64: 1, 2, ... within the subject
    kind: Array  # int64: T_* above
    onset: Array  # int64
    baseline: Array  # int64
    baseline_value: Array  # float64 (may differ from the visit's value with bl_geq)
    confirmation: Array  # int64
    pira_confirmation: Array  # int64: the first confirmation visit meeting the PIRA windows
    sustained_to: Array  # int64: the last visit that kept the change


class KernelUnconfirmed(NamedTuple):
    """Output buffers, one row per unconfirmed change (msprog's ``unconfirmed``)."""

    subject: Array  # int64
    onset: Array  # int64: global visit index
    baseline: Array  # int64: global visit index
    baseline_value: Array  # float64
    reason: Array  # int64: UNCONFIRMED or NOT_SUSTAINED


class Detections(NamedTuple):
    """Events and unconfirmed changes of one subject in detection order."""

    kind: Array
    onset: Array
    baseline: Array
    baseline_value: Array
    confirmation: Array
    pira_confirmation: Array
    sustained_to: Array
    order: Array  # scratch for the onset-ordered selection
    u_onset: Array
    u_baseline: Array
    u_baseline_value: Array
    u_reason: Array


def new_events(capacity: int) -> KernelEvents:
    """Empty output buffers for ``capacity`` events."""
    return KernelEvents(
        np.empty(capacity, np.int64), np.empty(capacity, np.int64), np.empty(capacity, np.int64),
        np.empty(capacity, np.int64), np.empty(capacity, np.int64),
        np.empty(capacity, np.float64), np.empty(capacity, np.int64),
        np.empty(capacity, np.int64), np.empty(capacity, np.int64),
    )


def new_unconfirmed(capacity: int) -> KernelUnconfirmed:
    """Empty output buffers for ``capacity`` unconfirmed changes."""
    return KernelUnconfirmed(
        np.empty(capacity, np.int64), np.empty(capacity, np.int64), np.empty(capacity, np.int64),
        np.empty(capacity, np.float64), np.empty(capacity, np.int64),
    )


# ---- comparisons and relapse distances --------------------------------------------------


@njit(cache=True, inline="always")
def _changed(x: float, ref: float, d: float, kind: int, any_change: bool,
             worse_is_increase: bool) -> bool:
    """msprog ``is_event``: x vs reference ref with minimum change d (no float tolerance)."""
    if any_change:
        inc = x > ref
        dec = x < ref
        chg = x != ref
    else:
        inc = x - ref >= d
        dec = x - ref <= -d
        chg = abs(x - ref) >= d
    if kind == CHANGE:
        return chg
    if kind == WORS:
        return inc if worse_is_increase else dec
    return dec if worse_is_increase else inc


@_borrowing_njit
def _subthreshold(a, b, kind, compat, wi):  # type: ignore[no-untyped-def]
    """Sub-threshold test. msprog compares raw values (< for 'improvement', > for
    'worsening') whatever the direction of worsening; fix: follow the direction."""
    if not compat:
        return _changed(a, b, 0.0, kind, True, wi)
    if kind == IMPR:
        return a < b
    return a > b


@_borrowing_njit
def _local_extremum(vv, dd, i, n, any_change, wi):  # type: ignore[no-untyped-def]
    """msprog's local-extremum test at visit i (neighbours clamp at the ends);
    ``any_change``: any difference counts (skip_local_extrema='all')."""
    p = i if i == 0 else i - 1
    p2 = -1.0 if i <= 1 else vv[i - 2]
    s = i if i == n - 1 else i + 1
    vi = vv[i]
    di = dd[i]
    st = any_change
    ext = (_changed(vv[p], vi, di, WORS, st, wi) and _changed(vv[s], vi, di, WORS, st, wi)) or (
        _changed(vv[p], vi, di, IMPR, st, wi) and _changed(vv[s], vi, di, IMPR, st, wi)
    )
    return ext and vi != p2


@_borrowing_njit
def _any_relapse_in(rel, lo, hi):  # type: ignore[no-untyped-def]
    """True if a relapse day in rel (sorted) lies in the closed interval [lo, hi]."""
    a = 0
    b = rel.shape[0]
    while a < b:  # first index with rel >= lo
        mid = (a + b) // 2
        if rel[mid] < lo:
            a = mid + 1
        else:
            b = mid
    return a < rel.shape[0] and rel[a] <= hi


@_borrowing_njit
def _relapse_distances(t, rel, rend, with_ends, since, to):  # type: ignore[no-untyped-def]
    """Days since the last relapse on/before each visit, and to the next on/after it.

    With end dates (msprog's ``renddate_col``) a visit after the end of the last relapse is
    outside its influence: ``since`` is inf there (relapses of a subject do not overlap), so
    a visit counts as within a relapse from its onset to its end day, both included."""
    nrel = rel.shape[0]
    j = 0
    for i in range(t.shape[0]):
        while j < nrel and rel[j] <= t[i]:
            j += 1
        since[i] = (t[i] - rel[j - 1]) if j > 0 else np.inf
        if with_ends and j > 0 and t[i] > rend[j - 1]:
            since[i] = np.inf
    j = 0
    for i in range(t.shape[0]):
        while j < nrel and rel[j] < t[i]:
            j += 1
        to[i] = (rel[j] - t[i]) if j < nrel else np.inf


@_borrowing_njit
def _next_relapse_after(rel, first, day):  # type: ignore[no-untyped-def]
    """Index of the first relapse at or after ``first`` that falls after ``day`` (-1: none)."""
    for r in range(first, rel.shape[0]):
        if rel[r] > day:
            return r
    return -1


# ---- phase 1: baseline search -----------------------------------------------------------


@_borrowing_njit
def _baseline_search(vv, dd, since, to, n, bl, rules):  # type: ignore[no-untyped-def]
    """Move the baseline forward while it is too close to a relapse (``relapse_to_bl``) or
    is an excluded local extremum. Returns (baseline, proceed); proceed is False once fewer
    than two visits are left."""
    skip = rules.skip_local_extrema != SKIP_NONE
    st, wi = rules.skip_local_extrema == SKIP_ALL, rules.worse_is_increase
    after, before = rules.relapse_to_bl
    proceed = True
    lext = _local_extremum(vv, dd, bl, n, st, wi) if skip else False
    while proceed and (since[bl] < after or to[bl] < before or lext):
        bl += 1
        lext = False
        if bl < n and skip:
            lext = _local_extremum(vv, dd, bl, n, st, wi)
        if bl > n - 2:
            proceed = False
    return bl, proceed


# ---- phase 2: the candidate onset -------------------------------------------------------


@_borrowing_njit
def _onset_candidate(vv, since, to, n, search, blv, bld, rules):  # type: ignore[no-untyped-def]
    """The first visit from ``search`` that changed from the reference and respects
    ``relapse_to_event`` (-1: none)."""
    after, before = rules.relapse_to_event
    any_change, wi = rules.onset_on_any_change, rules.worse_is_increase
    for x in range(search, n):
        if since[x] >= after and to[x] >= before and _changed(vv[x], blv, bld, CHANGE,
                                                              any_change, wi):
            return x
    return -1


# ---- phase 3: confirmation --------------------------------------------------------------


@_borrowing_njit
def _first_confirmations(t, since, to, ok, ch, rules, conf_lo, conf_hi, first_per_window):  # type: ignore[no-untyped-def]
    """Fill ``first_per_window`` with the earliest eligible visit of each confirmation
    window after onset ch (-1: none) and return the earliest overall (-1: none).
    Eligible: at least ``relapse_to_conf`` from relapses, and allowed to confirm (``ok``:
    msprog's ``validconf_col``)."""
    after, before = rules.relapse_to_conf
    nconf = conf_lo.shape[0]
    for m in range(nconf):
        first_per_window[m] = -1
    earliest = -1
    for x in range(ch + 1, t.shape[0]):
        dt = t[x] - t[ch]
        if dt > rules.conf_reach:
            break
        if since[x] < after or to[x] < before or not ok[x]:
            continue
        found_all = True
        for m in range(nconf):
            if first_per_window[m] == -1 and conf_lo[m] <= dt <= conf_hi[m]:
                first_per_window[m] = x
                if earliest == -1:
                    earliest = x
            if first_per_window[m] == -1:
                found_all = False
        if found_all:
            break
    return earliest


@_borrowing_njit
def _confirms_in_some_window(dt, since, to, ok, conf_lo, conf_hi, rules):  # type: ignore[no-untyped-def]
    """A visit dt days after onset and ``since``/``to`` days from relapses (``ok``: allowed
    to confirm) can confirm in at least one window (msprog's conf_idx union)."""
    after, before = rules.relapse_to_conf
    if since < after or to < before or not ok:
        return False
    for m in range(conf_lo.shape[0]):  # noqa: SIM110 - numba has no generator expressions
        if conf_lo[m] <= dt <= conf_hi[m]:
            return True
    return False


@_borrowing_njit
def _change_kept(vv, ch, c0, ref, d, kind, rules):  # type: ignore[no-untyped-def]
    """Change kept at every visit in (ch, c0] (or only at c0 without check_intermediate)."""
    wi = rules.worse_is_increase
    if not rules.check_intermediate:
        return _changed(vv[c0], ref, d, kind, False, wi)
    for x in range(ch + 1, c0 + 1):  # noqa: SIM110 - numba has no generator expressions
        if not _changed(vv[x], ref, d, kind, False, wi):
            return False
    return True


@_borrowing_njit
def _subthreshold_kept(vv, ch, c0, ref, kind, rules):  # type: ignore[no-untyped-def]
    """A sub-threshold change at ch kept up to c0 (msprog's sub_threshold_rebl test)."""
    compat, wi = rules.pymsprog_compat, rules.worse_is_increase
    if not _subthreshold(vv[ch], ref, kind, compat, wi):
        return False
    if not rules.check_intermediate:
        return _subthreshold(vv[c0], ref, kind, compat, wi)
    for x in range(ch + 1, c0 + 1):  # noqa: SIM110 - numba has no generator expressions
        if not _subthreshold(vv[x], ref, kind, compat, wi):
            return False
    return True


@_borrowing_njit
def _first_unsustained(vv, n, c0, ref, d, kind, rules):  # type: ignore[no-untyped-def]
    """msprog's ``next_nonsust``: the first visit after c0 that lost the change (n: none)."""
    for x in range(c0 + 1, n):
        if not _changed(vv[x], ref, d, kind, False, rules.worse_is_increase):
            return x
    return n


@_borrowing_njit
def _sustained(t, vv, ch, nns, ref, d, kind, rules):  # type: ignore[no-untyped-def]
    """msprog's ``require_sust_days`` test (valid_prog / valid_impr)."""
    rsd = rules.require_sust_days
    if rsd == 0:
        return True
    n = t.shape[0]
    if rules.check_intermediate:
        return nns == n or (t[nns] - t[ch]) >= rsd
    sust_vis = n - 1
    if (t[n - 1] - t[ch]) >= rsd:
        for x in range(ch + 1, n):
            if t[x] - t[ch] >= rsd:
                sust_vis = x
                break
    return _changed(vv[sust_vis], ref, d, kind, False, rules.worse_is_increase)


@_borrowing_njit
def _surviving_confirmation(first_per_window, nns, earliest):  # type: ignore[no-untyped-def]
    """The earliest confirmation of the first window whose confirmation comes before the
    change is lost. fix: msprog crashes (empty window) when none survives; then the
    earliest confirmation is used."""
    for m in range(first_per_window.shape[0]):
        if first_per_window[m] != -1 and first_per_window[m] < nns:
            return first_per_window[m]
    return earliest


# ---- phase 4: classification ------------------------------------------------------------


@_borrowing_njit
def _last_delta(vv, dd, n, ch, c0, rules):  # type: ignore[no-untyped-def]
    """msprog ``find_last_delta_idx``: last visit before onset with a confirmed delta.

    msprog tests visits ch-1 down to 1 and falls back to visit 0. The fallback is only
    reached when the baseline is visit 0 (the baseline itself always qualifies), so it is
    kept as is in both modes.
    """
    wi = rules.worse_is_increase
    skip = rules.skip_local_extrema != SKIP_NONE
    st = rules.skip_local_extrema == SKIP_ALL
    iref = ch
    valid = False
    while iref > 1 and not valid:
        iref -= 1
        lext = _local_extremum(vv, dd, iref, n, st, wi) if skip else False
        ref = vv[iref]
        d = dd[iref]
        ok = _changed(vv[ch], ref, d, WORS, False, wi)
        if ok:
            if rules.check_intermediate:
                for x in range(ch + 1, c0 + 1):
                    if not _changed(vv[x], ref, d, WORS, False, wi):
                        ok = False
                        break
            else:
                ok = _changed(vv[c0], ref, d, WORS, False, wi)
        valid = ok and not lext
    return iref if valid else 0


@_borrowing_njit
def _pira_confirmation(t, since, to, ok, rel, ch, nns, imputed, tprec, rules, windows):  # type: ignore[no-untyped-def]
    """msprog's PIRA test: the first confirmation visit with no relapse in any window
    (-1: none, so the worsening is not PIRA).

    ``windows.pira`` is 3x2 (prec, event, conf) x (before, after) days, NaN for None. A None
    left end continues the previous checkpoint's window (msprog's merge); fix: on the first
    checkpoint (msprog: UnboundLocalError) the window starts at the checkpoint itself.
    With ``pira_from_end_dates`` the onset and the confirmation visit must each lie outside
    every relapse (onset to end) with no relapse starting within ``pira_event_after`` /
    ``pira_conf_after`` days after them.
    """
    ri, lo, hi = windows.pira, windows.conf_lo, windows.conf_hi
    n = t.shape[0]
    first = n - 1 if imputed else ch + 1
    last = n if imputed else nns
    if rules.pira_from_end_dates and (since[ch] < np.inf or to[ch] <= rules.pira_event_after):
        return -1
    for ic in range(first, last):
        if not imputed:
            dt = t[ic] - t[ch]
            if dt > rules.conf_reach:
                break
            if not _confirms_in_some_window(dt, since[ic], to[ic], ok[ic], lo, hi, rules):
                continue
        if rules.pira_from_end_dates:
            if since[ic] == np.inf and to[ic] > rules.pira_conf_after:
                return ic
            continue
        hit = False
        t0 = float(tprec)
        for point in range(3):
            if point == 0:
                tt = float(tprec)
            elif point == 1:
                tt = float(t[ch])
            else:
                tt = float(t[ic])
            if not math.isnan(ri[point, 0]):
                t0 = tt - ri[point, 0]
            elif point == 0:
                t0 = tt
            if not math.isnan(ri[point, 1]):
                t1 = tt + ri[point, 1]
                if t1 > t0 and _any_relapse_in(rel, t0, t1):
                    hit = True
                    break
        if not hit:
            return ic
    return -1


@_borrowing_njit
def _worsening_type(t, vv, dd, since, to, ok, rel, ch, c0, nns, bl, imputed, rules, windows):  # type: ignore[no-untyped-def]
    """RAW if the onset is within ``relapse_assoc`` of a relapse (with end dates: within a
    relapse, onset to end); else PIRA if relapse-free in the ``relapse_indep`` windows
    around some confirmation; else undefined (T_CDW). Returns (type, PIRA confirmation
    visit or -1)."""
    after, before = rules.relapse_assoc
    near_last = since[ch] < np.inf if rules.relapse_end_dates else since[ch] <= after
    if near_last or to[ch] <= before:
        return T_RAW, -1
    if rules.prec_type == PREC_BASELINE:
        tprec = t[bl]
    elif rules.prec_type == PREC_LAST:
        tprec = t[ch - 1]
    else:
        tprec = t[_last_delta(vv, dd, t.shape[0], ch, c0, rules)]
    pconf = _pira_confirmation(t, since, to, ok, rel, ch, nns, imputed, tprec, rules, windows)
    if pconf != -1:
        return T_PIRA, pconf
    return T_CDW, -1


@_borrowing_njit
def _kept_in_mode(kind, rules):  # type: ignore[no-untyped-def]
    """firstPIRA/firstRAW with a baseline that does not move after a CDW skip the other
    worsenings (msprog); with a roving one they are kept for re-baselining and dropped by
    the selection."""
    if rules.rebaseline_after_cdw:
        return True
    if rules.mode == MODE_FIRSTPIRA:
        return kind == T_PIRA
    if rules.mode == MODE_FIRSTRAW:
        return kind == T_RAW
    return True


@_borrowing_njit
def _move_on(rebaseline, kept, confirmation, ch, bl, rules):  # type: ignore[no-untyped-def]
    """After a confirmed change: the next reference is the confirmation visit
    (``proceed_from='firstconf'``) or the onset; a change that was not kept restarts from the
    onset. A roving baseline moves there. Returns (baseline, search)."""
    ref = ch
    if (rebaseline or kept) and rules.proceed_from_confirmation:
        ref = confirmation
    if rebaseline:
        bl = ref
    return bl, ref + 1


NO_EVENT = -1


@_borrowing_njit
def _classify_onset(t, vv, dd, since, to, ok, rel, ch, bl, blv, bld, rules, windows,  # type: ignore[no-untyped-def]
                    first_per_window):
    """Decide what the change at onset ch is, in msprog's order: CDI, sub-threshold
    improvement, CDW (or a worsening imputed at the last visit), sub-threshold worsening,
    or unconfirmed.

    Returns (kind of the event to record or NO_EVENT, its confirmation visit or -1, its
    PIRA confirmation visit or -1, the last visit that kept the change, why the change goes
    into the unconfirmed table (0: it does not), the next baseline, the next search start).
    """
    n = t.shape[0]
    wi = rules.worse_is_increase
    g = _first_confirmations(t, since, to, ok, ch, rules, windows.conf_lo, windows.conf_hi,
                             first_per_window)
    has_conf = g != -1

    if (
        has_conf
        and _changed(vv[ch], blv, bld, IMPR, False, wi)
        and _change_kept(vv, ch, g, blv, bld, IMPR, rules)
    ):
        # ---- confirmed improvement (CDI)
        nns = _first_unsustained(vv, n, g, blv, bld, IMPR, rules)
        valid = _sustained(t, vv, ch, nns, blv, bld, IMPR, rules)
        newconf = _surviving_confirmation(first_per_window, nns, g)
        bl2, search = _move_on(rules.rebaseline_after_cdi, valid, newconf, ch, bl, rules)
        if valid:
            return T_CDI, g, -1, nns - 1, 0, bl2, search
        return NO_EVENT, -1, -1, nns - 1, NOT_SUSTAINED, bl2, search

    if (
        has_conf
        and rules.rebaseline_after_cdi
        and rules.subthreshold_improvement
        and _subthreshold_kept(vv, ch, g, blv, IMPR, rules)
    ):
        # ---- confirmed sub-threshold improvement: re-baseline
        ref = g if rules.proceed_from_confirmation else ch
        return NO_EVENT, -1, -1, -1, 0, ref, ref + 1

    if _changed(vv[ch], blv, bld, WORS, False, wi) and (
        (has_conf and _change_kept(vv, ch, g, blv, bld, WORS, rules))
        or (rules.impute_last_visit and ch == n - 1
            and (t[ch] - t[0]) <= rules.impute_max_follow_up)
    ):
        # ---- confirmed (or imputed) worsening (CDW)
        imputed = ch == n - 1
        c0 = n - 1 if imputed else g
        nns = _first_unsustained(vv, n, c0, blv, bld, WORS, rules)
        kind = NO_EVENT
        pconf = -1
        why = 0
        if _sustained(t, vv, ch, nns, blv, bld, WORS, rules):
            kind = T_CDW
            if rules.classify_raw_pira:
                kind, pconf = _worsening_type(t, vv, dd, since, to, ok, rel, ch, c0, nns, bl,
                                              imputed, rules, windows)
            if not _kept_in_mode(kind, rules):
                kind = NO_EVENT
        else:
            why = NOT_SUSTAINED
        if imputed:
            # msprog: no confirmation window left; no PIRA confirmation visit is reported
            return kind, -1, -1, nns - 1, why, bl, ch + 1
        newconf = _surviving_confirmation(first_per_window, nns, g)
        bl2, search = _move_on(rules.rebaseline_after_cdw, kind != NO_EVENT, newconf, ch, bl,
                               rules)
        return kind, g, pconf, nns - 1, why, bl2, search

    if (
        has_conf
        and rules.rebaseline_after_cdw
        and rules.subthreshold_worsening
        and _subthreshold_kept(vv, ch, g, blv, WORS, rules)
    ):
        # ---- confirmed sub-threshold worsening: re-baseline
        ref = g if rules.proceed_from_confirmation else ch
        return NO_EVENT, -1, -1, -1, 0, ref, ref + 1

    return NO_EVENT, -1, -1, -1, UNCONFIRMED, bl, ch + 1  # same baseline, next visit


# ---- phase 5: re-baseline after relapses ------------------------------------------------


@_borrowing_njit
def _relapse_rebaseline(t, rel, reach, bl, search, next_rel):  # type: ignore[no-untyped-def]
    """``relapse_rebl``: when the search has crossed a relapse's influence (``reach``: its
    onset plus ``relapse_assoc`` days, or its end with end dates) since the baseline, the
    baseline moves to the first visit on or after the next relapse.
    Returns (baseline, search, proceed)."""
    n = t.shape[0]
    crossed = False
    for r in range(rel.shape[0]):
        if t[bl] < rel[r] and reach[r] < t[search]:
            crossed = True
            break
    if not crossed or next_rel == -1:
        return bl, search, True
    newbl = -1
    for x in range(bl, n):
        if rel[next_rel] <= t[x]:
            newbl = x
            break
    if newbl != -1:
        bl = newbl
        search = bl + 1
    return bl, search, not (newbl == -1 or bl > n - 2)


# ---- the scan of one subject ------------------------------------------------------------


@_borrowing_njit
def _stop(mode, n_events, counts):  # type: ignore[no-untyped-def]
    """msprog's end-of-iteration test for first-event modes."""
    if mode == MODE_FIRST:
        return n_events > 1
    if mode == MODE_FIRSTCDW:
        return counts[T_RAW] + counts[T_PIRA] + counts[T_CDW] > 0
    if mode == MODE_FIRSTCDI:
        return counts[T_CDI] > 0
    if mode == MODE_FIRSTPIRA:
        return counts[T_PIRA] > 0
    if mode == MODE_FIRSTRAW:
        return counts[T_RAW] > 0
    return False


@_borrowing_njit
def _scan_subject(t, vv, dd, since, to, ok, rel, reach, rules, windows, det, first_per_window,  # type: ignore[no-untyped-def]
                  counts):
    """msprog's event search for one subject, phase by phase. Fills ``det`` and returns
    (n_detected, n_unconfirmed, finished); finished is False when the search runs away (a
    bug guard) or a detection buffer is full."""
    n = t.shape[0]
    cap = det.kind.shape[0]
    guard = 8 * n * (rel.shape[0] + 2) + 64
    for k in range(4):
        counts[k] = 0

    bl = 0
    search = 1
    proceed = True
    next_rel = _next_relapse_after(rel, 0, t[0])
    has_last = False
    bl_last = 0.0
    bl_last_d = 0.0
    ndet = 0
    nunc = 0
    iters = 0
    while proceed:
        iters += 1
        if iters > guard or ndet >= cap or nunc >= cap:
            return ndet, nunc, False
        # phase 1: baseline
        bl, proceed = _baseline_search(vv, dd, since, to, n, bl, rules)
        if rules.relapse_rebl and next_rel != -1 and bl < n:
            next_rel = _next_relapse_after(rel, next_rel, t[bl])
        if search <= bl:
            search = bl + 1
        if bl > n - 1:
            bl = n - 1
            proceed = False
        elif rules.bl_geq and has_last and bl_last > vv[bl]:
            # msprog (Kappos 2020): the new reference takes the old value.
            vv[bl] = bl_last
            dd[bl] = bl_last_d
        blv = vv[bl]
        bld = dd[bl]
        bl_last = blv
        bl_last_d = bld
        has_last = True

        # phase 2: candidate onset
        ch = _onset_candidate(vv, since, to, n, search, blv, bld, rules)
        if ch == -1:
            proceed = False
        elif rules.relapse_rebl and next_rel != -1 and t[ch] > reach[next_rel]:
            search = ch  # crossed the next relapse: re-baseline below
        else:
            # phases 3-4: confirmation and classification
            ev_bl = bl
            kind, conf, pconf, sust_to, why, bl, search = _classify_onset(
                t, vv, dd, since, to, ok, rel, ch, bl, blv, bld, rules, windows,
                first_per_window)
            if kind != NO_EVENT:
                det.kind[ndet] = kind
                det.onset[ndet] = ch
                det.baseline[ndet] = ev_bl
                det.baseline_value[ndet] = blv
                det.confirmation[ndet] = conf
                det.pira_confirmation[ndet] = pconf
                det.sustained_to[ndet] = sust_to
                ndet += 1
                counts[kind] += 1
            elif why != 0:
                det.u_onset[nunc] = ch
                det.u_baseline[nunc] = ev_bl
                det.u_baseline_value[nunc] = blv
                det.u_reason[nunc] = why
                nunc += 1

        # phase 5: re-baseline after a relapse
        if rules.relapse_rebl and proceed and search < n:
            bl, search, proceed = _relapse_rebaseline(t, rel, reach, bl, search, next_rel)

        if proceed and _stop(rules.mode, ndet, counts):
            proceed = False
    return ndet, nunc, True


@_borrowing_njit
def _wanted(mode, kind):  # type: ignore[no-untyped-def]
    if mode == MODE_FIRSTCDW:
        return kind != T_CDI
    if mode == MODE_FIRSTCDI:
        return kind == T_CDI
    if mode == MODE_FIRSTPIRA:
        return kind == T_PIRA
    if mode == MODE_FIRSTRAW:
        return kind == T_RAW
    return True


@_borrowing_njit
def _select_events(det, ndet, rules):  # type: ignore[no-untyped-def]
    """One event per onset (the last detected), in onset order, into ``det.order``; in
    first-event modes only the wanted one. Returns (first, end) positions in ``det.order``."""
    order = det.order
    nkeep = 0
    for k in range(ndet):
        dup = False
        for k2 in range(k + 1, ndet):
            if det.onset[k2] == det.onset[k]:
                dup = True
                break
        if not dup:
            pos = nkeep
            while pos > 0 and det.onset[order[pos - 1]] > det.onset[k]:
                order[pos] = order[pos - 1]
                pos -= 1
            order[pos] = k
            nkeep += 1
    mode = rules.mode
    if mode == MODE_MULTIPLE or nkeep == 0:
        return 0, nkeep
    pick = -1
    if mode == MODE_FIRST:
        pick = 0
    elif rules.pymsprog_compat:
        # msprog: the first wanted event in *detection* order, used as a position in the
        # onset-sorted list (the same thing unless relapse_rebl re-detects).
        ii = -1
        for k in range(ndet):
            if _wanted(mode, det.kind[k]):
                ii = k
                break
        if ii != -1 and ii < nkeep:
            pick = ii
        elif ii != -1:  # msprog: IndexError. fix: the first wanted event by onset
            for k in range(nkeep):
                if _wanted(mode, det.kind[order[k]]):
                    pick = k
                    break
    else:
        for k in range(nkeep):
            if _wanted(mode, det.kind[order[k]]):
                pick = k
                break
    if pick == -1:
        return 0, 0
    return pick, pick + 1


@njit(cache=True)
def _new_detections(cap):  # type: ignore[no-untyped-def]
    return Detections(np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap, np.int64),
                      np.empty(cap, np.float64), np.empty(cap, np.int64),
                      np.empty(cap, np.int64), np.empty(cap, np.int64),
                      np.empty(cap, np.int64), np.empty(cap, np.int64),
                      np.empty(cap, np.int64), np.empty(cap, np.float64),
                      np.empty(cap, np.int64))


# ---- the kernel -------------------------------------------------------------------------


@njit(cache=True)
def progression_kernel(first, last, cohort, rules, windows, events, unconfirmed):  # type: ignore[no-untyped-def]
    """Scan subjects ``first``..``last - 1`` and write their events and unconfirmed
    changes; stop early when an output buffer is full.

    Returns (next_subject, n_events_written, n_unconfirmed_written, status). Output rows
    hold global visit indices (onset, baseline, confirmation or -1) so the caller builds
    dates and values vectorised. Subjects are independent: ranges can be scanned separately
    (e.g. in parallel).
    """
    voff, roff = cohort.visit_offsets, cohort.relapse_offsets
    vdays, vvals, vdelta, rdays = (cohort.visit_days, cohort.visit_values, cohort.visit_deltas,
                                   cohort.relapse_days)
    rends, can_confirm = cohort.relapse_ends, cohort.visit_can_confirm
    cap = events.subject.shape[0]
    ucap = unconfirmed.subject.shape[0]
    # msprog: relapses before first visit - relapse_to_bl[0] are dropped for every purpose.
    # fix (default): they are kept (a relapse 50 days before follow-up still makes a
    # worsening 40 days into follow-up relapse-associated).
    early_relapse_gap = rules.relapse_to_bl[0]
    # how far a relapse's influence reaches for relapse re-baselining (msprog: onset +
    # relapse_assoc[0], or the onset itself for firstPIRA; with end dates: its end)
    assoc_gap = 0.0 if rules.mode == MODE_FIRSTPIRA else rules.relapse_assoc[0]

    maxn = 1
    maxr = 1
    for s in range(first, last):
        maxn = max(maxn, voff[s + 1] - voff[s])
        maxr = max(maxr, roff[s + 1] - roff[s])
    vv = np.empty(maxn, np.float64)
    dd = np.empty(maxn, np.float64)
    since = np.empty(maxn, np.float64)
    to = np.empty(maxn, np.float64)
    reach = np.empty(maxr, np.float64)
    first_per_window = np.empty(windows.conf_lo.shape[0], np.int64)
    counts = np.zeros(4, np.int64)
    det = _new_detections(4 * maxn + 16)

    w = 0
    wu = 0
    for s in range(first, last):
        off = voff[s]
        n = voff[s + 1] - off
        if w + n > cap:
            return s, w, wu, STATUS_FULL
        t = vdays[off : off + n]
        ok = can_confirm[off : off + n]
        for i in range(n):
            vv[i] = vvals[off + i]
            dd[i] = vdelta[off + i]
        r0 = roff[s]
        r1 = roff[s + 1]
        if rules.pymsprog_compat:
            while r0 < r1 and rdays[r0] < t[0] - early_relapse_gap:
                r0 += 1
        rel = rdays[r0:r1]
        rend = rends[r0:r1] if rules.relapse_end_dates else rel
        for r in range(rel.shape[0]):
            if rules.relapse_end_dates and rules.mode != MODE_FIRSTPIRA:
                reach[r] = float(rend[r])
            else:
                reach[r] = rel[r] + assoc_gap
        need = n * (rel.shape[0] + 2) + 16  # relapse re-baselining can re-detect onsets
        if need > det.kind.shape[0]:
            det = _new_detections(need)
        _relapse_distances(t, rel, rend, rules.relapse_end_dates, since, to)

        ndet, nunc, finished = _scan_subject(t, vv, dd, since, to, ok, rel, reach, rules,
                                             windows, det, first_per_window, counts)
        if not finished:
            return s, w, wu, STATUS_RUNAWAY
        if wu + nunc > ucap:
            return s, w, wu, STATUS_FULL
        sel_start, sel_end = _select_events(det, ndet, rules)
        for q in range(sel_start, sel_end):
            k = det.order[q]
            events.subject[w] = s
            events.event_index[w] = q - sel_start + 1
            events.kind[w] = det.kind[k]
            events.onset[w] = off + det.onset[k]
            events.baseline[w] = off + det.baseline[k]
            events.baseline_value[w] = det.baseline_value[k]
            c = det.confirmation[k]
            events.confirmation[w] = (off + c) if c >= 0 else -1
            c = det.pira_confirmation[k]
            events.pira_confirmation[w] = (off + c) if c >= 0 else -1
            events.sustained_to[w] = off + det.sustained_to[k]
            w += 1
        for q in range(nunc):
            unconfirmed.subject[wu] = s
            unconfirmed.onset[wu] = off + det.u_onset[q]
            unconfirmed.baseline[wu] = off + det.u_baseline[q]
            unconfirmed.baseline_value[wu] = det.u_baseline_value[q]
            unconfirmed.reason[wu] = det.u_reason[q]
            wu += 1
    return last, w, wu, STATUS_OK
