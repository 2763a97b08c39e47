"""Compiled progression kernel: one pass over all subjects, events into preallocated arrays.

This is msprog's per-subject scan (Montobbio et al. 2024; pymsprog 1.0.7 ``MSprog``) written
over flat columnar arrays and compiled with numba. The scan, the order of its tests and its
quirks follow pymsprog line by line; ``# msprog:`` comments point at the behaviour copied,
``# fix:`` comments at the documented places where the default mode differs (see
docs/outcomes-progression.md). Dates are int day numbers; the per-subject work is linear in
visits except for the confirmation look-ahead, which is bounded by the confirmation window.

Parameters travel in two small arrays (``fp`` floats, ``ip`` ints) indexed by the constants
below, so the compiled signature stays stable.
"""

from __future__ import annotations

import math

import numpy as np

from msstem.outcomes._jit import njit

# ---- float parameters (fp) -----------------------------------------------------------
F_RTB0, F_RTB1, F_RTE0, F_RTE1, F_RTC0, F_RTC1, F_RA0, F_RA1, F_RSD, F_IMPUTE_FU = range(10)
N_FP = 10
# ---- int parameters (ip) -------------------------------------------------------------
(
    I_WORSE_INC,  # 1: higher values are worse
    I_ST_CHANGE,  # 1: sub_threshold_rebl != 'none' (onset = any change)
    I_ST_IMPR,  # 1: sub-threshold improvement re-baselines
    I_ST_WORS,  # 1: sub-threshold worsening re-baselines
    I_REBL_CDI,  # 1: baseline roving or roving_impr
    I_REBL_CDW,  # 1: baseline roving or roving_wors
    I_FIRSTCONF,  # 1: proceed_from='firstconf'
    I_MODE,  # event mode, MODE_* below
    I_RAWPIRA,  # 1: classify CDW as RAW/PIRA/undefined
    I_BL_GEQ,  # 1: new reference never below the old one
    I_RELAPSE_REBL,  # 1: re-baseline after relapses
    I_SKIP_EXTR,  # 0 none, 1 strict, 2 all
    I_CHECK_INT,  # 1: all intermediate visits must keep the change
    I_IMPUTE,  # 1: impute an unconfirmed worsening at the last visit
    I_COMPAT,  # 1: reproduce pymsprog exactly
    I_PREC_TYPE,  # 0 baseline, 1 last, 2 last_delta
) = range(16)
N_IP = 16

MODE_FIRSTCDW, MODE_FIRSTCDI, MODE_FIRST, MODE_FIRSTPIRA, MODE_FIRSTRAW, MODE_MULTIPLE = range(6)
# event type codes
T_CDI, T_RAW, T_PIRA, T_CDW = 0, 1, 2, 3
WORS, IMPR, CHANGE = 0, 1, 2

STATUS_OK, STATUS_FULL, STATUS_RUNAWAY = 0, 1, 2


@njit(cache=True, inline="always")
def _ev(x: float, bl: float, d: float, kind: int, st: bool, worse_inc: bool) -> bool:
    """msprog ``is_event``: x vs reference bl with minimum change d (no float tolerance)."""
    if st:
        inc = x > bl
        dec = x < bl
        chg = x != bl
    else:
        inc = x - bl >= d
        dec = x - bl <= -d
        chg = abs(x - bl) >= d
    if kind == CHANGE:
        return chg
    if kind == WORS:
        return inc if worse_inc else dec
    return dec if worse_inc else inc


@njit(cache=True)
def _local_extremum(vv, dd, i, n, st, wi):  # type: ignore[no-untyped-def]
    """msprog's local-extremum test at visit i (neighbours clamp at the ends)."""
    p = i if i == 0 else i - 1
    p2 = -1.0 if i <= 1 else vv[i - 2]
    s = i if i == n - 1 else i + 1
    vi = vv[i]
    di = dd[i]
    ext = (_ev(vv[p], vi, di, WORS, st, wi) and _ev(vv[s], vi, di, WORS, st, wi)) or (
        _ev(vv[p], vi, di, IMPR, st, wi) and _ev(vv[s], vi, di, IMPR, st, wi)
    )
    return ext and vi != p2


