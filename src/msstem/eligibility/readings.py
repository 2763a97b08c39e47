"""What a profile tells us, in three-valued logic (True / False / None = unknown).

Rules combine these with Kleene logic, so filling in an unknown field can turn
``None`` into an answer but never flips an answer already given. That is what
keeps every criterion monotone (tested as a Hypothesis property).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from msstem.clinical.profile import Profile
from msstem.errors import EvidenceError
from msstem.evidence.criteria import Criterion

__all__ = [
    "MRI_WINDOW_MONTHS",
    "RELAPSE_WINDOWS",
    "RelapseCount",
    "RelapseWindow",
    "k_and",
    "k_not",
    "k_or",
    "mri_activity",
    "mri_activity_12m",
    "recent_activity",
    "relapse_count",
    "relapses_at_least",
    "window_of",
]

RelapseWindow = Literal[12, 24, 36]
#: The profile records MRI lesions for this window only (gd_lesions_12m, new_t2_lesions_12m).
MRI_WINDOW_MONTHS: Final = 12
#: The profile's relapse windows in months, shortest first, with their field names.
RELAPSE_WINDOWS: Final[tuple[tuple[RelapseWindow, str], ...]] = (
    (12, "relapses_12m"),
    (24, "relapses_24m"),
    (36, "relapses_36m"),
)


def k_and(*values: bool | None) -> bool | None:
    """Kleene AND: False wins, then unknown, then True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def k_or(*values: bool | None) -> bool | None:
    """Kleene OR: True wins, then unknown, then False."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def k_not(value: bool | None) -> bool | None:
    return None if value is None else not value


@dataclass(frozen=True, slots=True)
class RelapseCount:
    """Bounds on the relapse count in one window, using the nesting of the windows.

    A longer window includes a shorter one, so ``relapses_36m`` is at least
    ``relapses_12m``, and ``relapses_12m`` is at most ``relapses_36m``.
    """

    window: RelapseWindow
    low: int | None  # None: no window gives a lower bound
    high: int | None  # None: no upper bound known

    @property
    def exact(self) -> int | None:
        return self.low if self.low is not None and self.low == self.high else None

    def at_least(self, n: float) -> bool | None:
        """Is the count ``>= n``? None when the bounds do not decide."""
        if self.low is not None and self.low >= n:
            return True
        if self.high is not None and self.high < n:
            return False
        return None

    def describe(self) -> str:
        """Plain words for the count, e.g. ``2`` or ``at least 1``."""
        if self.exact is not None:
            return str(self.exact)
        if self.low is not None and self.high is not None:
            return f"between {self.low} and {self.high}"
        if self.low is not None:
            return f"at least {self.low}"
        if self.high is not None:
            return f"at most {self.high}"
        return "unknown"


def relapse_count(profile: Profile, window: RelapseWindow) -> RelapseCount:
    """Bounds on the number of relapses in the last ``window`` months."""
    known = {name: getattr(profile, name) for _, name in RELAPSE_WINDOWS}
    shorter = [n for w, name in RELAPSE_WINDOWS if w <= window and (n := known[name]) is not None]
    longer = [n for w, name in RELAPSE_WINDOWS if w >= window and (n := known[name]) is not None]
    # Windows shorter than `window` bound it below; longer ones bound it above (and a
    # zero count in a long window pins every shorter one to zero).
    return RelapseCount(
        window=window,
        low=max(shorter) if shorter else None,
        high=min(longer) if longer else None,
    )


def _at_least(value: int | None, n: float) -> bool | None:
    return None if value is None else value >= n


def mri_activity_12m(profile: Profile, min_lesions: float) -> bool | None:
    """At least ``min_lesions`` Gd-enhancing or new/enlarging T2 lesions in the last 12 months."""
    return k_or(
        _at_least(profile.gd_lesions_12m, min_lesions),
        _at_least(profile.new_t2_lesions_12m, min_lesions),
    )


def window_of(criterion: Criterion) -> RelapseWindow:
    """The profile relapse window a criterion counts over (its ``window_months``)."""
    for window, _field in RELAPSE_WINDOWS:
        if window == criterion.window_months:
            return window
    raise EvidenceError(
        f"criterion {criterion.id}: window_months {criterion.window_months!r} is not a profile "
        f"relapse window ({', '.join(str(w) for w, _ in RELAPSE_WINDOWS)})"
    )


def relapses_at_least(profile: Profile, criterion: Criterion) -> bool | None:
    """Does the profile have at least ``criterion.value`` relapses in the criterion's window?"""
    return relapse_count(profile, window_of(criterion)).at_least(criterion.value)


def mri_activity(profile: Profile, criterion: Criterion) -> bool | None:
    """MRI activity as the criterion defines it (its lesion count, on the profile's MRI window)."""
    if criterion.window_months != MRI_WINDOW_MONTHS:
        raise EvidenceError(
            f"criterion {criterion.id}: a profile records MRI lesions for the last "
            f"{MRI_WINDOW_MONTHS} months only, not {criterion.window_months!r}"
        )
    return mri_activity_12m(profile, criterion.value)


def recent_activity(profile: Profile, relapses: Criterion, mri: Criterion) -> bool | None:
    """A relapse (``relapses``) or MRI activity (``mri``) in their windows, three-valued."""
    return k_or(relapses_at_least(profile, relapses), mri_activity(profile, mri))
