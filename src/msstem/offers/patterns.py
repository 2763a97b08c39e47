"""The documented word patterns behind the offer checker (no models, no learning).

Three kinds of pattern live here:

* **claim patterns** per warning sign: wording that, outside a warning context,
  makes the claim the FDA or the ISSCR warns about (evidence notes §12);
* **stated patterns** per "not stated" sign: wording that shows an offer does say
  where its cells come from, what its protocol is, or what its IND/NCT number is;
* **context cues**: wording that shows a sentence warns about, advises on, reports,
  negates or hedges a claim instead of making it, and **offer cues**: wording that
  shows the text is itself an offer.

The patterns are heuristics chosen by msstem, not thresholds from a source; each
group says why it exists. Tests in ``tests/offers`` pin their behaviour on a
labelled corpus of offers and warning pages.
"""

from __future__ import annotations

import functools
import re
from typing import Final

__all__ = [
    "ADVISORY_CUES",
    "ATTRIBUTION",
    "CONDITIONS",
    "FIRST_PERSON",
    "HEADLINE_MAX_CHARS",
    "MANY_DISEASES_MIN",
    "MANY_DISEASES_PHRASES",
    "MISLEADING_REGULATORY",
    "NEGATION_GAP_WORDS",
    "NO_PROTOCOL_VAGUE",
    "NO_RISK",
    "OFFER_CUES_NAMED",
    "OFFER_CUES_STRONG",
    "OFFER_CUES_WEAK",
    "OFFER_SCORE_MIN",
    "OWN_VOICE",
    "PAYMENT",
    "PAY_TO_PARTICIPATE",
    "PROTOCOL_STATED",
    "QUOTE_PAIRS",
    "REGISTRATION_STATED",
    "REPORT_SHARE_MIN",
    "RESEARCH_CUES",
    "SOURCE_STATED",
    "STRONG_REPORT_SHARE_MIN",
    "TESTIMONIALS",
    "TREATMENT_WORDS",
    "TRIAL_WORDING",
    "UNDOCUMENTED_SOURCE_VAGUE",
    "local_negation",
]

_I: Final = re.IGNORECASE


def _any(*patterns: str, flags: int = _I) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