@njit(cache=True)
def _any_relapse_in(rel, r0, r1, lo, hi):  # type: ignore[no-untyped-def]
    """True if a relapse day in rel[r0:r1] (sorted) lies in the closed interval [lo, hi]."""
    a = r0
    b = r1
    while a < b:  # first index with rel >= lo
        mid = (a + b) // 2
        if rel[mid] < lo:
            a = mid + 1
        else:
            b = mid
    return a < r1 and rel[a] <= hi


@njit(cache=True)
def _conf_eligible(x, ch, t, crm, crp, lo, hi, rtc0, rtc1):  # type: ignore[no-untyped-def]
    """Visit x can confirm onset ch in at least one window (msprog's conf_idx union)."""
    if crm[x] < rtc0 or crp[x] < rtc1:
        return False
    dt = t[x] - t[ch]
    for m in range(lo.shape[0]):  # noqa: SIM110 - numba has no generator expressions
        if lo[m] <= dt <= hi[m]:
            return True
    return False


@njit(cache=True)
def _last_delta(vv, dd, ch, c0, n, direction, skip, ci, wi):  # type: ignore[no-untyped-def]
    """msprog ``find_last_delta_idx``: last visit before onset with a confirmed delta.

    msprog tests visits ch-1 down to 1 and falls back to visit 0. The fallback is only
    reached when the baseline is visit 0 (the baseline itself always qualifies), so it is
    kept as is in both modes.
    """
    iref = ch
    valid = False
    while iref > 1 and not valid:
        iref -= 1
        lext = False
        if skip != 0:
            lext = _local_extremum(vv, dd, iref, n, skip == 2, wi)
        ref = vv[iref]
        d = dd[iref]
        ok = _ev(vv[ch], ref, d, direction, False, wi)
        if ok:
            if ci:
                for x in range(ch + 1, c0 + 1):
                    if not _ev(vv[x], ref, d, direction, False, wi):
                        ok = False
                        break
            else:
                ok = _ev(vv[c0], ref, d, direction, False, wi)
        valid = ok and not lext
    return iref if valid else 0


@njit(cache=True)
def _sustained(vv, t, ch, nns, n, blv, bld, direction, rsd, ci, wi):  # type: ignore[no-untyped-def]
    """msprog's ``require_sust_days`` test (valid_prog / valid_impr)."""
    if rsd == 0:
        return True
    if ci:
        return nns == n or (t[nns] - t[ch]) >= rsd
    sust_vis = n - 1
    if (t[n - 1] - t[ch]) >= rsd:
        for x in range(ch + 1, n):
            if t[x] - t[ch] >= rsd:
                sust_vis = x
                break
    return _ev(vv[sust_vis], blv, bld, direction, False, wi)


@njit(cache=True)
def _confirmed(vv, ch, c0, blv, bld, kind, st, ci, wi):  # type: ignore[no-untyped-def]
    """Change kept at every visit in (ch, c0] (or only at c0 without check_intermediate)."""
    if not ci:
        return _ev(vv[c0], blv, bld, kind, st, wi)
    for x in range(ch + 1, c0 + 1):  # noqa: SIM110 - numba has no generator expressions
        if not _ev(vv[x], blv, bld, kind, st, wi):
            return False
    return True


@njit(cache=True)
def _raw_less(a, b, sign_aware, kind, wi):  # type: ignore[no-untyped-def]
    """Sub-threshold test. msprog compares raw values (< for 'improvement', > for
    'worsening') whatever the direction of worsening; fix: follow the direction."""
    if sign_aware:
        return _ev(a, b, 0.0, kind, True, wi)
    if kind == IMPR:
        return a < b
    return a > b


@njit(cache=True)
def _subthreshold_confirmed(vv, ch, c0, blv, kind, ci, sign_aware, wi):  # type: ignore[no-untyped-def]
    if not _raw_less(vv[ch], blv, sign_aware, kind, wi):
        return False
    if not ci:
        return _raw_less(vv[c0], blv, sign_aware, kind, wi)
    for x in range(ch + 1, c0 + 1):  # noqa: SIM110 - numba has no generator expressions
        if not _raw_less(vv[x], blv, sign_aware, kind, wi):
            return False
    return True


