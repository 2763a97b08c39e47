"""Word patterns for the signs that real clinic pages show (issue 10), in English and Spanish.

Like :mod:`msstem.offers.patterns`, these are documented heuristics chosen by msstem, not
figures from a source. Each pattern matches the *wording* of a claim; whether a match is the
writer's own claim (not warned about, reported, hedged or negated) is decided by
:class:`msstem.offers.context.TextContext`, and whether it counts also depends on the text
reading as an offer (see :mod:`msstem.offers.claims`). Spanish alternatives sit beside the
English ones, so both are always read.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AGE_RANGE",
    "CELL_TYPES",
    "COURSE_ALL",
    "COURSE_PROGRESSIVE",
    "CURE",
    "DRUG_FREE",
    "EDSS_UPPER",
    "ELIGIBILITY",
    "EXCLUDED",
    "INFLAMMATORY_ACTIVITY",
    "ISOLATION",
    "MEDICAL_TOURISM",
    "NO_AGE_LIMIT",
    "OWN_RESULTS",
    "PRESSURE",
    "REGISTRY_IDS",
    "ROUTES",
    "TRIAL_NUMBER_LOOSE",
    "USE_CONTEXT",
]

_I: Final = re.IGNORECASE


def _any(*patterns: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


# --- own-results: benefit claimed from the clinic's own patients ----------------------------
OWN_RESULTS: Final = _any(
    r"\b(?:we|our\s+(?:doctors|physicians|team|clinic|cent(?:er|re)|specialists))\s+(?:have\s+)?"
    r"(?:observed|seen|noticed|achieved|recorded|documented|found)\s+(?:[\w-]+\s+){0,3}"
    r"(?:improvements?|results|success|recover\w*|progress)",
    r"\b(?:achieved|reported|recorded)\s+improvements?\s+in\s+\d+\s?%",
    r"\bimprovements?\s+(?:in|for)\s+\d+\s?%\s+of\s+(?:cases|patients)",
    r"\b\d+\s?%\s+of\s+(?:our\s+)?(?:patients|cases)\s+(?:improved|showed|report\w*|respond\w*)",
    r"\bsuccess\s+rates?\s+(?:of\s+)?(?:[\w-]+\s+){0,3}\d+\s?%",
    r"\bsuccess\s+rates?\b[^.]{0,40}\b(?:just\s+as\s+good|as\s+high|excellent|very\s+high)\b",
    r"\bimprovements?\s+reported\s+in\s+most\s+cases",
    r"\b(?:our|the\s+clinic['’]s|its)\s+patients\s+(?:report|reported|show|showed|experience[sd]?)"
    r"\s+(?:a\s+number\s+of\s+|many\s+|several\s+)?(?:improvements?|benefits?|results)",
    r"\bafter\s+(?:stem\s+cell\s+)?treatment,?\s+our\s+patients\b",
    r"\b(?:treatment\s+)?results\s+of\s+(?:[A-Z][\w-]*\s+){1,3}patients\b",
    r"\bin\s+our\s+experience\b[^.]{0,80}\bresults?\b",
    r"\b(?:physicians|doctors)\s+who\s+(?:have\s+)?treated\s+(?:the\s+patients|them)\s+report\w*",
    r"\b(?:fastest|strongest|best)\s+(?:and\s+\w+\s+)?(?:responses|results)\s+(?:ever\s+)?recorded",
    r"\bse\s+ha\s+comprobado\s+una\s+mejor[ií]a",
    r"\bmejor[ií]a\s+(?:de\s+hasta|del?|en\s+el)\s+\d+\s?%",
    r"\bnuestros\s+pacientes\s+(?:reportan|refieren|muestran|han\s+(?:mostrado|mejorado|notado))",
    r"\bhemos\s+(?:observado|visto|logrado|obtenido)\s+(?:[\w-]+\s+){0,3}"
    r"(?:mejor[ií]as?|resultados|[ée]xito)",
)

# --- cure-claims: cure, repair, regenerate, reverse ------------------------------------------
_DAMAGE: Final = (
    r"(?:myelin|nerves?|nerve\s+(?:cells?|tissues?|damage|fib(?:re|er)s|connections|function)"
    r"|neurons?|(?:nervous|neural|brain|damaged|injured)\s+tissues?|tissues?|damage|"
    r"(?:central\s+)?nervous\s+system|brain|spinal\s+cord|symptoms|disabilit\w*|decline|"
    r"the\s+disease|mielina|nervios?|neuronas?|tejidos?(?:\s+nervioso)?|daño|sistema\s+nervioso|"
    r"síntomas|discapacidad)"
)
CURE: Final = _any(
    r"\bcur(?:e|es|ed|ing)\s+(?:for\s+)?(?:MS|multiple\s+sclerosis|the\s+disease|patients)\b",
    r"\b(?:a|the)\s+cure\b",
    r"\b(?:can|could|will|be)\s+(?:be\s+)?cured\s+(?:with|by|using|through)\b",
    r"\b(?:has|have)\s+been\s+proven\s+to\b|\bproven\s+to\s+(?:significantly\s+)?"
    r"(?:reduce|help|improve|halt|stop|reverse|repair|work)\b",
    rf"\b(?:repair\w*|regenerat\w*|restor\w*|revers\w*|rebuild\w*|re-?grow\w*|heal\w*"
    rf"|reconstruct\w*)\s+(?:[\w'’-]+\s+){{0,4}}?{_DAMAGE}\b",
    rf"\b{_DAMAGE}\s+(?:repair|regeneration|restoration|recovery)\b",
    r"\bregeneration\s+(?:of\s+(?:the\s+)?)?(?:myelin|nerves?|tissues?|the\s+myelin\s+sheath)\b",
    r"\b(?:neural|nerve|neuronal|myelin|tissue)\s+(?:regeneration|repair)\b",
    r"\bhelp\w*\s+(?:the\s+)?remyelinat\w*",
    r"(?m:^\s*(?:regenerate|repair|restore|regenera|repara|restaura)\s*[.!])",
    r"\bmiracul\w*|\bmiracle\s+(?:treatment|cure|therapy)\b|\bmilagros\w*",
    r"\b(?:medically|clinically|scientifically)\s+proven\s+(?:therapy|treatment|method)\b",
    r"\bfirst\s+(?:therapy|treatment)\s+to\s+reverse\b",
    r"\bstops?\s+(?:the\s+)?(?:disease|MS)\s+in\s+\d+\s?%",
    r"\bcorrect\w*\s+the\s+underlying\b",
    r"\bregeneration\s+without\b",
    r"\bremisi[óo]n\s+completa\b",
    rf"\b(?:regenera\w*|repara\w*|restaura\w*|revert\w*|revierte\w*|reconstru\w*)\s+"
    rf"(?:[\w'’-]+\s+){{0,4}}?{_DAMAGE}",
    r"\bcura(?:r)?\s+(?:la\s+)?(?:EM|esclerosis)\b",
)

# --- drug-free: set against MS medicines --------------------------------------------------
DRUG_FREE: Final = _any(
    r"\bdrug[- ]free\b",
    r"\b(?:instead\s+of|rather\s+than|unlike|in\s+contrast\s+to)\s+(?:temporarily\s+)?"
    r"(?:masking\s+symptoms\s+with\s+)?(?:drugs|medications|medicines|pills)\b",
    r"\balternative\s+to\s+(?:drugs|medications|medicines|DMTs)\b",
    r"\bunlike\s+(?:conventional\s+)?drug\s+therapy\b",
    r"\b(?:critical|serious|adverse|high\s+risk\s+of)\s+side\s+effects\s+of\s+(?:the\s+)?drugs\b",
    r"\bside\s+effects\s+of\s+(?:the\s+)?drugs\s+(?:which\s+)?sometimes\s+dissuade",
    r"\bsin\s+(?:medicamentos|fármacos)\b",
    r"\balternativa\s+a\s+los\s+(?:medicamentos|fármacos)\b",
)

# --- unproven-cells: (name shown to users, pattern) ----------------------------------------
CELL_TYPES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (name, re.compile(pattern, _I))
    for name, pattern in (
        ("umbilical cord cells", r"\b(?:umbilical[- ]cord|cord[- ](?:blood|tissue|derived)|"
                                 r"UC-?MSCs?|hUC-?MSCs?|cord\s+blood)\b|\bcord[óo]n\s+umbilical\b"),
        ("Wharton's jelly", r"\bwharton['’]?s\s+jelly\b|\bgelatina\s+de\s+wharton\b"),
        ("placental cells", r"\bplacenta\w*\b"),
        ("amniotic cells", r"\bamni(?:otic|ótic[oa]s?)\b"),
        ("fetal cells", r"\bf(?:o)?etal\s+(?:stem\s+)?cells?\b"
                        r"|\bc[ée]lulas\s+(?:madre\s+)?fetales\b"),
        ("embryonic cells", r"\bembryonic\s+(?:stem\s+)?cells?\b|\bc[ée]lulas\s+(?:madre\s+)?"
                            r"embrionarias\b"),
        ("fat-derived cells", r"\badipose\b|\bfat[- ](?:tissue|derived)\b|\bbody\s+fat\b"
                              r"|\bfrom\s+(?:the\s+patient['’]s\s+own\s+|your\s+)?(?:body\s+)?fat\b"
                              r"|\bfat\s+transfer\b"
                              r"|\bstromal\s+vascular\s+fraction\b|\bSVF\b|\btejido\s+adiposo\b"
                              r"|\bgrasa\s+abdominal\b|\bde\s+la\s+grasa\b"),
        ("mesenchymal cells", r"\bmesenchymal\b|\bMSCs?\b|\bMMSCs?\b|\bmesenquimales\b"),
        ("exosomes", r"\bexosom\w*\b"),
    )
)
# A cell type counts only where the text speaks of giving or using the cells.
USE_CONTEXT: Final = _any(
    r"\b(?:treat\w*|therap\w*|us(?:e|es|ed|ing)|give[ns]?|given|administ\w*|infus\w*|inject\w*"
    r"|recommend\w*|offer\w*|provid\w*|appl\w*|implant\w*|transplant\w*|focus\w*|harvest\w*"
    r"|obtain\w*|derived|sourced|protocol|treatment|procedure|program(?:me)?)\b",
    r"\b(?:trata\w*|terapia|aplica\w*|utiliza\w*|usa(?:n|mos)?|administra\w*|infusi[óo]n"
    r"|inyecci[óo]n|recomienda\w*|ofrece\w*|protocolo|procedimiento)\b",
)

# --- unproven-route: (name shown to users, pattern) ----------------------------------------
ROUTES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (name, re.compile(pattern, _I))
    for name, pattern in (
        ("into the spinal fluid (intrathecal)", r"\bintrathecal\w*\b|\bintratecal\w*\b"),
        ("by lumbar puncture", r"\blumbar\s+punctures?\b|\bpunci[óo]n\s+lumbar\b"),
        ("into the spinal canal", r"\b(?:into|in)\s+the\s+spinal\s+(?:canal|fluid)\b"
                                  r"|\bcanal\s+(?:espinal|raqu[ií]deo)\b"),
        ("with mannitol to open the blood-brain barrier",
         r"\bmannitol\b|\bmanitol\b|\bopen\w*\s+(?:up\s+)?the\s+blood[- ]brain\s+barrier\b"
         r"|\bbarrier\s+(?:more\s+)?receptive\b|\babrir\s+la\s+barrera\b"),
        ("under the skin over the spine or head",
         r"\b(?:into|under)\s+the\s+skin\b[^.]{0,60}\b(?:spine|head|brain)\b"
         r"|\bskin\s+and\s+fat\s+layer\s+over\s+the\s+spine\b"),
        ("directly into the brain", r"\b(?:directly\s+)?into\s+the\s+brain\b"),
    )
)

# --- entry-criteria ---------------------------------------------------------------------
# A sentence (or its list's intro) that says who may be treated.
ELIGIBILITY: Final = _any(
    r"\b(?:accept\w*|eligib\w*|candidates?|consider\w*|qualif\w*|inclusion|criteri\w*|admit\w*"
    r"|enrol\w*|who\s+can\s+(?:be|have|get)|can\s+(?:have|receive|be\s+(?:treated|taken))"
    r"|taken\s+up|we\s+treat|patients\s+(?:with|must|may|aged|between|having|need)|males?\s+and"
    r"\s+females?|men\s+and\s+women|age\s+(?:between|from|of)|ages?\s+\d|aged\s+\d)\b",
    r"\b(?:aceptad\w*|candidat\w*|elegib\w*|criterios?|inclusi[óo]n|pueden\s+recibir|tratamos"
    r"|pacientes\s+(?:con|de|entre))\b",
)
EXCLUDED: Final = _any(r"\bexclu\w*\b|\bnot\s+(?:eligible|accepted)\b|\bexcept\b")
_AGE_NUM: Final = r"(\d{1,2})"
_AGE_UP: Final = r"(\d{2,3})"
AGE_RANGE: Final = _any(
    rf"\b(?:age[sd]?|aged|ages)\s*(?:of\s+|between\s+|from\s+)?{_AGE_NUM}\s*(?:to|-|–|and)\s*"
    rf"{_AGE_UP}\b",
    rf"\bbetween\s+(?:the\s+)?ages?\s+(?:of\s+)?{_AGE_NUM}\s*(?:and|to|-)\s*{_AGE_UP}\b",
    rf"\bbetween\s+(?:age\s+)?{_AGE_NUM}\s+and\s+{_AGE_UP}\s+years\b",
    rf"\b{_AGE_NUM}\s*(?:to|-|–)\s*{_AGE_UP}\s+(?:years?|yrs|años)\b",
    rf"\bedad(?:es)?\s+(?:entre|de)\s+{_AGE_NUM}\s+(?:y|a)\s+{_AGE_UP}\b",
    rf"\bentre\s+{_AGE_NUM}\s+y\s+{_AGE_UP}\s+años\b",
)
NO_AGE_LIMIT: Final = _any(
    r"\b(?:no\s+|without\s+(?:any\s+)?)(?:specific\s+|upper\s+)?age\s+(?:limit|restriction|"
    r"limitation|cap)s?\b",
    r"\b(?:without|with\s+no)\s+regard\s+to\s+age\b",
    r"\bregardless\s+of\s+(?:their\s+|your\s+)?age\b",
    r"\bsin\s+l[ií]mite\s+de\s+edad\b",
    r"\bsin\s+importar\s+la\s+edad\b",
)
EDSS_UPPER: Final = _any(
    r"\bEDSS\b[^.\n]{0,60}?\b\d(?:[.,]\d)?\s*(?:-|–|to|and|y|a)\s*(\d{1,2}(?:[.,]\d)?)\b",
    r"\bEDSS\b[^.\n]{0,40}?(?:up\s+to|upto|below|under|<=|≤|<|less\s+than|hasta|menos\s+de"
    r"|inferior\s+a)\s*(\d{1,2}(?:[.,]\d)?)",
    r"\bEDSS\b[^.\n]{0,40}?\b(\d(?:[.,]\d)?)\s*(?:or\s+(?:below|less|lower|under)|o\s+menos"
    r"|o\s+inferior)\b",
    r"\bEDSS\s+(?:score\s+)?(?:above|over|higher\s+than)\s+(\d(?:[.,]\d)?)",
)
COURSE_ALL: Final = _any(
    r"\ball\s+(?:types|forms|variants|kinds)\s+of\s+(?:MS|multiple\s+sclerosis)\b",
    r"\b(?:MS|multiple\s+sclerosis)\s*\((?:all|any)\s+(?:types|forms|variants)\)",
    r"\b(?:every|any)\s+(?:type|form|kind)\s+of\s+(?:MS|multiple\s+sclerosis)\b",
    r"\b(?:all|different)\s+forms\s+of\s+MS\b",
    r"\btodos\s+los\s+tipos\s+de\s+(?:EM|esclerosis\s+m[úu]ltiple)\b",
    r"\bcualquier\s+tipo\s+de\s+(?:EM|esclerosis)\b",
)
COURSE_PROGRESSIVE: Final = _any(
    r"\bPPMS\b",
    r"\bprimary[- ]progressive\b",
    r"\b(?:primaria\s+progresiva|progresiva\s+primaria)\b",
)
INFLAMMATORY_ACTIVITY: Final = _any(
    r"\bactive\b|\bactivity\b|\binflammat\w*\b|\bgadolinium\b|\bGd\+|\benhancing\b"
    r"|\bwith\s+(?:superimposed\s+)?relapses\b|\bactividad\b|\bactiva\b|\bcon\s+brotes\b"
)

# --- medical-tourism packaging --------------------------------------------------------------
MEDICAL_TOURISM: Final = _any(
    r"\b(?:hotel|accommodation|lodging|airport|transfers?|visa|concierge|round[- ]trip|"
    r"flights?|caregiver|attendant)\b",
    r"\b(?:stay|travel\w*)\s+(?:\w+\s+){0,3}(?:abroad|overseas|nights?|days?|weeks?|to\s+and)\b",
    r"\b(?:\d+|four|five|six|seven)[- ](?:day|night)s?\s+(?:stay|package|programme|program)\b",
    r"\b(?:deposit|refund\w*|down\s+payment|bank\s+(?:transfer|commission)|all[- ]inclusive"
    r"|value\s+for\s+money)\b",
    r"\bmedical\s+touris\w*\b|\btreatment\s+abroad\b|\bsouth\s+of\s+the\s+border\b",
    r"\bcheaper\s+than\s+(?:in\s+)?(?:the\s+)?(?:US|USA|United\s+States|Western\s+countries|Europe"
    r"|at\s+home)\b|\b(?:more\s+)?affordable\s+costs?\b|\blower\s+costs?\b",
    r"\b(?:international|foreign)\s+patients\b",
    r"\b(?:hospedaje|alojamiento|aeropuerto|traslados?|dep[óo]sito|reembolso|todo\s+incluido"
    r"|turismo\s+m[ée]dico|paquete\s+de\s+viaje)\b",
)

# --- pressure and isolation ---------------------------------------------------------------
PRESSURE: Final = _any(
    r"\bonly\s+(?:a\s+few|\d+|one|two|three|four|five)\s+(?:places|spots|slots|openings|"
    r"places\s+left|beds)\b",
    r"\b(?:limited|few)\s+(?:places|spots|slots|openings|availability)\b",
    r"\b(?:places|spots|slots)\s+(?:are\s+)?(?:filling|going)\s+fast\b",
    r"\b(?:offer|price|discount)\s+(?:ends|expires|valid\s+until)\b",
    r"\b(?:act|book|call|apply)\s+(?:now|today)\b[^.]{0,40}\b(?:before|while|last)\b",
    r"\bdon['’]t\s+wait\b|\bdo\s+not\s+wait\b|\btime\s+is\s+running\s+out\b",
    r"\bonly\s+(?:this|for\s+a\s+limited)\s+(?:week|month|time)\b",
    r"\bplazas\s+limitadas\b|\b[úu]ltimas\s+plazas\b|\bsolo\s+quedan\b|\bno\s+esperes\b"
    r"|\boferta\s+(?:v[áa]lida|por\s+tiempo)\b",
)
ISOLATION: Final = _any(
    r"\bnot\s+(?:yet\s+)?(?:available|offered|allowed|approved)\s+in\s+(?:the\s+)?"
    r"(?:US|USA|U\.S\.|United\s+States|Europe|UK|Canada|your\s+country)\b",
    r"\b(?:US|USA|FDA|American|European)\s+(?:patients\s+)?(?:cannot|can['’]t)\s+(?:get|access)\b",
    r"\byour\s+(?:doctor|neurologist|physician)s?\s+(?:won['’]t|will\s+not|doesn['’]t|does\s+not|"
    r"don['’]t|do\s+not)\s+(?:tell|want|know|mention)\b",
    r"\b(?:doctors|neurologists|big\s+pharma)\s+(?:don['’]t|do\s+not|won['’]t)\s+want\s+you\s+to\b",
    r"\bno\s+(?:est[áa]|disponible)\s+(?:disponible\s+)?en\s+(?:Estados\s+Unidos|EE\.?\s?UU\.?|"
    r"Europa)\b",
    r"\btu\s+m[ée]dico\s+no\s+te\s+(?:lo\s+)?(?:dir[áa]|cuenta)\b",
)

# --- trial numbers --------------------------------------------------------------------------
REGISTRY_IDS: Final = _any(
    r"\bNCT\s?\d{8}\b",
    r"\b(?:EudraCT\s*(?:number|no\.?|#)?\s*:?\s*)?\d{4}-\d{6}-\d{2}\b",
    r"\bISRCTN\s?\d{8}\b",
    r"\bACTRN\d{14}\b",
    r"\bChiCTR[-\w]{6,}\b",
    r"\bCTRI/\d{4}/\d{2,3}/\d{6}\b",
    r"\bIRCT\d{6,}\w*\b",
    flags=0,
)
# Something called a trial/registration number that is not in any registry format above.
TRIAL_NUMBER_LOOSE: Final = _any(
    r"\b(?:NCT|ISRCTN)[-\s#:]*\d{1,7}\b(?!\d)",
    r"\b(?:trial|registration|registry|study|protocol)\s+(?:number|no\.?|#|ID)\s*:?\s*"
    r"(?![A-Z]{2,}\d)[A-Z0-9][\w-]{2,}",
    r"\b(?:n[úu]mero\s+de\s+(?:registro|ensayo|estudio))\s*:?\s*[A-Z0-9][\w-]{2,}",
)