# --- Context cues ---------------------------------------------------------------------------
# A sentence containing one of these warns about, advises on, reports, negates or hedges what
# it mentions. Claims inside it are not the writer's own (issue 3: "a regulator's or a patient
# society's page that warns about testimonials ... is not itself making those claims").
ADVISORY_CUES: Final = _any(
    # warnings and red flags (FDA, ISSCR, patient societies)
    r"\bbe\s+(?:wary|cautious|careful|sceptical|skeptical|aware|alert)\b",
    r"\bbeware\b",
    r"\bwarning\s+signs?\b",
    r"\bred\s+flags?\b",
    r"\bwatch\s+out\b",
    r"\bcaution(?:s|ed)?\b",
    r"\bwarn(?:s|ed|ing)?\b",
    r"\bFDA\s+(?:is|was|remains)\s+concerned\b",
    r"\bconcerned\s+(?:that|about)\b",
    r"\bunproven\b",
    r"\bunregulated\b",
    r"\bunapproved\b",
    r"\billegal\b",
    r"\bpotentially\s+harmful\b",
    r"\b(?:deceiv\w*|deceptive|misleading|mislead|fraud\w*|scams?|unscrupulous|dishonest)\b",
    r"\bfalse[- ]hope\b",
    r"\breport\s+(?:it|them|this|any|adverse|problems|to)\b",
    r"\bMedWatch\b",
    r"\bprotect\s+(?:yourself|people|patients|consumers)\b",
    # advice addressed to the reader
    r"\bask\s+(?:for|about|whether|if|the|them|your|to\s+see|how|what|where|who|why)\b",
    r"\bquestions?\s+to\s+ask\b",
    r"\b(?:you|patients|people|consumers|one)\s+should\b",
    r"\bshould\s+(?:not|never|be\s+wary|be\s+cautious|ask|avoid|check|verify|talk|discuss"
    r"|consult|look|make\s+sure)\b",
    # imperatives of advice; not marketing ones such as "don't wait"
    r"\b(?:do\s+not|don['’]t|never)\s+(?:pay|trust|rely|believe|sign|give|travel|agree|accept"
    r"|undergo|assume|hand\s+over|be\s+(?:fooled|misled|pressured|rushed))\b",
    r"\bavoid\s+(?:clinics|any|treatments|providers|paying|businesses|offers)\b",
    r"\bbefore\s+(?:you|agreeing|paying|signing|undergoing|considering)\b",
    r"\bif\s+(?:a|the|any)\s+(?:clinic|provider|company|business|website|doctor)\b",
    r"\bif\s+you\s+are\s+(?:considering|thinking|offered)\b",
    r"\bdo(?:es)?\s+not\s+recommend\b",
    # reporting others' claims
    r"\bclaims?\s+(?:based\s+on|of|that|to|like|such)\b",
    r"\bclaim(?:s|ed|ing)?\s+to\b",
    r"\b(?:clinics|businesses|companies|providers|websites|ads|advertisements|sellers|marketers)"
    r"\s+(?:may\s+|might\s+|often\s+|will\s+|can\s+|that\s+|which\s+|who\s+)?"
    r"(?:(?:claim|say|promise|advertise|market|tout|boast|offer|sell|charge|use|cite)\w*"
    r"|rel(?:y|ies|ied))\b",
    r"\b(?:clinic|provider|company|business|website)\s+(?:may|might|will|can|that|which|who)\s+"
    r"(?:claim|say|promise|advertise|tout|boast)\w*\b",
    r"\b(?:they|some|others)\s+(?:may|might|often|will|can)\s+(?:claim|say|promise|advertise)\b",
    r"\b(?:advertised|marketed|touted)\b",
    r"\baverage\s+(?:cost|price)\b",
    r"\bcost(?:s|ing)?\s+(?:up\s+to|as\s+much\s+as|between)\b|\busually\s+costs?\b",
    r"\bthey\s+(?:market|sell|offer|advertise|promote)\b",
    r"\bcosts?\s+var(?:y|ies)\b",
    r"\bvaries\s+(?:by|in|from|with)\b",
    # negation of evidence or approval
    r"\bno\s+(?:good\s+|scientific\s+|medical\s+|reliable\s+)?evidence\b",
    r"\bnot\s+(?:been\s+)?(?:FDA[- ])?approved\b",
    r"\bnone\s+(?:have|has)\b",
    # hedged, research or future wording: a hope, not a claim
    r"\bcould\s+possibly\b",
    r"\b(?:may|might|could|will)\s+one\s+day\b",
    r"\bone\s+day\s+be\b",
    r"\bresearchers?\b",
    r"\b(?:being|be|are|is)\s+(?:explored|studied|tested|investigated|researched)\b",
    r"\bholds?\s+(?:great\s+)?promise\b",
    r"\bexperimental\b",
    r"\bmore\s+research\b",
    r"\bpotential(?:ly)?\b",
    r"\bpromising\b",
    r"\b(?:it\s+is\s+)?hoped?\b|\bhoping\b|\bhopes\b",
    r"\bremains\s+to\s+be\s+seen\b",
    r"\bno\s+conclusions\b",
    # a question asks; it does not claim
    r"\?\s*$|¿",
    r"\b(?:allegedly|supposedly|reportedly|in\s+theory)\b|\bsupuestamente\b|\ben\s+teor[íi]a\b",
    r"\b(?:news|press)\s+release\b|\bHealthDay\b|\bReuters\b",
    r"\bmight\b|\bmay\s+(?:help|fill|restore|repair|improve|reduce|slow|relieve)\b",
    # reporting what someone else said, did or sells (news reports)
    r"\b(?:said|says|told|according\s+to|explained|states?|stated)\b",
    r"\bthe\s+(?:doctors|physicians|clinic['’]s\s+doctors)\s+(?:made|gave|injected|used|told)\b",
    r"\b(?:the|this|that|one)\s+(?:clinic|company|cent(?:er|re)|business|firm|institute)\s+"
    r"(?:offers|offered|provides|provided|sells|sold|charges|charged|uses|used|claims|claimed"
    r"|advertis\w+|markets|marketed|promis\w+|was|is\s+owned|had\s+listed|listed)\b",
    # Spanish: warnings, advice, reporting, negated evidence and hedges
    r"\badviert\w*|\badvirti\w*|\badvertencia\w*|\bcuidado\b|\bdesconfi\w*",
    r"\bno\s+(?:probad|aprobad|demostrad|autorizad)\w*",
    r"\bilegal\w*|\bengañ\w*|\bfraude\w*|\bestafa\w*|\bsin\s+escr[úu]pulos\b"
    r"|\bpseudociencia\b|\bfalsas?\s+(?:promesas|esperanzas)\b",
    r"\bno\s+(?:hay|existen)\s+(?:pruebas|evidencias?)\b|\bsin\s+pruebas\b",
    r"\bexperimental\w*|\binvestigador\w*|\ben\s+investigaci[óo]n\b",
    r"\bpodr[íi]an?\b|\bprometedor\w*|\besperanz\w*|\bse\s+espera\b",
    r"\bdijo\b|\bdicen?\b|\bexplic[óo]\b|\bsegún\b|\bafirm(?:a|an|ó)\b|\basegur(?:a|an|ó)\b"
    r"|\bseñal[óo]\b|\bañadi[óo]\b|\binform[óo]\b",
    r"\bpreocupad\w*|\bno\s+se\s+recomienda\b|\bhable\s+con\b|\bconsulte\b",
)

