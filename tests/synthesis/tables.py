"""A small table of single proportions, shared by the example tests and the properties."""

from __future__ import annotations

import pandas as pd

TABLE = pd.DataFrame({"study": ["a", "b", "c", "d"], "events": [1, 0, 4, 10],
                      "n": [30, 20, 50, 10], "year": [2001, 2005, 2012, 2020],
                      "grp": ["x", "y", "x", "y"]})
