"""Haematopoietic cell transplantation-specific comorbidity index (HCT-CI).

Sorror et al., Blood 2005;106(8):2912-9 (PMID 15994282), as tabulated by the
NCI PDQ (source id ``sorror-2005-hctci``). The index was built for allogeneic
HCT; MS itself is not an item. The total is the sum of the item weights; two
grades of one organ (mild vs moderate/severe hepatic, moderate vs severe
pulmonary) are one item, so a profile may list only one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from msstem.errors import ProfileError, allowed_list, quote_input

__all__ = [
    "HCTCI_HIGH_RISK_MIN_SCORE",
    "HCTCI_ITEMS",
    "HCTCI_SOURCE_ID",
    "HctciItem",
    "HctciResult",
    "score_hctci",
]

HCTCI_SOURCE_ID: Final = "sorror-2005-hctci"
#: Sorror 2005: a score >=3 vs 0 carried HR 3.54 (95% CI 2.0-6.3) for non-relapse mortality.
HCTCI_HIGH_RISK_MIN_SCORE: Final = 3


@dataclass(frozen=True, slots=True)
class HctciItem:
    id: str
    weight: int
    label: str
    definition: str
    organ: str  # items sharing an organ are grades of one comorbidity


_ITEMS: Final = (
    HctciItem("arrhythmia", 1, "Arrhythmia",
              "Atrial fibrillation or flutter, sick sinus syndrome, or ventricular arrhythmia",
              "arrhythmia"),
    HctciItem("cardiac", 1, "Cardiac",
              "Coronary artery disease, congestive heart failure, myocardial infarction, "
              "or ejection fraction <=50%", "cardiac"),
    HctciItem("cerebrovascular", 1, "Cerebrovascular disease",
              "Transient ischaemic attack or cerebrovascular accident", "cerebrovascular"),
    HctciItem("diabetes", 1, "Diabetes",
              "Needing insulin or oral agents (not diet alone)", "diabetes"),
    HctciItem("hepatic_mild", 1, "Hepatic, mild",
              "Chronic hepatitis, bilirubin >ULN, or AST/ALT >ULN to 2.5x ULN", "hepatic"),
    HctciItem("infection", 1, "Infection",
              "Needing antimicrobial treatment continued after day 0", "infection"),
    HctciItem("inflammatory_bowel_disease", 1, "Inflammatory bowel disease",
              "Crohn's disease or ulcerative colitis", "inflammatory_bowel_disease"),
    HctciItem("obesity", 1, "Obesity", "Body mass index >35", "obesity"),
    HctciItem("psychiatric", 1, "Psychiatric disturbance",
              "Needing psychiatric consultation or treatment", "psychiatric"),
    HctciItem("pulmonary_moderate", 2, "Pulmonary, moderate",
              "DLCO and/or FEV1 66-80%, or dyspnoea on slight activity", "pulmonary"),
    HctciItem("renal_moderate_severe", 2, "Renal, moderate/severe",
              "Serum creatinine >2 mg/dL, on dialysis, or prior renal transplant", "renal"),
    HctciItem("peptic_ulcer", 2, "Peptic ulcer", "Needing treatment", "peptic_ulcer"),
    HctciItem("rheumatologic", 2, "Rheumatologic",
              "SLE, rheumatoid arthritis, polymyositis, mixed connective tissue disease, "
              "or polymyalgia rheumatica", "rheumatologic"),
    HctciItem("heart_valve_disease", 3, "Heart valve disease",
              "Except mitral valve prolapse", "heart_valve_disease"),
    HctciItem("hepatic_moderate_severe", 3, "Hepatic, moderate/severe",
              "Liver cirrhosis, bilirubin >1.5x ULN, or AST/ALT >2.5x ULN", "hepatic"),
    HctciItem("prior_solid_tumour", 3, "Prior solid tumour",
              "Any prior solid tumour except non-melanoma skin cancer", "prior_solid_tumour"),
    HctciItem("pulmonary_severe", 3, "Pulmonary, severe",
              "DLCO and/or FEV1 <65% (as printed), dyspnoea at rest, or needing oxygen",
              "pulmonary"),
)

#: Every HCT-CI item by id, in the order of the published table.
HCTCI_ITEMS: Final[dict[str, HctciItem]] = {item.id: item for item in _ITEMS}


@dataclass(frozen=True, slots=True)
class HctciResult:
    score: int
    items: tuple[HctciItem, ...]
    source_id: str = HCTCI_SOURCE_ID

    @property
    def high_risk(self) -> bool:
        return self.score >= HCTCI_HIGH_RISK_MIN_SCORE

    def to_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "items": [
                {"id": i.id, "weight": i.weight, "label": i.label, "definition": i.definition}
                for i in self.items
            ],
            "high_risk": self.high_risk,
            "source": self.source_id,
        }


def check_items(item_ids: list[str] | tuple[str, ...], field: str = "hctci_items") -> None:
    """Raise :class:`ProfileError` for unknown, repeated or doubly-graded items."""
    seen_organs: dict[str, str] = {}
    seen: set[str] = set()
    for item_id in item_ids:
        if not isinstance(item_id, str) or item_id not in HCTCI_ITEMS:
            allowed = allowed_list(HCTCI_ITEMS, budget=150, where="docs/profile.md")
            raise ProfileError(
                f"{field}: unknown item {quote_input(item_id, 40)}; allowed: {allowed}",
                field=field,
            )
        if item_id in seen:
            raise ProfileError(f"{field}: item {item_id!r} is listed twice", field=field)
        seen.add(item_id)
        organ = HCTCI_ITEMS[item_id].organ
        if organ in seen_organs:
            raise ProfileError(
                f"{field}: {seen_organs[organ]!r} and {item_id!r} are grades of one "
                "comorbidity; list only the one that applies",
                field=field,
            )
        seen_organs[organ] = item_id


def score_hctci(item_ids: list[str] | tuple[str, ...]) -> HctciResult:
    """The HCT-CI total for the listed item ids (validated)."""
    check_items(item_ids)
    items = tuple(HCTCI_ITEMS[i] for i in item_ids)
    return HctciResult(score=sum(i.weight for i in items), items=items)