# Research and registry wording: a trial or study describes what it tests; it does not sell
# it. A sentence with one of these has context like the cues above, but a clause in the
# writer's own voice ("our clinical study") still makes its claims, even with the cue in it.
RESEARCH_CUES: Final = _any(
    r"\b(?:clinical\s+)?trials?\b",
    r"\bstud(?:y|ies)\b",
    r"\bparticipants?\b",
    r"\brandomi[sz]ed\b",
    r"\b(?:mice|rats|animal\s+models?)\b|\bpreclinical\b|\bratones\b|\bmodelos\s+animales\b",
    r"\bensayos?\s+cl[íi]nicos?\b|\bestudios?\b",
)

#: A first line at most this long is the text's headline: the publisher's own claim.
HEADLINE_MAX_CHARS: Final = 120

#: A text in which at least this share of sentences warn, advise, report, research or hedge
#: reads as a report (news, registry, regulator, charity): its treatment claims count only
#: in the writer's own voice or when it reads as an offer. msstem's heuristic, pinned by a
#: boundary test; not a sourced figure.
REPORT_SHARE_MIN: Final = 0.12
#: A report with some promotion in it (an offer cue, travel-package wording) still counts its
#: treatment claims unless at least this share of its sentences have context cues.
STRONG_REPORT_SHARE_MIN: Final = 0.5

# A clause in the speaker's own voice ("our clinic", "we offer") makes its own claims even when
# the sentence also contrasts itself with "unproven clinics".
# Case-sensitive, so that "US$7,000" and "the US" are not read as "us".
OWN_VOICE: Final = re.compile(
    r"\b(?:[Oo]ur|OUR|[Ww]e|WE|[Ww]e['’](?:re|ve)|us"
    r"|[Nn]uestr[oa]s?|NUESTR[OA]S?|[Nn]osotros|[Oo]frecemos|[Tt]ratamos|[Hh]emos"
    r"|[Cc]ont[áa]ctanos)\b"
)

# A quotation attributed to a named speaker is reported speech, not a patient's testimonial.
ATTRIBUTION: Final = re.compile(
    r"\b(?:said|says|told|according\s+to|explained|dijo|explic[óo]|afirm[óo]|señal[óo]"
    r"|añadi[óo])\b",
    re.IGNORECASE,
)

# Quotation marks: (opening, closing) pairs. Text inside them in a warning sentence is reported
# speech; a first-person quotation in an offer is a testimonial.
QUOTE_PAIRS: Final = (("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"))
# Case-sensitive first person inside a quotation.
FIRST_PERSON: Final = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|[Mm]y|[Mm]e|[Yy]o|[Mm]i|[Mm]is)\b")

