"""Short human labels for the sources eligibility rules cite (for cautions).

Keys are canonical evidence-base source ids; the full citations live in the
evidence base (``msstem.evidence``). A label only names the source in words.
"""

from __future__ import annotations

from typing import Final

from msstem.errors import NotFoundError

__all__ = ["SOURCE_LABELS", "source_label"]

SOURCE_LABELS: Final[dict[str, str]] = {
    "miller-2021-nmss": "National MS Society recommendations (Miller et al., JAMA Neurol 2021)",
    "muraro-2025-ectrims-ebmt": "ECTRIMS–EBMT consensus (Muraro et al., Nat Rev Neurol 2025)",
    "cohen-2019-astct": "ASTCT position statement (Cohen et al., BBMT 2019)",
    "nmdp-referral": "NMDP referral guideline for MS",
    "neurostatus-edss": "EDSS ambulation steps (Neurostatus)",
    "rotstein-2015-neda": "NEDA-3 definition (Rotstein et al., JAMA Neurol 2015)",
    "beat-ms-registry": "BEAT-MS registry entry (NCT04047628, text refreshed Feb 2024)",
    "ram-ms-registry": "RAM-MS registry entry (NCT03477500)",
    "starms-aan-2024": "StarMS trial (AAN 2024 abstract)",
    "starms-protocol-2024": "StarMS protocol (BMJ Open 2024)",
    "net-ms-registry": "NET-MS trial (EudraCT 2022-002654-95)",
    "burt-2019-mist": "MIST trial (Burt et al., JAMA 2019)",
    "halt-ms-registry": "HALT-MS registry entry (NCT00288626)",
    "nash-2017-halt-ms": "HALT-MS trial (Nash et al., Neurology 2017)",
}


def source_label(source_id: str) -> str:
    """The human label of a cited source id."""
    try:
        return SOURCE_LABELS[source_id]
    except KeyError:
        allowed = ", ".join(SOURCE_LABELS)
        raise NotFoundError(
            f"source_id: unknown eligibility source {source_id!r}; allowed: {allowed}"
        ) from None
