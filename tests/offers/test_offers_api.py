"""The public API: input limits, options, result shape, the catalog and cited sources."""

from __future__ import annotations

import dataclasses
import json

import pytest
from offers_support import OFFERS, check

import msstem.offers as offers
from msstem import __version__
from msstem.errors import InputError, OptionsError
from msstem.evidence import load_evidence
from msstem.offers import (
    CHECKED_SIGN_IDS,
    DISCLAIMER,
    MAX_OFFER_CHARS,
    UNCHECKED_SIGN_IDS,
    OfferCheckOptions,
    check_offer,
    cited_source_ids,
    sign_catalog,
)
from msstem.offers.catalog import builtin_catalog, catalog_from


def _isort_key(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions.
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def test_public_names() -> None:
    assert offers.__all__ == sorted(offers.__all__, key=_isort_key)
    assert set(offers.__all__) == {
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
    }


# --- input limits -------------------------------------------------------------------------


def test_size_limit_boundary() -> None:
    assert MAX_OFFER_CHARS == 20_000
    at_limit = ("Our clinic offers stem cells. " * 700)[:MAX_OFFER_CHARS]
    assert len(at_limit) == MAX_OFFER_CHARS
    assert check(at_limit).text_chars == MAX_OFFER_CHARS
    with pytest.raises(InputError) as info:
        check(at_limit + "x")
    assert str(info.value) == "text: 20,001 characters; the limit is 20,000"
    assert info.value.field == "text"


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_empty_text_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as info:
        check(text)
    message = str(info.value)
    assert message.startswith("text: empty")
    assert "\n" not in message
    assert info.value.field == "text"


def test_non_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="text: expected text, got bytes"):
        check_offer(b"Our clinic", catalog=builtin_catalog())  # type: ignore[arg-type]


def test_options_are_validated() -> None:
    with pytest.raises(OptionsError, match="not_stated: 'sometimes' is not allowed"):
        OfferCheckOptions(not_stated="sometimes")  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        OfferCheckOptions().not_stated = "never"  # type: ignore[misc]


def test_not_stated_modes() -> None:
    offer = "Our clinic offers stem cell therapy for MS. Book now."
    auto = check(offer)
    never = check(offer, OfferCheckOptions(not_stated="never"))
    assert {f.kind for f in auto.warning_signs} == {"not_stated"}
    assert never.warning_signs == ()
    assert {c.status for c in never.checked_signs if c.id == "no-protocol"} == {"not_assessed"}
    page = "Stem cells are being studied for MS."
    assert check(page).warning_signs == ()
    forced = check(page, OfferCheckOptions(not_stated="always"))
    assert {f.id for f in forced.warning_signs} == {
        "undocumented-source",
        "no-protocol",
        "no-ind-or-registration",
    }


# --- result shape -------------------------------------------------------------------------


def test_to_dict_shape_and_json() -> None:
    case = OFFERS[0]
    result = check(case.text)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {
        "verdict",
        "serious_count",
        "caution_count",
        "language",
        "language_name",
        "source_format",
        "read_text",
        "cannot_check",
        "warning_signs",
        "questions_to_ask",
        "checked_signs",
        "is_offer",
        "notes",
        "text_chars",
        "options",
        "disclaimer",
        "msstem_version",
    }
    assert data["msstem_version"] == __version__
    assert data["disclaimer"] == DISCLAIMER
    assert "does not make an offer legitimate" in DISCLAIMER
    assert data["options"] == {"not_stated": "auto"}
    for sign in data["warning_signs"]:
        assert {"id", "title", "severity", "quote", "start", "end", "source", "kind",
                "what_to_ask"} <= set(
            sign
        )
        assert set(sign["source"]) == {"id", "citation"}
        if sign["kind"] == "claim":
            assert case.text[sign["start"] : sign["end"]] == sign["quote"]
        else:
            assert sign["quote"] is None and sign["start"] is None
    assert [c["id"] for c in data["checked_signs"]] == list(CHECKED_SIGN_IDS)


def test_questions_follow_the_signs_and_always_include_the_ind_question() -> None:
    catalog = builtin_catalog()
    result = check(OFFERS[0].text)
    expected = [catalog[f.id].what_to_ask for f in result.warning_signs]
    assert list(result.questions_to_ask) == list(dict.fromkeys(expected))
    clean = check("Stem cells are being studied for MS.")
    assert clean.questions_to_ask == (catalog["no-ind-or-registration"].what_to_ask,)


def test_text_rendering_names_every_sign_and_the_disclaimer() -> None:
    result = check(OFFERS[0].text)
    text = result.to_text()
    for finding in result.warning_signs:
        assert f"[{finding.id}]" in text
        assert finding.title in text
    assert DISCLAIMER in text
    assert text.endswith(f"msstem {__version__}\n")


# --- catalog and sources ------------------------------------------------------------------


def test_builtin_catalog_covers_every_checked_sign() -> None:
    catalog = builtin_catalog()
    assert tuple(catalog) == CHECKED_SIGN_IDS
    for sign in catalog.values():
        assert sign.title and sign.description and sign.what_to_ask
        assert sign.sources and sign.origin == "builtin"
    assert not set(UNCHECKED_SIGN_IDS) & set(CHECKED_SIGN_IDS)


def test_default_catalog_uses_the_evidence_base_text() -> None:
    eb = load_evidence()
    records = {w.id: w for w in eb.warning_signs}
    # The evidence base defines every sign id the checker uses, plus the unverified sixth one.
    assert set(CHECKED_SIGN_IDS) | set(UNCHECKED_SIGN_IDS) <= set(records)
    assert records["sixth-isscr-sign"].verified is False
    catalog = sign_catalog()
    for sign_id in CHECKED_SIGN_IDS:
        sign = catalog[sign_id]
        assert sign.origin == "evidence"
        assert sign.title == records[sign_id].title
        assert [s.id for s in sign.sources] == list(records[sign_id].source_ids)
        for source in sign.sources:
            assert source.citation == eb.source(source.id).reference()
    result = check_offer("Our stem cells have no side effects. Book now.")
    finding = next(f for f in result.warning_signs if f.id == "no-risk")
    assert finding.title == records["no-risk"].title


def test_catalog_falls_back_to_builtin_text_for_a_missing_sign() -> None:
    eb = load_evidence()
    trimmed = dataclasses.replace(
        eb, warning_signs=tuple(w for w in eb.warning_signs if w.id != "no-risk")
    )
    catalog = catalog_from(trimmed)
    assert catalog["no-risk"] == builtin_catalog()["no-risk"]
    assert catalog["testimonials"].origin == "evidence"


def test_cited_source_ids_exist_in_the_evidence_base() -> None:
    ids = cited_source_ids()
    assert {"fda-2019-consumer", "fda-2021-regenerative", "isscr-warning-signs"} <= set(ids)
    assert set(ids) == {s.id for sign in builtin_catalog().values() for s in sign.sources}
    sources = load_evidence().sources
    assert set(ids) <= set(sources)