# Just before a match, a negation and at most NEGATION_GAP_WORDS words cancel it ("not
# risk-free", "no treatment is 100% safe"). Payment words allow no gap: "no deposit".
NEGATION_GAP_WORDS: Final = 2
_NEGATION_WORDS: Final = (
    r"(?:not|never|no|isn['’]t|aren['’]t|nothing|none|neither|nor|cannot|can['’]t|won['’]t"
    r"|doesn['’]t|don['’]t|didn['’]t|nunca|ni|jam[áa]s|tampoco)"
)


@functools.cache
def local_negation(gap_words: int = NEGATION_GAP_WORDS) -> re.Pattern[str]:
    """Pattern for text ending in a negation plus up to ``gap_words`` words."""
    return re.compile(rf"\b{_NEGATION_WORDS}\b(?:\s+[\w'’-]+){{0,{gap_words}}}\s+$", _I)


# --- Offer cues -----------------------------------------------------------------------------
# A text is read as an offer when its offer cues outside warning context score at least
# OFFER_SCORE_MIN: one strong cue (a price, a booking, "we offer") or two weak ones.
OFFER_SCORE_MIN: Final = 2
OFFER_CUES_STRONG: Final = _any(
    r"\bwe\s+(?:offer|sell)\b",
    r"\bbook\s+(?:now|today|your|a|an)\b",
    r"\b(?:schedule|request|arrange|book)\s+(?:your|a|an)\s+(?:free\s+)?"
    r"(?:consultation|appointment|evaluation|call|assessment)\b",
    r"\b(?:free|complimentary)\s+(?:consultation|evaluation|assessment|case\s+review)\b",
    r"\breserve\s+(?:your|a)\b",
    r"\bapply\s+(?:now|today)\b",
    r"\blimited\s+(?:spots|places|availability|slots)\b",
    r"\bspecial\s+offer\b",
    r"\bmake\s+an\s+appointment\b",
    r"\bcontact\s+(?:us|the\s+[A-Z][\w ]{2,40}?)\s+today\b",
    r"\bfree\s+(?:phone\s+|online\s+)?(?:consultation|evaluation)\b",
    r"\bfind\s+out\s+(?:if|whether)\s+you\s+qualify\b",
    r"\b(?:fill\s+in|complete|submit)\s+(?:our|the|your)\s+(?:online\s+)?(?:medical|application"
    r"|inquiry|questionnaire|signed\s+contract)\b",
    r"\bapply\s+for\s+(?:treatment|HSCT|therapy)\b",
    r"\bagend[ae]\s+(?:tu|su)\s+(?:cita|consulta)\b",
    r"\bsolicit[ae]\s+(?:tu|su|una)\s+(?:cita|consulta|evaluaci[óo]n|cotizaci[óo]n)\b",
    r"\bcont[áa]ctanos\b|\bconsulta\s+gratuita\b|\breserv[ae]\s+(?:tu|su)\b|\bofrecemos\b",
)
OFFER_CUES_WEAK: Final = _any(
    r"\bour\s+(?:\w+\s+)?(?:clinics?|cent(?:er|re)s?|hospital|facility|facilities|team|doctors?"
    r"|physicians?|specialists?|patients|treatments?|therap(?:y|ies)|protocols?|program(?:me)?s?"
    r"|lab(?:oratory)?|cells|procedures?|products?|staff|infusions?)\b",
    r"\bwe\s+(?:treat|provide|use|administer|deliver|harvest|perform|speciali[sz]e|inject"
    r"|infuse|have\s+treated|are\s+(?:a|the)\s+(?:leading|premier|top|world))\w*\b",
    r"\b(?:contact|call|email|e-mail|message|whatsapp)\s+(?:us|our|now|today)\b",
    r"\bour\s+(?:[\w-]+\s+){0,2}(?:institute|laboratory|network|centres|centers|website|blog"
    r"|newsletter|experience|method)\b",
    r"\b(?:is|are)\s+(?:available|offered)\s+at\b",
    r"\b(?:is|are)\s+treated\s+(?:with|by)\b",
    r"®",
    r"\b(?:diseases|conditions)\s+(?:that\s+)?we\s+treat\b",
    r"\bwe\s+(?:recommend|focus|invite|have\s+(?:observed|seen|treated|experience))\b",
    r"\bnuestr[oa]s?\s+(?:cl[íi]nica|pacientes|tratamientos?|centro|m[ée]dicos|especialistas"
    r"|c[ée]lulas|protocolos?|laboratorio)\b",
    r"\bel\s+protocolo\s+sugerido\b|\btratamiento\s+ambulatorio\b",
    # a day-by-day treatment schedule, and a company's own press release
    r"(?m:^\s*(?:[-*•]\s*)?(?:day|d[íi]a)\s+\d+\s*[:.)-])|\ba\s+typical\s+treatment\b",
    r"\b(?:PRWeb|PR\s?Newswire|Business\s+Wire)\b",
    r"\b(?:est[áa]|es)\s+disponible\s+en\b",
)
# Weak offer cues that need capitals: a named provider saying what it does.
OFFER_CUES_NAMED: Final = re.compile(
    r"\b(?:[A-Z][\w.-]*\s+){1,4}(?:Cent(?:er|re)|Institute|Clinic|Medica|Hospital|Wellness)\s+"
    r"(?:offers|provides|uses|recommends|has\s+treated|treats|focuses|is\s+a\s+leading)\b"
    r"|\b[Tt]reatment\s+at\s+(?:the\s+)?[A-Z]"
)

