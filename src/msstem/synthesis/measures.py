"""Effect sizes and their sampling variances, as metafor's ``escalc()`` computes them.

* ``PLO``: logit of a proportion, ``yi = log(x / (n - x))``, ``vi = 1/x + 1/(n - x)``;
* ``PR``: raw proportion, ``yi = x / n``, ``vi = yi (1 - yi) / n``;
* ``GEN``: a generic effect given as ``yi`` with ``vi`` (or ``sei``, ``vi = sei²``).

For ``PLO`` and ``PR`` a study whose count is 0 or n gets ``add`` (0.5 by default) added
to both cells (``x`` and ``n - x``), which is escalc()'s ``add = 1/2, to = "only0"``.
Non-integer counts are allowed (as in escalc): a percentage reported with its N gives
``x = N * percent / 100``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["BACKTRANSFORMS", "effect_sizes", "ilogit"]

Array = npt.NDArray[np.float64]


def ilogit(value: float) -> float:
    """metafor's ``transf.ilogit``."""
    return float(1.0 / (1.0 + np.exp(-value)))


def _identity(value: float) -> float:
    return float(value)


#: Back-transformation of each measure's scale to a proportion (0-1); GEN has none.
BACKTRANSFORMS: Final = {"PLO": ilogit, "PR": _identity}


def effect_sizes(
    measure: str, *, events: Array | None = None, n: Array | None = None,
    yi: Array | None = None, vi: Array | None = None, add: float = 0.5,
) -> tuple[Array, Array, Array]:
    """``(yi, vi, corrected)``: effect sizes, variances, and which studies got ``add``."""
    if measure == "GEN":
        assert yi is not None and vi is not None
        return yi.astype(float), vi.astype(float), np.zeros(len(yi), dtype=float)
    assert events is not None and n is not None
    xi = events.astype(float)
    mi = n.astype(float) - xi
    corrected = (xi == 0) | (mi == 0)
    xi = np.where(corrected, xi + add, xi)
    mi = np.where(corrected, mi + add, mi)
    ni = xi + mi
    if measure == "PLO":
        with np.errstate(divide="ignore"):
            y = np.log(xi / mi)
            v = 1.0 / xi + 1.0 / mi
    else:  # PR
        y = xi / ni
        v = y * (1.0 - y) / ni
    return y, v, corrected.astype(float)
