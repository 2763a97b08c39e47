"""One exception tree for msstem.

Every error a user can cause is an :class:`InputError` whose message is one line
naming the field, row or column and what is allowed. The CLI maps any
:class:`MsstemError` to exit code 2; the web maps it to one JSON error shape.

    MsstemError                      root of everything msstem raises on purpose
    ├── InputError (ValueError)      bad user input; carries ``field`` when known
    │   ├── ProfileError             a patient profile field is missing, mistyped or out of range
    │   ├── DataError                a data file or table (CSV, Parquet, JSON) is malformed
    │   └── OptionsError             an options object was given an invalid setting
    ├── NotFoundError (KeyError)     an unknown id (rule set, source, fact, trial)
    └── EvidenceError                the curated evidence base is inconsistent (a developer error)

Warnings (not errors) have their own small tree:

    MsstemWarning (UserWarning)
    └── DataPolicyWarning            a policy the user chose changed what was analysed
                                     (e.g. duplicate visits kept, unknown relapse subjects dropped)
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "DataPolicyWarning",
    "EvidenceError",
    "InputError",
    "MsstemError",
    "MsstemWarning",
    "NotFoundError",
    "OptionsError",
    "ProfileError",
]


class MsstemError(Exception):
    """Root of the msstem exception tree."""


class InputError(MsstemError, ValueError):
    """Bad user input. ``field`` names the field, column or row when known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        # Always one line: users see this verbatim.
        return " ".join(str(self.args[0]).split()) if self.args else ""


class ProfileError(InputError):
    """A patient profile field is missing, mistyped or out of range."""


class DataError(InputError):
    """A data file or table is malformed (missing column, bad value, empty)."""


class OptionsError(InputError):
    """An options object was given an invalid setting."""


class NotFoundError(MsstemError, KeyError):
    """An unknown identifier was asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class EvidenceError(MsstemError):
    """The curated evidence base is inconsistent."""


class MsstemWarning(UserWarning):
    """Root of the warnings msstem emits."""


class DataPolicyWarning(MsstemWarning):
    """A data policy the user chose (not an error) changed which rows were analysed."""