# --- Payment --------------------------------------------------------------------------------
# FDA 2021: being charged for an unapproved product outside a trial means you are "likely being
# deceived". Payment words count only in a text that reads as an offer.
_AMOUNT: Final = r"\d(?:[\d,.]*\d)?"
PAYMENT: Final = _any(
    rf"\b(?:price|fee|cost)s?\s*(?::|is|of|from|starts?\s+at)\s*(?:US\s?)?[$€£]\s?{_AMOUNT}",
    rf"(?:\bUS\s?)?[$€£]\s?{_AMOUNT}(?:\s?(?:k|K)\b)?",
    rf"\b{_AMOUNT}\s?(?:USD|EUR|GBP|US\s+dollars|dollars|euros|pounds)\b",
    r"\b(?:deposit|down\s+payment|non-refundable|financing|payment\s+plans?|instal(?:l)?ments?"
    r"|wire\s+transfer|bank\s+transfer|cash\s+(?:only|payment)|all[- ]inclusive|self[- ]pay)\b",
    r"\b(?:treatment\s+)?packages?\b",
    rf"\b{_AMOUNT}\s?(?:pesos|MXN|d[óo]lares|rubles?|RUB|INR|THB|baht)\b",
    rf"(?:₹|\bRs\.?|\bBt)\s?{_AMOUNT}",
    r"\bprecios?\b|\bpaquetes?\b|\bfinanciamiento\b|\banticipo\b",
)
# A payment cue counts together with treatment wording (brief: "... together with treatment").
TREATMENT_WORDS: Final = _any(
    r"\b(?:treatment|therapy|therapies|infusions?|injections?|procedure|transplant|session"
    r"|stem\s+cells?|cells|protocol|program(?:me)?|package)\b"
)

# --- Claim patterns per sign ----------------------------------------------------------------
# ISSCR sign 1: claims based on patient testimonials.
TESTIMONIALS: Final = _any(
    r"\b(?:video\s+)?testimonials?\b",
    r"\b(?:patient|success|recovery|miracle)\s+stor(?:y|ies)\b",
    r"\b(?:what|hear\s+what|see\s+what)\s+our\s+(?:patients|clients)\s+(?:say|are\s+saying)\b",
    r"\b(?:our|satisfied|happy|former|many)\s+(?:patients|clients)\s+(?:say|said|report(?:ed)?"
    r"|tell\s+us|rave|describe[ds]?)\b",
    r"\b(?:patients|clients)\s+(?:have\s+)?(?:reported|experienced|seen|noticed)\s+"
    r"(?:dramatic|amazing|remarkable|significant|incredible|life-changing|miraculous)\b",
    r"\b(?:thousands|hundreds|\d[\d,]*\+?)\s+(?:of\s+)?(?:satisfied|happy|successful)\s+"
    r"(?:patients|clients)\b",
    r"\b(?:\d(?:\.\d)?|five)[- ]star\s+(?:reviews?|ratings?)\b",
    r"\bread\s+(?:our|their)\s+reviews\b",
    r"\bwhat\s+(?:they|patients)\s+say\s+about\s+us\b",
    r"\btrust\s+of\s+(?:over\s+|more\s+than\s+)?[\d,]+\+?\s+patients\b",
    r"\btestimonios?\b|\bhistorias?\s+de\s+(?:[ée]xito|pacientes)\b"
    r"|\b(?:miles|cientos)\s+de\s+pacientes\s+satisfechos\b",
)

