"""A plain-English paragraph of the criteria used, for a paper's methods section.

Generated from :class:`~msstem.outcomes.options.ProgressionOptions` only, so the text always
says what was run. It covers what R msprog's ``print()`` covers (msprog-r-notes): the events
detected, the confirmation period(s) and tolerance, the relapse distances for baseline,
onset and confirmation visits, the baseline scheme and re-baselining, local extrema, the
minimum clinically meaningful change, the RAW window, the PIRA definition and imputation at
the last visit. Numbers come from the options and from ``msstem.outcomes.deltas``.
"""

from __future__ import annotations

import math

from msstem.outcomes.deltas import (
    EDSS_DELTA_AT_ZERO,
    EDSS_DELTA_HIGH,
    EDSS_DELTA_LOW,
    EDSS_HIGH_ABOVE_MSPROG,
    SDMT_DELTA_CAP,
    TIMED_TEST_FRACTION,
)
from msstem.outcomes.options import ProgressionOptions

__all__ = ["methods_text"]

_OUTCOME = {"edss": "EDSS", "nhpt": "Nine-Hole Peg Test (NHPT)",
            "t25fw": "Timed 25-Foot Walk (T25FW)", "sdmt": "SDMT", "custom": "outcome"}
_EVENTS = {
    "firstCDW": "the first confirmed disability worsening (CDW)",
    "firstCDI": "the first confirmed disability improvement (CDI)",
    "first": "the first confirmed change (worsening or improvement)",
    "firstPIRA": "the first progression independent of relapse activity (PIRA)",
    "firstRAW": "the first relapse-associated worsening (RAW)",
    "multiple": "all confirmed worsening and improvement events (in chronological order)",
}
_PREC = {"baseline": "the reference visit", "last": "the last visit before the event",
         "last_delta": "the last visit before the event that differed from it by at least "
                       "the minimum change"}


def _n(x: float) -> str:
    return f"{x:g}"


def _days(x: float) -> str:
    return f"{_n(x)} day{'' if x == 1 else 's'}"


def _delta_text(opts: ProgressionOptions) -> str:
    if opts.outcome == "edss":
        return (f"{_n(EDSS_DELTA_AT_ZERO)} points from a reference of 0, "
                f"{_n(EDSS_DELTA_LOW)} point from a reference up to {_n(EDSS_HIGH_ABOVE_MSPROG)}"
                f", and {_n(EDSS_DELTA_HIGH)} point above {_n(EDSS_HIGH_ABOVE_MSPROG)}")
    pct = _n(100 * TIMED_TEST_FRACTION)
    if opts.outcome in ("nhpt", "t25fw"):
        return f"{pct}% of the reference time"
    if opts.outcome == "sdmt":
        return f"{pct}% of the reference score, at most {_n(SDMT_DELTA_CAP)} points"
    return "a user-supplied minimum change"


def _relapse_distance(window: tuple[float, float], ends: bool) -> str:
    """'within 30 days after the onset of a relapse' style text ('' when no constraint)."""
    after, before = window
    parts = []
    if after > 0:
        parts.append("within a relapse (from its onset to its end date)" if ends
                     else f"within {_days(after)} after the onset of a relapse")
    if before > 0:
        parts.append(f"within {_days(before)} before the onset of a relapse")
    return ", or ".join(parts)


def _confirmation(opts: ProgressionOptions) -> str:
    periods = " or ".join(_n(c) for c in opts.conf_days)
    left, right = opts.conf_tol_days
    tol = []
    if left > 0:
        tol.append(f"{_days(left)} earlier")
    if math.isinf(right):
        tol.append("any time later")
    elif right > 0:
        tol.append(f"{_days(right)} later")
    text = (f"An event was confirmed when the change was kept "
            f"{'at every visit up to and including' if opts.check_intermediate else 'at'} "
            f"a confirmation visit {periods} days after its onset")
    if tol:
        text += f" (the confirmation visit could be up to {' or '.join(tol)})"
    text += "; only the first eligible confirmation visit was tested."
    if opts.validconf_col is not None:
        text += (f" Visits marked as not valid for confirmation (column "
                 f"'{opts.validconf_col}') were not used to confirm events.")
    ends = opts.relapse_end_col is not None
    conf_rel = _relapse_distance(opts.relapse_to_conf, ends)
    if conf_rel:
        text += f" A visit could not confirm an event if it was {conf_rel}."
    ev_rel = _relapse_distance(opts.relapse_to_event, ends)
    if ev_rel:
        text += f" A change was not considered as an event onset if it was {ev_rel}."
    if opts.require_sust_days > 0:
        text += (" Events had to be sustained until the end of follow-up."
                 if math.isinf(opts.require_sust_days) else
                 f" Events had to be sustained for at least {_days(opts.require_sust_days)} "
                 "(or until the end of follow-up).")
    return text


