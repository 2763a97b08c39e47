"""Every numeric eligibility threshold, named, with its source and the notes' wording.

Each constant quotes the wording of ``evidence-notes.md`` (sections 3, 4, 6, 8, 9,
10) in ``wording``. A change here is a change to the boundary tables in
``tests/eligibility/test_boundaries.py``. Guideline numbers the notes mark NOT
FOUND (EBMT 2020 age/EDSS, ASTCT age/EDSS, NMSS EDSS) are deliberately absent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = [
    "ASTCT_NMDP_MIN_RELAPSES_36M",
    "BEAT_AGE_MAX",
    "BEAT_AGE_MIN",
    "BEAT_EDSS_MAX",
    "BEAT_MIN_EPISODES_36M",
    "BEAT_MIN_MONTHS_ON_DMT",
    "COMPARISONS",
    "ECTRIMS_CASE_BY_CASE_AGE",
    "ECTRIMS_IDEAL_AGE",
    "ECTRIMS_IDEAL_DURATION",
    "ECTRIMS_IDEAL_EDSS",
    "ECTRIMS_MIN_FAILED_HE_DMTS",
    "HALT_AGE_MAX",
    "HALT_AGE_MIN",
    "HALT_EDSS_MAX",
    "HALT_EDSS_MIN",
    "HALT_MIN_RELAPSES_ON_DMT",
    "HALT_SPMS_RELAPSE_FREE_MONTHS",
    "MIST_EDSS_MAX",
    "MIST_EDSS_MIN",
    "MIST_MIN_RELAPSES_12M",
    "MRI_ACTIVITY_MIN_LESIONS",
    "NETMS_AGE_MAX",
    "NETMS_AGE_MIN",
    "NETMS_EDSS_MAX",
    "NETMS_EDSS_MIN",
    "NMDP_CANNOT_WALK_100M_EDSS",
    "NMDP_WALKS_100M_EDSS",
    "NMSS_BEST_AGE",
    "NMSS_BEST_DURATION",
    "RAM_AGE_MAX",
    "RAM_AGE_MIN",
    "RAM_EDSS_MAX",
    "RAM_EDSS_MIN",
    "RAM_MIN_GD_LESIONS_12M",
    "RAM_MIN_NEW_T2_12M",
    "RAM_MIN_RELAPSES_12M",
    "RAM_RELAPSE_MIN_MONTHS_AFTER_DMT_START",
    "STARMS_MIN_ACTIVITY_12M",
    "STARMS_RES_MIN_GD_LESIONS",
    "STARMS_RES_MIN_RELAPSES_12M",
    "Comparison",
    "Threshold",
    "all_thresholds",
    "describe_range",
    "format_number",
]

Comparison = Literal["<", "<=", ">", ">="]
#: The allowed comparisons.
COMPARISONS: tuple[str, ...] = get_args(Comparison)

# Units are written in the plural; a threshold of exactly 1 reads in the singular.
_PLURAL: Final = re.compile(r"\b(relapse|lesion|month|year|episode)s\b")
_SYMBOL: Final = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}


@dataclass(frozen=True, slots=True)
class Threshold:
    """A cited numeric limit: ``measured <comparison> value`` passes.

    ``wording`` quotes the evidence notes; ``source_id`` is a canonical source id.
    """

    value: float
    unit: str
    comparison: Comparison
    source_id: str
    wording: str

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise ValueError(
                f"threshold comparison {self.comparison!r}; allowed: {', '.join(COMPARISONS)}"
            )
        if not math.isfinite(self.value):
            raise ValueError(f"threshold value {self.value!r} is not finite")
        if not self.source_id or not self.wording:
            raise ValueError("a threshold needs a source_id and the source's wording")

    def holds(self, measured: float) -> bool:
        """True if ``measured`` passes this threshold."""
        match self.comparison:
            case "<":
                return measured < self.value
            case "<=":
                return measured <= self.value
            case ">":
                return measured > self.value
            case ">=":
                return measured >= self.value

    def format_value(self) -> str:
        return format_number(self.value, self.unit)

    def text(self) -> str:
        """Human text, e.g. ``EDSS ≤ 6.0``, ``≥ 2 relapses`` or ``≥ 1 relapse``."""
        symbol = _SYMBOL[self.comparison]
        if self.unit == "EDSS":
            return f"EDSS {symbol} {self.format_value()}"
        unit = _PLURAL.sub(lambda m: m.group(1), self.unit) if self.value == 1 else self.unit
        return f"{symbol} {self.format_value()} {unit}"


def format_number(value: float, unit: str) -> str:
    """EDSS always with one decimal (the grid's own notation); counts and years as integers."""
    if unit == "EDSS":
        return f"{value:.1f}"
    return str(int(value)) if float(value).is_integer() else str(value)


def describe_range(low: Threshold, high: Threshold) -> str:
    """E.g. ``18 to 55 years inclusive`` or ``EDSS 2.0 to 6.0 inclusive``."""
    if low.unit != high.unit:
        raise ValueError(f"range units differ: {low.unit!r} vs {high.unit!r}")
    inclusive = low.comparison == ">=" and high.comparison == "<="
    span = f"{low.format_value()} to {high.format_value()}"
    text = f"EDSS {span}" if low.unit == "EDSS" else f"{span} {low.unit}"
    return f"{text} inclusive" if inclusive else f"{low.text()} and {high.text()}"


# --- National MS Society 2021 (Miller et al., JAMA Neurol 2021) -- notes §6 ------------------
NMSS_BEST_AGE: Final = Threshold(50, "years", "<", "miller-2021-nmss", "Best candidates <50 years")
NMSS_BEST_DURATION: Final = Threshold(
    10, "years", "<", "miller-2021-nmss", "disease duration <10 years"
)

# --- ECTRIMS-EBMT consensus 2025 (Muraro et al., Nat Rev Neurol 2025) -- notes §6 -------------
ECTRIMS_MIN_FAILED_HE_DMTS: Final = Threshold(
    1, "failed high-efficacy DMT(s)", ">=", "muraro-2025-ectrims-ebmt",
    "Escalation in highly active MS after failure of ≥1 high-efficacy DMT",
)
ECTRIMS_IDEAL_AGE: Final = Threshold(45, "years", "<", "muraro-2025-ectrims-ebmt", "Ideal: age <45")
ECTRIMS_CASE_BY_CASE_AGE: Final = Threshold(
    55, "years", ">", "muraro-2025-ectrims-ebmt", "(fit >55 case-by-case)"
)
ECTRIMS_IDEAL_DURATION: Final = Threshold(
    10, "years", "<", "muraro-2025-ectrims-ebmt", "duration <10 y"
)
ECTRIMS_IDEAL_EDSS: Final = Threshold(
    6.0, "EDSS", "<", "muraro-2025-ectrims-ebmt", "EDSS <6.0 (higher OK if from recent relapse)"
)

# --- NMDP referral guideline (used as soft guidance next to ASTCT 2019) -- notes §6 ------------
ASTCT_NMDP_MIN_RELAPSES_36M: Final = Threshold(
    2, "relapses", ">=", "nmdp-referral", "after a relapse with ≥2 relapses in past 3 years on DMT"
)
# "refer while patient can walk 100 m (unilateral aid allowed)". msstem's reading on the
# EDSS ambulation steps (notes §10): 5.5 = 100-<200 m unaided, so EDSS <= 5.5 can walk
# 100 m; 6.0 = "<100 m unaided, or unilateral aid >=50 m" may or may not reach 100 m with
# one aid; 6.5 = "unilateral <50 m" cannot.
NMDP_WALKS_100M_EDSS: Final = Threshold(5.5, "EDSS", "<=", "neurostatus-edss", "5.5: 100–<200 m")
NMDP_CANNOT_WALK_100M_EDSS: Final = Threshold(
    6.5, "EDSS", ">=", "neurostatus-edss", "6.5: unilateral <50 m, or bilateral 5–<120 m"
)

# --- MRI activity (NEDA-3 definition) -- notes §9 -----------------------------------------------
MRI_ACTIVITY_MIN_LESIONS: Final = Threshold(
    1, "lesions", ">=", "rotstein-2015-neda",
    "no MRI activity (new/enlarging T2 or Gd-enhancing T1 lesions)",
)

# --- BEAT-MS (NCT04047628; registry text refreshed Feb 2024) -- notes §6, §8 --------------------
BEAT_AGE_MIN: Final = Threshold(18, "years", ">=", "beat-ms-registry", "age 18 to 55 inclusive")
BEAT_AGE_MAX: Final = Threshold(55, "years", "<=", "beat-ms-registry", "age 18 to 55 inclusive")
BEAT_EDSS_MAX: Final = Threshold(
    6.0, "EDSS", "<=", "beat-ms-registry", "EDSS ≤ 6.0 at randomisation"
)
BEAT_MIN_EPISODES_36M: Final = Threshold(
    2, "episodes", ">=", "beat-ms-registry",
    "≥2 episodes of disease activity (clinical relapse or MRI activity) in the 36 months "
    "before screening",
)
BEAT_MIN_MONTHS_ON_DMT: Final = Threshold(
    1, "months", ">=", "beat-ms-registry",
    "at least one following ≥1 month of an FDA-approved oral DMT or a monoclonal antibody",
)

# --- RAM-MS (NCT03477500) -- notes §6 ------------------------------------------------------------
RAM_AGE_MIN: Final = Threshold(18, "years", ">=", "ram-ms-registry", "age ≥18 to ≤50")
RAM_AGE_MAX: Final = Threshold(50, "years", "<=", "ram-ms-registry", "age ≥18 to ≤50")
RAM_EDSS_MIN: Final = Threshold(0.0, "EDSS", ">=", "ram-ms-registry", "EDSS 0 to 5.5")
RAM_EDSS_MAX: Final = Threshold(5.5, "EDSS", "<=", "ram-ms-registry", "EDSS 0 to 5.5")
RAM_MIN_RELAPSES_12M: Final = Threshold(
    1, "relapses", ">=", "ram-ms-registry", "≥1 clinically reported relapse"
)
RAM_MIN_GD_LESIONS_12M: Final = Threshold(
    1, "Gd+ lesions", ">=", "ram-ms-registry", "≥1 T1 Gd-enhanced lesion"
)
RAM_MIN_NEW_T2_12M: Final = Threshold(
    3, "new or enlarging T2 lesions", ">=", "ram-ms-registry", "≥3 new or enlarging T2 lesions"
)
# Not answerable from a profile; shown as a caution.
RAM_RELAPSE_MIN_MONTHS_AFTER_DMT_START: Final = Threshold(
    3, "months", ">=", "ram-ms-registry",
    "occurred ≥3 months after the start of an immunomodulatory treatment",
)

# --- StarMS (AAN 2024 abstract) -- notes §6 ----------------------------------------------------
STARMS_MIN_ACTIVITY_12M: Final = Threshold(
    1, "relapses or MRI activity", ">=", "starms-aan-2024",
    "≥1 relapse or MRI activity in 12 mo despite DMT",
)
STARMS_RES_MIN_RELAPSES_12M: Final = Threshold(
    2, "disabling relapses", ">=", "starms-aan-2024", "≥2 disabling relapses in 12 mo"
)
STARMS_RES_MIN_GD_LESIONS: Final = Threshold(
    1, "Gd+ lesions", ">=", "starms-aan-2024", "≥1 Gd+ or significant T2 increase"
)

# --- NET-MS (EudraCT 2022-002654-95) -- notes §8 -------------------------------------------------
NETMS_AGE_MIN: Final = Threshold(18, "years", ">=", "net-ms-registry", "age 18–55")
NETMS_AGE_MAX: Final = Threshold(55, "years", "<=", "net-ms-registry", "age 18–55")
NETMS_EDSS_MIN: Final = Threshold(2.0, "EDSS", ">=", "net-ms-registry", "EDSS 2–6")
NETMS_EDSS_MAX: Final = Threshold(6.0, "EDSS", "<=", "net-ms-registry", "EDSS 2–6")

# --- MIST (Burt et al., JAMA 2019) -- notes §4 -------------------------------------------------
MIST_MIN_RELAPSES_12M: Final = Threshold(
    2, "relapses", ">=", "burt-2019-mist", "≥2 relapses on DMT in prior year"
)
MIST_EDSS_MIN: Final = Threshold(2.0, "EDSS", ">=", "burt-2019-mist", "EDSS 2.0–6.0")
MIST_EDSS_MAX: Final = Threshold(6.0, "EDSS", "<=", "burt-2019-mist", "EDSS 2.0–6.0")

# --- HALT-MS (Nash et al., Neurology 2017; NCT00288626) -- notes §3 ----------------------------
HALT_AGE_MIN: Final = Threshold(18, "years", ">=", "halt-ms-registry", "age 18–60")
HALT_AGE_MAX: Final = Threshold(60, "years", "<=", "halt-ms-registry", "age 18–60")
HALT_EDSS_MIN: Final = Threshold(3.0, "EDSS", ">=", "nash-2017-halt-ms", "EDSS 3.0–5.5")
HALT_EDSS_MAX: Final = Threshold(5.5, "EDSS", "<=", "nash-2017-halt-ms", "EDSS 3.0–5.5")
# The notes give no count for "relapses"; msstem counts any relapse (documented reading).
HALT_MIN_RELAPSES_ON_DMT: Final = Threshold(
    1, "relapses", ">=", "nash-2017-halt-ms",
    "RRMS with relapses plus disability progression while on DMT",
)
# SPMS relapse-free for >= 12 months is excluded: read on the profile's 12-month window.
HALT_SPMS_RELAPSE_FREE_MONTHS: Final = Threshold(
    12, "months", ">=", "halt-ms-registry", "PPMS and SPMS without relapses ≥12 mo excluded"
)


def all_thresholds() -> dict[str, Threshold]:
    """Every threshold constant of this module, by name."""
    return {name: value for name, value in globals().items() if isinstance(value, Threshold)}