# ISSCR sign 2: the same cells used for many diseases. Counted per sentence or list block; the
# number is msstem's reading of "many", not a sourced figure.
MANY_DISEASES_MIN: Final = 3
MANY_DISEASES_PHRASES: Final = _any(
    r"\b(?:treat|treats|treating|treated|help|helps|helping|helped|benefit|benefits|address"
    r"|addresses|treatments?|therap(?:y|ies))\b[^.!?]{0,40}?\b(?:many|numerous|a\s+(?:wide\s+|"
    r"broad\s+)?(?:range|variety|host)\s+of|all\s+kinds\s+of|countless|dozens\s+of|hundreds\s+of"
    r"|over\s+\d+|more\s+than\s+\d+|\d+\+?)\s+(?:other\s+)?(?:different\s+)?(?:\w+\s+)?"
    r"(?:diseases|conditions|disorders|illnesses|ailments|indications)\b",
    r"\b(?:any|every|almost\s+any|virtually\s+any|all)\s+(?:chronic\s+|degenerative\s+)?"
    r"(?:disease|condition|illness|ailment)s?\b",
    r"\b(?:m[áa]s\s+de\s+)?\d+\s+(?:padecimientos|enfermedades|patolog[íi]as|condiciones)\b",
    r"\bdiversas\s+patolog[íi]as\b|\bmuchas\s+enfermedades\b",
)
# Conditions clinics list next to MS. Each entry: a canonical name and its pattern.
CONDITIONS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (name, re.compile(pattern, flags))
    for name, pattern, flags in (
        # "MS" and "ALS" only in capitals ("ms" and "als" are other words)
        ("multiple sclerosis", r"(?i:\bmultiple\s+sclerosis\b|\besclerosis\s+m[úu]ltiple\b)|\bMS\b"
         r"|\bEM\b", 0),
        ("ALS", r"\bALS\b|(?i:\bamyotrophic\b|\bLou\s+Gehrig)", 0),
        ("Parkinson's disease", r"\bParkinson", _I),
        ("Alzheimer's disease", r"\bAlzheimer|\bdementia\b", _I),
        ("autism", r"\bautis(?:m|tic|mo)\b", _I),
        ("cerebral palsy", r"\bcerebral\s+palsy\b|\bpar[áa]lisis\s+cerebral\b", _I),
        ("spinal cord injury", r"\bspinal\s+cord\s+injur|\blesi[óo]n\s+medular\b", _I),
        ("stroke", r"\bstrokes?\b|\bictus\b|\bderrames?\s+cerebral", _I),
        ("brain injury", r"\b(?:traumatic\s+)?brain\s+injur|\bTBI\b", _I),
        ("diabetes", r"\bdiabet", _I),
        ("arthritis", r"\b(?:osteo|rheumatoid\s+)?arthritis\b|\b(?:osteo)?artritis\b", _I),
        ("joint or back pain", r"\b(?:knee|joint|back|hip|shoulder)\s+pain\b", _I),
        ("lupus", r"\blupus\b", _I),
        ("Crohn's disease or colitis", r"\bCrohn|\bcolitis\b", _I),
        ("COPD or lung disease", r"\bCOPD\b|\bEPOC\b|\blung\s+disease|\bpulmonary\s+fibrosis", _I),
        ("myasthenia gravis", r"\bmyasthenia\b|\bmiastenia\b", _I),
        ("cirrhosis or liver disease", r"\bcirrhosis\b|\bliver\s+(?:disease|failure)\b"
         r"|\bcirrosis\b", _I),
        ("CIDP", r"\bCIDP\b|\bchronic\s+inflammatory\s+demyelinating", _I),
        ("neuromyelitis optica", r"\bneuromyelitis\b|\bNMO\b|\bDevic", _I),
        ("blood cancers", r"\bleuka?emias?\b|\blymphomas?\b|\bmyelomas?\b", _I),
        ("encephalopathy", r"\bencephalopath", _I),
        ("heart disease", r"\bheart\s+(?:disease|failure|attack)\b|\bcardiomyopathy\b"
         r"|\benfermedades\s+cardiovasculares\b|\binfarto\b", _I),
        ("kidney disease", r"\bkidney\s+disease|\brenal\s+failure", _I),
        ("erectile dysfunction", r"\berectile\s+dysfunction\b", _I),
        ("ageing", r"\banti[- ]?aging\b|\banti[- ]?ageing\b|\blongevity\b", _I),
        ("eye disease", r"\bmacular\s+degeneration\b|\bglaucoma\b|\bretinitis\b", _I),
        ("neuropathy", r"\bneuropath", _I),
        ("muscular dystrophy", r"\bmuscular\s+dystroph", _I),
        ("fibromyalgia", r"\bfibromyalgia\b", _I),
        ("long COVID", r"\blong\s+COVID\b", _I),
        ("hair loss", r"\bhair\s+loss\b|\balopecia\b", _I),
        ("psoriasis", r"\bpsoriasis\b", _I),
        ("cancer", r"\bcancers?\b", _I),
    )
)