def _baseline(opts: ProgressionOptions) -> str:
    ends = opts.relapse_end_col is not None
    bl_rel = _relapse_distance(opts.relapse_to_bl, ends)
    moved = f", moved to the next visit when it was {bl_rel}" if bl_rel else ""
    target = ("the first confirmation visit" if opts.proceed_from == "firstconf"
              else "the event visit")
    if opts.baseline == "fixed":
        text = f"The baseline was fixed at the first visit{moved}."
    else:
        after = {"roving": "each confirmed worsening or improvement",
                 "roving_impr": "each confirmed improvement",
                 "roving_wors": "each confirmed worsening"}[opts.baseline]
        text = (f"A roving baseline was used: the first visit{moved}, then the reference "
                f"moved after {after} to {target}, taking that visit's value.")
        if opts.sub_threshold_rebl != "none":
            kind = {"event": "change", "improvement": "improvement",
                    "worsening": "worsening"}[opts.sub_threshold_rebl]
            text += (f" A confirmed {kind} smaller than the minimum change also moved the "
                     "reference.")
    if opts.relapse_rebl:
        text += " The baseline was also moved to the first visit after each relapse."
    if opts.bl_geq:
        text += " A new reference value was never allowed below the previous one."
    if opts.skip_local_extrema != "none":
        text += (" The baseline was never placed at a local extremum"
                 f"{' (a visit differing by at least the minimum change from both neighbours)' if opts.skip_local_extrema == 'strict' else ''}.")  # noqa: E501
    return text


def _pira_windows(opts: ProgressionOptions) -> str:
    """The relapse-free windows in words, merging as msprog does."""
    ri = opts.relapse_indep
    names = (_PREC[ri.prec_type], "the event", "the confirmation visit")
    spans: list[str] = []
    start: str | None = None
    for name, (before, after) in zip(names, (ri.prec, ri.event, ri.conf), strict=True):
        if before is not None:
            start = f"{_days(before)} before {name}" if before > 0 else name
        elif start is None:
            start = name
        if after is not None:
            if (before or 0) == 0 and after == 0 and start == name:
                start = None
                continue  # a 0/0 window is ignored
            end = f"{_days(after)} after {name}" if after > 0 else name
            spans.append(f"from {start} to {end}")
            start = None
    return ", and ".join(spans) if spans else "(no window)"


def _raw_pira(opts: ProgressionOptions) -> str:
    if not opts.classifies_raw_pira:
        return ""
    ends = opts.relapse_end_col is not None
    after, before = opts.relapse_assoc
    raw = ["within a relapse (from its onset to its end date)" if ends
           else f"at most {_days(after)} after the onset of a relapse"]
    if before > 0:
        raw.append(f"at most {_days(before)} before the onset of one")
    text = (f" A worsening was classified as relapse-associated (RAW) when its onset was "
            f"{' or '.join(raw)}; otherwise as PIRA when, for at least one confirmation "
            "visit, ")
    if opts.relapse_indep.use_end_dates:
        text += "neither the event nor that confirmation visit fell within a relapse"
    else:
        text += f"no relapse occurred {_pira_windows(opts)}"
    if opts.pira_definition is not None:
        from msstem.evidence import load_evidence

        d = next(x for x in load_evidence().pira_definitions if x.id == opts.pira_definition)
        text += f" (the {d.label} definition)"
    return text + "; and as undefined otherwise."


def methods_text(opts: ProgressionOptions, version: str | None = None) -> str:
    """The criteria paragraph for ``opts`` (msprog's ``print()`` of an output)."""
    if version is None:
        from msstem import __version__ as version
    outcome = _OUTCOME[opts.outcome]
    worse = "an increase" if opts.worsening_direction == "increase" else "a decrease"
    text = (f"We detected {_EVENTS[opts.event]} in {outcome} with msstem {version}, which "
            "implements the msprog algorithm (Montobbio et al., Mult Scler 2024). "
            f"Worsening was {worse} from the reference value of at least {_delta_text(opts)}"
            " (the minimum clinically meaningful change; improvement the same change in the "
            "other direction). ")
    text += _confirmation(opts) + " " + _baseline(opts) + _raw_pira(opts)
    if opts.impute_last_visit >= 1:
        text += (" A worsening at the last visit, which cannot be confirmed, was counted as "
                 "an event" + ("." if opts.impute_last_visit == 1 else
                               f" when it occurred within {_days(opts.impute_last_visit)} of "
                               "the start of follow-up."))
    return text