@njit(cache=True)
def _is_pira(t, crm, crp, ch, nns, n, imputed, tprec, lo, hi, ri, rel, r0, r1, rtc0, rtc1):  # type: ignore[no-untyped-def]
    """msprog's PIRA test: some confirmation visit with no relapse in any window.

    ``ri`` is 3x2 (prec, event, conf) x (before, after) days, NaN for None. A None left
    end continues the previous checkpoint's window (msprog's merge); fix: on the first
    checkpoint (msprog: UnboundLocalError) the window starts at the checkpoint itself.
    """
    first = n - 1 if imputed else ch + 1
    last = n if imputed else nns
    for ic in range(first, last):
        if not imputed:
            if t[ic] - t[ch] > hi.max():
                break
            if not _conf_eligible(ic, ch, t, crm, crp, lo, hi, rtc0, rtc1):
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
                if t1 > t0 and _any_relapse_in(rel, r0, r1, t0, t1):
                    hit = True
                    break
        if not hit:
            return True
    return False


@njit(cache=True)
def _stop(mode, n_events, n_cdi, n_cdw, n_raw, n_pira):  # type: ignore[no-untyped-def]
    """msprog's end-of-iteration test for first-event modes."""
    if mode == MODE_FIRST:
        return n_events > 1
    if mode == MODE_FIRSTCDW:
        return n_cdw > 0
    if mode == MODE_FIRSTCDI:
        return n_cdi > 0
    if mode == MODE_FIRSTPIRA:
        return n_pira > 0
    if mode == MODE_FIRSTRAW:
        return n_raw > 0
    return False


@njit(cache=True)
def _wanted(mode, typ):  # type: ignore[no-untyped-def]
    if mode == MODE_FIRSTCDW:
        return typ != T_CDI
    if mode == MODE_FIRSTCDI:
        return typ == T_CDI
    if mode == MODE_FIRSTPIRA:
        return typ == T_PIRA
    if mode == MODE_FIRSTRAW:
        return typ == T_RAW
    return True