# ISSCR sign 5: claims of no risk (the FDA reports blindness, tumours and infections).
NO_RISK: Final = _any(
    r"\bno\s+(?:known\s+|serious\s+|real\s+|significant\s+)?(?:side[- ]effects?|risks?"
    r"|complications?|adverse\s+(?:effects?|events?|reactions?)|downsides?)\b",
    r"\b(?:(?:completely|totally|entirely|virtually|100\s?%)\s+)?"
    r"(?:risk|side[- ]effect|complication)[- ]free\b",
    r"\b(?:100\s?%|one\s+hundred\s+percent|completely|totally|perfectly|absolutely|entirely"
    r"|fully|guaranteed|proven)\s+safe\b",
    r"\bzero\s+(?:risks?|side[- ]effects?|complications?)\b",
    r"\bwithout\s+(?:any\s+)?(?:risks?|side[- ]effects?|complications?)\b",
    r"\bsafe\s+for\s+(?:everyone|all\s+patients|anyone|everybody)\b",
    r"\bside[- ]effects?\b[^.]{0,40}\b(?:non-?existent|nonexistent)\b",
    r"\bsin\s+(?:ning[úu]n\s+)?(?:riesgos?|efectos\s+(?:secundarios|adversos)|complicaciones)\b",
    r"\b100\s?%\s+(?:segur[oa]s?|compatibles?)\b|\btotalmente\s+segur[oa]s?\b",
    r"\bno\s+hay\s+(?:ning[úu]n\s+)?(?:riesgos?|problemas?\s+de\s+compatibilidad)\b",
)

# ISSCR sign 3: source of the cells not documented. Vague wording is a claim of its own.
UNDOCUMENTED_SOURCE_VAGUE: Final = _any(
    r"\bproprietary\s+(?:[\w-]+\s+){0,2}(?:cells?|blend|formula|products?|process(?:ing)?"
    r"|technology|method|source|solution|cocktail|preparation|line)\b",
    r"\b(?:secret|exclusive)\s+(?:[\w-]+\s+)?(?:blend|formula|cells|cocktail|source)\b",
    r"\bstem[- ]cell\s+(?:cocktail|blend)\b",
)
SOURCE_STATED: Final = _any(
    r"\bautologous\b",
    r"\ballogeneic\b",
    r"\b(?:your|the\s+patient['’]?s?|a\s+person['’]s|their)\s+own\s+(?:[\w-]+\s+){0,2}"
    r"(?:cells|bone\s+marrow|blood|fat|tissue)\b",
    r"\b(?:umbilical\s+cord|cord\s+blood|cord[- ]derived|bone\s+marrow|adipose|fat\s+tissue"
    r"|fat[- ]derived|peripheral\s+blood|placenta\w*|amniotic|wharton['’]?s\s+jelly"
    r"|embryonic|donor|donated)\b",
)

