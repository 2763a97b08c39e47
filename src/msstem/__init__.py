"""msstem: evidence-based decision support and outcome analytics for stem cell therapy in MS.

msstem supports decisions; it does not make them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