@njit(cache=True)
def progression_kernel(  # type: ignore[no-untyped-def]
    start,
    voff,
    vdays,
    vvals,
    vdelta,
    roff,
    rdays,
    conf_lo,
    conf_hi,
    ri,
    fp,
    ip,
    o_subj,
    o_nev,
    o_type,
    o_onset,
    o_bl,
    o_blv,
    o_conf,
):
    """Scan subjects start.. and write their events; stop early when the output is full.

    Returns (next_subject, n_written, status). Output rows hold global visit indices
    (onset, baseline, confirmation or -1) so the caller builds dates and values vectorised.
    """
    nsub = voff.shape[0] - 1
    cap = o_subj.shape[0]
    rtb0, rtb1 = fp[F_RTB0], fp[F_RTB1]
    rte0, rte1 = fp[F_RTE0], fp[F_RTE1]
    rtc0, rtc1 = fp[F_RTC0], fp[F_RTC1]
    ra0, ra1 = fp[F_RA0], fp[F_RA1]
    rsd, impute_fu = fp[F_RSD], fp[F_IMPUTE_FU]
    wi = ip[I_WORSE_INC] == 1
    st_change = ip[I_ST_CHANGE] == 1
    st_impr = ip[I_ST_IMPR] == 1
    st_wors = ip[I_ST_WORS] == 1
    rebl_cdi = ip[I_REBL_CDI] == 1
    rebl_cdw = ip[I_REBL_CDW] == 1
    firstconf = ip[I_FIRSTCONF] == 1
    mode = ip[I_MODE]
    rawpira = ip[I_RAWPIRA] == 1
    bl_geq = ip[I_BL_GEQ] == 1
    relapse_rebl = ip[I_RELAPSE_REBL] == 1
    skip = ip[I_SKIP_EXTR]
    ci = ip[I_CHECK_INT] == 1
    impute = ip[I_IMPUTE] == 1
    compat = ip[I_COMPAT] == 1
    prec_type = ip[I_PREC_TYPE]
    sign_aware = not compat
    nconf = conf_lo.shape[0]
    maxhi = conf_hi.max()
    assoc_gap = 0.0 if mode == MODE_FIRSTPIRA else ra0

    maxn = 1
    for s in range(start, nsub):
        maxn = max(maxn, voff[s + 1] - voff[s])
    vv = np.empty(maxn, np.float64)
    dd = np.empty(maxn, np.float64)
    crm = np.empty(maxn, np.float64)
    crp = np.empty(maxn, np.float64)
    e = np.empty(nconf, np.int64)
    det_cap = 4 * maxn + 16
    d_type = np.empty(det_cap, np.int64)
    d_on = np.empty(det_cap, np.int64)
    d_bl = np.empty(det_cap, np.int64)
    d_blv = np.empty(det_cap, np.float64)
    d_conf = np.empty(det_cap, np.int64)
    order = np.empty(det_cap, np.int64)

    w = 0
    for s in range(start, nsub):
        off = voff[s]
        n = voff[s + 1] - off
        if w + n > cap:
            return s, w, STATUS_FULL
        t = vdays[off : off + n]
        for i in range(n):
            vv[i] = vvals[off + i]
            dd[i] = vdelta[off + i]
        r0 = roff[s]
        r1 = roff[s + 1]
        if compat:
            # msprog: relapses before first visit - relapse_to_bl[0] are dropped for every
            # purpose. fix (default): they are kept (a relapse 50 days before follow-up
            # still makes a worsening 40 days into follow-up relapse-associated).
            while r0 < r1 and rdays[r0] < t[0] - rtb0:
                r0 += 1
        nrel = r1 - r0
        guard = 8 * n * (nrel + 2) + 64
        if n * (nrel + 2) + 16 > det_cap:  # relapse re-baselining can re-detect onsets
            det_cap = n * (nrel + 2) + 16
            d_type = np.empty(det_cap, np.int64)
            d_on = np.empty(det_cap, np.int64)
            d_bl = np.empty(det_cap, np.int64)
            d_blv = np.empty(det_cap, np.float64)
            d_conf = np.empty(det_cap, np.int64)
            order = np.empty(det_cap, np.int64)

        # days since the last relapse on/before each visit, and to the next on/after it
        j = r0
        for i in range(n):
            while j < r1 and rdays[j] <= t[i]:
                j += 1
            crm[i] = (t[i] - rdays[j - 1]) if j > r0 else np.inf
        j = r0
        for i in range(n):
            while j < r1 and rdays[j] < t[i]:
                j += 1
            crp[i] = (rdays[j] - t[i]) if j < r1 else np.inf

        bl = 0
        search = 1
        proceed = True
        irel = -1
        for r in range(r0, r1):
            if rdays[r] > t[0]:
                irel = r
                break
        has_last = False
        bl_last = 0.0
        bl_last_d = 0.0
        ndet = 0
        n_cdi = n_cdw = n_raw = n_pira = 0
        iters = 0

        while proceed:
            iters += 1
            if iters > guard or ndet >= det_cap:
                return s, w, STATUS_RUNAWAY
            # -- baseline: skip visits near relapses or at local extrema
            lext = False
            if skip != 0:
                lext = _local_extremum(vv, dd, bl, n, skip == 2, wi)
            while proceed and (crm[bl] < rtb0 or crp[bl] < rtb1 or lext):
                bl += 1
                lext = False
                if bl < n and skip != 0:
                    lext = _local_extremum(vv, dd, bl, n, skip == 2, wi)
                if bl > n - 2:
                    proceed = False
            if relapse_rebl and irel != -1 and bl < n:
                nxt = -1
                for r in range(irel, r1):
                    if rdays[r] > t[bl]:
                        nxt = r
                        break
                irel = nxt
            if search <= bl:
                search = bl + 1
            if bl > n - 1:
                bl = n - 1
                proceed = False
            elif bl_geq and has_last and bl_last > vv[bl]:
                # msprog (Kappos 2020): the new reference takes the old value.
                vv[bl] = bl_last
                dd[bl] = bl_last_d
            blv = vv[bl]
            bld = dd[bl]
            bl_last = blv
            bl_last_d = bld
            has_last = True

            # -- onset: first visit from `search` that changed from the reference
            ch = -1
            for x in range(search, n):
                if (
                    crm[x] >= rte0
                    and crp[x] >= rte1
                    and _ev(vv[x], blv, bld, CHANGE, st_change, wi)
                ):
                    ch = x
                    break

            if ch == -1:
                proceed = False
            elif relapse_rebl and irel != -1 and t[ch] > rdays[irel] + assoc_gap:
                search = ch  # crossed the next relapse: re-baseline below
            else:
                # -- confirmation candidates: earliest per window, g = earliest overall
                for m in range(nconf):
                    e[m] = -1
                g = -1
                for x in range(ch + 1, n):
                    dt = t[x] - t[ch]
                    if dt > maxhi:
                        break
                    if crm[x] < rtc0 or crp[x] < rtc1:
                        continue
                    found_all = True
                    for m in range(nconf):
                        if e[m] == -1 and conf_lo[m] <= dt <= conf_hi[m]:
                            e[m] = x
                            if g == -1:
                                g = x
                        if e[m] == -1:
                            found_all = False
                    if found_all:
                        break
                has_conf = g != -1

                if (
                    has_conf
                    and _ev(vv[ch], blv, bld, IMPR, False, wi)
                    and _confirmed(vv, ch, g, blv, bld, IMPR, False, ci, wi)
                ):
                    # ---- confirmed improvement (CDI)
                    nns = n
                    for x in range(g + 1, n):
                        if not _ev(vv[x], blv, bld, IMPR, False, wi):
                            nns = x
                            break
                    valid = _sustained(vv, t, ch, nns, n, blv, bld, IMPR, rsd, ci, wi)
                    if valid:
                        d_type[ndet] = T_CDI
                        d_on[ndet] = ch
                        d_bl[ndet] = bl
                        d_blv[ndet] = blv
                        d_conf[ndet] = g
                        ndet += 1
                        n_cdi += 1
                    # earliest surviving confirmation of the first surviving window.
                    # fix: msprog crashes here when a non-sustained CDI leaves a window empty.
                    newconf = g
                    for m in range(nconf):
                        if e[m] != -1 and e[m] < nns:
                            newconf = e[m]
                            break
                    if rebl_cdi:
                        newref = newconf if firstconf else ch
                        bl = newref
                    elif valid:
                        newref = newconf if firstconf else ch
                    else:
                        newref = ch
                    search = newref + 1
                elif (
                    has_conf
                    and rebl_cdi
                    and st_impr
                    and _subthreshold_confirmed(vv, ch, g, blv, IMPR, ci, sign_aware, wi)
                ):
                    # ---- confirmed sub-threshold improvement: re-baseline
                    newref = g if firstconf else ch
                    bl = newref
                    search = newref + 1
                elif _ev(vv[ch], blv, bld, WORS, False, wi) and (
                    (has_conf and _confirmed(vv, ch, g, blv, bld, WORS, False, ci, wi))
                    or (impute and ch == n - 1 and (t[ch] - t[0]) <= impute_fu)
                ):
                    # ---- confirmed (or imputed) worsening (CDW)
                    imputed = ch == n - 1
                    c0 = n - 1 if imputed else g
                    nns = n
                    for x in range(c0 + 1, n):
                        if not _ev(vv[x], blv, bld, WORS, False, wi):
                            nns = x
                            break
                    valid = _sustained(vv, t, ch, nns, n, blv, bld, WORS, rsd, ci, wi)
                    include = False
                    typ = T_CDW
                    if valid:
                        include = True
                        if rawpira and (crm[ch] <= ra0 or crp[ch] <= ra1):
                            if mode == MODE_FIRSTPIRA and not rebl_cdw:
                                include = False
                            else:
                                typ = T_RAW
                        elif rawpira:
                            if mode == MODE_FIRSTRAW and not rebl_cdw:
                                include = False
                            else:
                                if prec_type == 0:
                                    tprec = t[bl]
                                elif prec_type == 1:
                                    tprec = t[ch - 1]
                                else:
                                    tprec = t[_last_delta(vv, dd, ch, c0, n, WORS, skip, ci, wi)]
                                if _is_pira(t, crm, crp, ch, nns, n, imputed, tprec, conf_lo,
                                            conf_hi, ri, rdays, r0, r1, rtc0, rtc1):
                                    typ = T_PIRA
                                elif mode == MODE_FIRSTPIRA and not rebl_cdw:
                                    include = False
                    if include:
                        d_type[ndet] = typ
                        d_on[ndet] = ch
                        d_bl[ndet] = bl
                        d_blv[ndet] = blv
                        d_conf[ndet] = -1 if imputed else g
                        ndet += 1
                        n_cdw += 1
                        if typ == T_RAW:
                            n_raw += 1
                        elif typ == T_PIRA:
                            n_pira += 1
                    if imputed:
                        search = ch + 1  # msprog: no confirmation window left
                    else:
                        # fix: msprog can crash here (empty window) when the event is not kept.
                        newconf = g
                        for m in range(nconf):
                            if e[m] != -1 and e[m] < nns:
                                newconf = e[m]
                                break
                        if rebl_cdw:
                            newref = newconf if firstconf else ch
                            bl = newref
                        elif not include:
                            newref = ch
                        else:
                            newref = newconf if firstconf else ch
                        search = newref + 1
                elif (
                    has_conf
                    and rebl_cdw
                    and st_wors
                    and _subthreshold_confirmed(vv, ch, g, blv, WORS, ci, sign_aware, wi)
                ):
                    # ---- confirmed sub-threshold worsening: re-baseline
                    newref = g if firstconf else ch
                    bl = newref
                    search = newref + 1
                else:
                    search = ch + 1  # unconfirmed: same baseline, next visit

            # -- post-relapse re-baseline
            if relapse_rebl and proceed and search < n:
                crossed = False
                for r in range(r0, r1):
                    if t[bl] < rdays[r] and rdays[r] + assoc_gap < t[search]:
                        crossed = True
                        break
                if crossed and irel != -1:
                    newbl = -1
                    for x in range(bl, n):
                        if rdays[irel] <= t[x]:
                            newbl = x
                            break
                    if newbl != -1:
                        bl = newbl
                        search = bl + 1
                    if newbl == -1 or bl > n - 2:
                        proceed = False

            if proceed and _stop(mode, ndet, n_cdi, n_cdw, n_raw, n_pira):
                proceed = False

        # -- select and order: one event per onset (the last detected), by onset
        nkeep = 0
        for k in range(ndet):
            dup = False
            for k2 in range(k + 1, ndet):
                if d_on[k2] == d_on[k]:
                    dup = True
                    break
            if not dup:
                pos = nkeep
                while pos > 0 and d_on[order[pos - 1]] > d_on[k]:
                    order[pos] = order[pos - 1]
                    pos -= 1
                order[pos] = k
                nkeep += 1
        sel_start = 0
        sel_end = nkeep
        if mode != MODE_MULTIPLE and nkeep > 0:
            pick = -1
            if mode == MODE_FIRST:
                pick = 0
            elif compat:
                # msprog: the first wanted event in *detection* order, used as a position
                # in the onset-sorted list (the same thing unless relapse_rebl re-detects).
                ii = -1
                for k in range(ndet):
                    if _wanted(mode, d_type[k]):
                        ii = k
                        break
                if ii != -1 and ii < nkeep:
                    pick = ii
                elif ii != -1:  # msprog: IndexError. fix: the first wanted event by onset
                    for k in range(nkeep):
                        if _wanted(mode, d_type[order[k]]):
                            pick = k
                            break
            else:
                for k in range(nkeep):
                    if _wanted(mode, d_type[order[k]]):
                        pick = k
                        break
            if pick == -1:
                sel_end = 0
            else:
                sel_start = pick
                sel_end = pick + 1
        for q in range(sel_start, sel_end):
            k = order[q]
            o_subj[w] = s
            o_nev[w] = q - sel_start + 1
            o_type[w] = d_type[k]
            o_onset[w] = off + d_on[k]
            o_bl[w] = off + d_bl[k]
            o_blv[w] = d_blv[k]
            o_conf[w] = (off + d_conf[k]) if d_conf[k] >= 0 else -1
            w += 1
    return nsub, w, STATUS_OK