# ISSCR sign 4: no clear protocol. A secret or "unique" protocol is a claim of its own.
NO_PROTOCOL_VAGUE: Final = _any(
    r"\b(?:proprietary|secret|unique|special|exclusive|patented)\s+(?:[\w-]+\s+){0,2}"
    r"(?:protocols?|methods?|techniques?|approach)\b",
    r"\b(?:customi[sz]ed|personali[sz]ed|individuali[sz]ed|tailor(?:ed|-made))\s+"
    r"(?:[\w-]+\s+){0,2}protocols?\b",
)
PROTOCOL_STATED: Final = _any(
    r"\b\d[\d,.]*\s*(?:million|billion|mio)\s+(?:[\w-]+\s+){0,3}cells\b",
    r"\bcells?\s*/\s*kg\b",
    r"\bCD34\b",
    r"\bdos(?:e|es|age|ing)\b",
    r"\b(?:intravenous(?:ly)?|IV\s+infusions?|intrathecal(?:ly)?|lumbar\s+puncture"
    r"|subcutaneous(?:ly)?|intramuscular(?:ly)?)\b",
    r"\b(?:cyclophosphamide|anti-?thymocyte\s+globulin|ATG|BEAM|conditioning\s+regimen"
    r"|mobili[sz]ation)\b",
    r"\b(?:study|trial|written|treatment)\s+protocol\b",
    r"\bprotocol\s+(?:number|no\.?|#)",
    r"\b(?:IRB|institutional\s+review\s+board|ethics\s+committee|research\s+ethics\s+board)\b",
    r"\bfollow[- ]up\s+(?:visits?|schedule|assessments?|plan)\b",
)

# FDA: ask for the IND number; a trial has a clinicaltrials.gov (NCT) number.
REGISTRATION_STATED: Final = re.compile(
    r"\bNCT\s?\d{8}\b|\bIND\s*(?:#|no\.?|number)?\s*:?\s*\d{4,}\b",
)

# FDA 2021: "registered with FDA" and clinicaltrials.gov listings are used to imply compliance.
MISLEADING_REGULATORY: Final = _any(
    r"\bFDA[- ](?:registered|compliant|cleared|licensed|approved|inspected|certified)\b",
    r"\bregistered\s+with\s+(?:the\s+)?(?:US\s+|U\.S\.\s+)?(?:FDA|Food\s+and\s+Drug"
    r"\s+Administration)\b",
    r"\b(?:approved|cleared|licensed|certified|sanctioned)\s+by\s+(?:the\s+)?(?:US\s+|U\.S\.\s+)?"
    r"(?:FDA|Food\s+and\s+Drug\s+Administration)\b",
    r"\b(?:listed|registered)\s+(?:on|with|at)\s+clinicaltrials\.gov\b",
    # a local regulator, licence or certificate offered as if it meant proven and safe
    r"\b(?:COFEPRIS|INVIMA|MINSA|NMPA|TISTR|ICMR|Roszdravnadzor)\b[^.]{0,80}?\b(?:equivalent"
    r"|counterpart|ensur\w*|certif\w*|approv\w*|licen[cs]\w*|standards?)\b",
    r"\b(?:c?GMP|ISO(?:[- ]?\d+)?|JCI)(?:[- ]USA)?[- ](?:certified|accredited|standards?)\b",
    r"\bcertified\s+under\b",
    r"\bequivalent\s+(?:of|to)\s+the\s+(?:US\s+|U\.S\.\s+)?FDA\b",
    r"\bgreen\s+light\b",
)
# Paying to take part in a "trial" is itself the sign.
PAY_TO_PARTICIPATE: Final = _any(
    r"\bpay[- ]to[- ]participate\b",
    r"\b(?:participation|enrol(?:l)?ment|registration|study|trial)\s+fees?\b",
    r"\b(?:patient|self)[- ]funded\s+(?:clinical\s+)?(?:trials?|stud(?:y|ies)|research)\b",
)
# Trial wording that misleads when the patient pays for the "trial".
TRIAL_WORDING: Final = _any(
    r"\bclinical\s+(?:trials?|stud(?:y|ies)|research)\b",
    r"\bresearch\s+(?:stud(?:y|ies)|programs?|programmes?|protocols?)\b",
    r"\binvestigational\s+(?:stud(?:y|ies)|programs?|programmes?|therapy|treatment)\b",
)
