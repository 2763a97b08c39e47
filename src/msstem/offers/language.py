"""Which language a pasted offer is in: English, Spanish or neither (offline, no model).

The checker reads English and Spanish wording. Deciding which one a text is in needs no
model: short function words ("the", "and", "of" / "el", "los", "que") are frequent in every
text and distinct between the two languages, so counting them is enough for texts of a
sentence or more. A text with too few of either, or mostly in another script (Cyrillic,
Greek, Arabic, CJK...), is "other": the checker still runs both word lists, and says that
signs may be missed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal, get_args

__all__ = ["LANGUAGES", "LANGUAGE_NAMES", "MIN_FUNCTION_WORDS", "Language", "detect_language"]

Language = Literal["en", "es", "other"]
LANGUAGES: Final = get_args(Language)
LANGUAGE_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {"en": "English", "es": "Spanish", "other": "another language"}
)

#: Fewest function words of the winning language for a confident answer (msstem's heuristic).
MIN_FUNCTION_WORDS: Final = 3

# Frequent function words that the other language does not use as words ("a", "de" and "en"
# are left out: they are words in both, or in Spanish names pasted into English text).
_ENGLISH: Final = frozenset(
    {
        "the", "and", "of", "to", "is", "are", "with", "for", "that", "this", "was", "were",
        "be", "been", "from", "have", "has", "it", "its", "our", "we", "you", "your", "they",
        "their", "which", "who", "will", "can", "not", "or", "at", "by", "an", "as", "on"
    }
)
_SPANISH: Final = frozenset(
    {
        "el", "la", "los", "las", "del", "que", "y", "es", "son", "con", "para", "por", "una",
        "un", "su", "sus", "al", "se", "lo", "como", "más", "pero", "sin", "muy", "este",
        "esta", "estos", "estas", "nuestro", "nuestra", "nuestros", "nuestras", "usted",
        "ustedes", "también"
    }
)
_WORD: Final = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN: Final = re.compile(r"[A-Za-zÀ-ÿ]")


def detect_language(text: str) -> Language:
    """``"en"``, ``"es"`` or ``"other"`` by counting function words (ties go to English)."""
    letters = [c for c in text if c.isalpha()]
    if letters:
        latin = sum(1 for c in letters if _LATIN.match(c))
        if latin < len(letters) / 2:
            return "other"
    english = spanish = 0
    for word in _WORD.findall(text.lower()):
        if word in _ENGLISH:
            english += 1
        elif word in _SPANISH:
            spanish += 1
    if max(english, spanish) < MIN_FUNCTION_WORDS:
        return "other"
    return "es" if spanish > english else "en"
