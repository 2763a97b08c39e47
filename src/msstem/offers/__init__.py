"""The unproven-clinic offer checker: FDA and ISSCR warning signs, with the quoted text.

    >>> from msstem.offers import check_offer
    >>> result = check_offer("Our clinic offers stem cells with no side effects for $9,500.")
    >>> [f.id for f in result.warning_signs][:2]
    ['no-risk', 'pay-outside-trial']

Pure functions over text: no models, no network, no files. The word patterns are
in :mod:`msstem.offers.patterns`; the sign text and sources come from the evidence
base (:mod:`msstem.evidence`) when present, else from :mod:`msstem.offers.catalog`.
"""

from __future__ import annotations

from msstem.offers.catalog import (
    CHECKED_SIGN_IDS,
    SOURCE_IDS,
    UNCHECKED_SIGN_IDS,
    SignInfo,
    SourceRef,
    sign_catalog,
)
from msstem.offers.checker import (
    DISCLAIMER,
    MAX_OFFER_CHARS,
    CheckedSign,
    Finding,
    OfferCheck,
    OfferCheckOptions,
    Quote,
    check_offer,
)

__all__ = [
    "CHECKED_SIGN_IDS",
    "DISCLAIMER",
    "MAX_OFFER_CHARS",
    "UNCHECKED_SIGN_IDS",
    "CheckedSign",
    "Finding",
    "OfferCheck",
    "OfferCheckOptions",
    "Quote",
    "SignInfo",
    "SourceRef",
    "check_offer",
    "cited_source_ids",
    "sign_catalog",
]


def cited_source_ids() -> tuple[str, ...]:
    """The evidence-base source ids this package cites in code (for the evidence validator)."""
    return SOURCE_IDS
