"""Evidence synthesis: meta-analysis of study arms, as metafor computes it.

    >>> import pandas as pd
    >>> from msstem.synthesis import meta_analysis
    >>> table = pd.DataFrame({"study": ["a", "b", "c"], "events": [1, 0, 4], "n": [30, 20, 50]})
    >>> res = meta_analysis(table, measure="PLO", method="REML")
    >>> res.k, res.measure, res.method
    (3, 'PLO', 'REML')

Measures ``PLO`` (logit proportion, the default), ``PR`` and ``GEN`` (yi with vi or sei);
tau² estimators ``REML`` (default), ``DL``, ``PM``, ``ML``, ``SJ``, ``HE`` or a fixed-effect
model (``FE``); Knapp-Hartung (``knha=True``); moderators (``mods=[...]``); leave-one-out,
Egger's test and subgroups in :mod:`msstem.synthesis.sensitivity`. Plots are drawn by
``msstem.reports.forest``. Methods, parity with metafor and derived facts: docs/synthesis.md.
"""

from msstem.synthesis.analysis import meta_analysis
from msstem.synthesis.derive import DerivedSpec, Gap, check_derived, compute_derived
from msstem.synthesis.options import MEASURES, METHODS, MetaOptions
from msstem.synthesis.result import Coefficient, MetaResult, Prediction, StudyRow
from msstem.synthesis.sensitivity import (
    LeaveOneOut,
    RegTest,
    SubgroupResult,
    leave_one_out,
    regtest,
    subgroups,
)

__all__ = [
    "MEASURES",
    "METHODS",
    "Coefficient",
    "DerivedSpec",
    "Gap",
    "LeaveOneOut",
    "MetaOptions",
    "MetaResult",
    "Prediction",
    "RegTest",
    "StudyRow",
    "SubgroupResult",
    "check_derived",
    "compute_derived",
    "leave_one_out",
    "meta_analysis",
    "regtest",
    "subgroups",
]
