"""Shared bases for every layer: one options base, one result base, and the one translator
of validation errors into one-line messages.

Like :mod:`msstem.errors`, this module is importable from anywhere and imports nothing of
msstem's but the errors (docs/architecture.md).

* :class:`Options`: every settings object (progression, NEDA-3, relapse rates, survival, the
  offer checker, estimates) is a frozen pydantic model that refuses unknown names. A bad value
  raises :class:`~msstem.errors.OptionsError` whose one-line message names the model and the
  field, says what was given and lists what is allowed (the model's own fields for an unknown
  name, the values of a closed vocabulary).
* :class:`Result`: every result (assessment, eligibility, offer check, progression, NEDA-3,
  relapse rates, Kaplan-Meier) renders itself as lifelines' ``StatisticalResult`` does:
  ``to_dict()``, a ``summary`` table (a pandas DataFrame), ``_repr_html_`` for notebooks, and
  it carries the ``options`` and the ``msstem_version`` that made it.
* :func:`lazy_exports`: the PEP 562 ``__getattr__``/``__dir__`` of a package whose heavy
  names are imported on first use (``msstem.reports``, ``msstem.outcomes``).
* :func:`describe_validation_error`: pydantic's errors as ``(field, message)``, used by the
  options, the profile, the evidence loader, the web's settings and its request bodies. It
  never echoes hostile input raw: a value or key is cut at
  :data:`~msstem.errors.QUOTE_CHARS` characters with an ellipsis and its control characters
  are escaped and named (:func:`~msstem.errors.quote_input`).
"""

from __future__ import annotations

import html
import json
import types
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

from msstem.errors import (
    QUOTE_CHARS,
    InputError,
    OptionsError,
    allowed_list,
    control_characters,
    quote_input,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Options",
    "Result",
    "allowed_values",
    "as_json",
    "describe_validation_error",
    "lazy_exports",
]

#: Plain words for the type errors a user can cause: ``"{given} is not {words}"``.
_EXPECTED: Final[Mapping[str, str]] = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


#: Error kinds that say the whole document is not an object.
_NOT_AN_OBJECT: Final = frozenset({"dict_type", "model_type", "model_attributes_type"})


def as_json(value: Any) -> str:
    r"""A value as written in JSON (``true``, ``"40"``, ``NaN``), not as a Python repr; at
    most :data:`~msstem.errors.QUOTE_CHARS` characters (then an ellipsis), control
    characters escaped and named.

    >>> as_json(True), as_json("40"), as_json("a\x1bb")
    ('true', '"40"', "'a\\x1bb' (contains control characters: U+001B ESC)")
    """
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return quote_input(value)
    if isinstance(value, str) and control_characters(value):
        return quote_input(value)  # escaped and named
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS] + "…"
    return text


def _where(loc: Sequence[Any]) -> str:
    """A location for a message: ``a.b.0``; a key that is not a plain name (``""``, ``"a b"``,
    300 characters, control characters) is quoted and cut short in brackets: ``a['a b']``."""
    out = ""
    for i, part in enumerate(loc):
        text = str(part)
        if isinstance(part, int) or text.isidentifier() or \
                text.replace("-", "_").isidentifier():
            out += ("." if i else "") + text
        else:
            out += f"[{quote_input(text, 40)}]"
    return out


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of a union (``X | None`` -> ``[X]``), else ``[annotation]``."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return [a for a in get_args(annotation) if a is not type(None)]
    return [annotation]


def _annotation_at(model: type[BaseModel], loc: Sequence[Any]) -> tuple[Any, type[BaseModel]]:
    """(annotation, owning model) of the place ``loc`` points to in ``model``."""
    annotation: Any = model
    owner = model
    for part in loc:
        candidates = _unwrap(annotation)
        step = None
        for cand in candidates:
            if isinstance(part, str) and isinstance(cand, type) and issubclass(cand, BaseModel):
                if part in cand.model_fields:
                    owner = cand
                    step = cand.model_fields[part].annotation
                    break
            elif isinstance(part, int) and get_origin(cand) in (tuple, list):
                args = [a for a in get_args(cand) if a is not Ellipsis]
                if args:
                    step = args[min(part, len(args) - 1)] if len(args) > 1 else args[0]
                    break
        if step is None:
            # ``part`` names nothing in the annotation: it is an unknown name of ``owner``
            # (or of the model the annotation holds).
            for cand in candidates:
                if isinstance(cand, type) and issubclass(cand, BaseModel):
                    owner = cand
            return None, owner
        annotation = step
    return annotation, owner


def allowed_values(annotation: Any) -> tuple[Any, ...]:
    """The values a closed vocabulary (``Literal`` or ``Enum``) allows; ``()`` otherwise."""
    values: list[Any] = []
    for cand in _unwrap(annotation):
        if get_origin(cand) is Literal:
            values.extend(get_args(cand))
        elif isinstance(cand, type) and issubclass(cand, Enum):
            values.extend(member.value for member in cand)
    return tuple(values)


def describe_validation_error(
    err: Mapping[str, Any],
    model: type[BaseModel] | None = None,
    *,
    noun: str = "option",
    show: Callable[[Any], str] = quote_input,
    show_allowed: Callable[[Any], str] | None = None,
    sort_fields: bool = True,
    fields_budget: tuple[int, str] | None = None,
    skip_loc: Sequence[str] = (),
    root: str | None = None,
    root_hint: str = "",
    expected_words: Mapping[str, str] | None = None,
    given_suffix: bool = True,
) -> tuple[str | None, str]:
    """``(field, one-line message)`` for one pydantic error (``ValidationError.errors()[i]``).

    ``model`` is the model that was validated: it gives the allowed fields for an unknown
    name and the allowed values of a closed vocabulary. ``noun`` names a field in messages
    ("option", "field"); ``show`` writes the value the user gave (:func:`quote_input` for
    Python settings, :func:`as_json` for JSON documents; both cut long values short and name
    control characters) and ``show_allowed`` the allowed values (default: as ``show``);
    ``fields_budget`` ``(characters, where)`` cuts a long list of allowed fields
    (:func:`~msstem.errors.allowed_list`); ``skip_loc`` drops location parts that are not
    names (FastAPI's ``body``); ``root`` names the whole document (``"profile"``, ``"body"``)
    for errors about it, and ``root_hint`` says what to send instead when it is not JSON or
    not an object; ``expected_words`` overrides the words for a type error at a location;
    ``given_suffix`` adds ``(given ...)`` to a validator's own message.
    """
    raw_loc = [p for p in err.get("loc", ()) if p not in skip_loc]
    loc = _where(raw_loc)
    kind = str(err.get("type", ""))
    given = err.get("input")
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    field = str(raw_loc[0]) if raw_loc else root
    annotation, owner = (None, model) if model is None else _annotation_at(model, raw_loc)
    hint = f"; {root_hint}" if root_hint else ""

    ctx = err.get("ctx") or {}
    if isinstance(ctx.get("error"), InputError):  # a validator raised msstem's own error
        inner = ctx["error"]
        return inner.field or field, str(inner)
    if kind == "json_invalid":
        return root, f"{root or 'document'}: not valid JSON{hint}"
    if not raw_loc:
        if kind in _NOT_AN_OBJECT:
            return root, f"{root or 'document'}: {show(given)} is not a JSON object{hint}"
        # A model-level check: its message starts with the field it is about, when it knows.
        head, sep, _ = msg.partition(": ")
        if sep and model is not None and head in model.model_fields:
            return head, msg
        return root, f"{root}: {msg}" if root else msg
    if kind == "extra_forbidden":
        # The name as given (even "" or one with dots), quoted and cut short.
        name = quote_input(".".join(str(p) for p in raw_loc), 40)
        names = list(owner.model_fields) if owner is not None else []
        if not names:
            return field, f"unknown {noun} {name}"
        ordered = sorted(names) if sort_fields else names
        listed = (", ".join(ordered) if fields_budget is None
                  else allowed_list(ordered, budget=fields_budget[0], where=fields_budget[1]))
        return field, f"unknown {noun} {name}; allowed {noun}s: {listed}"
    if kind in {"literal_error", "enum"}:
        allowed = allowed_values(annotation)
        shown = show_allowed or show
        listed = ", ".join(shown(v) for v in allowed) if allowed else ctx.get("expected", "")
        return field, f"{loc}: {show(given)} is not allowed; allowed: {listed}"
    if kind == "missing":
        return field, f"{loc}: required"
    expected = _EXPECTED.get(kind)
    if expected and expected_words and loc in expected_words:
        expected = expected_words[loc]
    if expected:
        return field, f"{loc}: {show(given)} is not {expected}"
    if kind == "finite_number":
        return field, f"{loc}: {show(given)} is not a finite number"
    if kind in {"string_too_short", "string_too_long"}:
        return field, f"{loc}: {show(given)} is not allowed; {msg.lower()}"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return field, f"{loc}: {show(given)} is out of range; {msg.lower()}"
    if given_suffix and given is not None and not isinstance(given, Mapping):
        return field, f"{loc}: {msg} (given {show(given)})"
    return field, f"{loc}: {msg}"


def lazy_exports(
    lazy: Mapping[str, str], namespace: dict[str, Any], load: Callable[[str], types.ModuleType]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for a package (PEP 562) whose names in ``lazy`` (public
    name -> submodule) are imported on first use, then kept in the package's ``namespace``
    (its ``globals()``). ``load`` imports a submodule; it names the package literally, so
    that tests/test_layers.py can check where the import points::

        __getattr__, __dir__ = lazy_exports(
            _LAZY, globals(), lambda sub: importlib.import_module(f"msstem.reports.{sub}"))
    """

    def __getattr__(name: str) -> Any:
        module = lazy.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(load(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(namespace.get("__all__", ())))

    return __getattr__, __dir__


class Options(BaseModel):
    """The base of every settings object: frozen, refuses unknown names, one-line errors.

    >>> class Demo(Options):
    ...     mode: Literal["fast", "exact"] = "exact"
    >>> Demo(mode="quick")
    Traceback (most recent call last):
    ...
    msstem.errors.OptionsError: Demo: mode: 'quick' is not allowed; allowed: 'fast', 'exact'
    >>> Demo(speed=1)
    Traceback (most recent call last):
    ...
    msstem.errors.OptionsError: Demo: unknown option 'speed'; allowed options: mode
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            field, message = describe_validation_error(exc.errors()[0], type(self))
            raise OptionsError(f"{type(self).__name__}: {message}", field=field) from None

    # Nested options given as dicts are validated by pydantic directly (not through this
    # __init__), so their errors keep the full location (``relapse_indep.event``).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings."""
        out: dict[str, Any] = self.model_dump(mode="json")
        return out


class Result:
    """What every msstem result offers (lifelines' ``StatisticalResult`` is the model).

    A subclass (a frozen dataclass) carries ``options`` (the settings object that made it,
    or ``None`` where the computation has no settings) and ``msstem_version``, and provides
    ``to_dict()`` and ``summary`` (a pandas DataFrame, one row per item it reports).
    ``_repr_html_`` (notebooks) shows the name, version, options and the summary table.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        options: Any
        msstem_version: str

        @property
        def summary(self) -> pd.DataFrame: ...

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def options_dict(self) -> dict[str, Any] | None:
        """The options as JSON-ready settings (``None`` when there are none)."""
        opts = self.options
        if opts is None:
            return None
        to_dict = getattr(opts, "to_dict", None)
        if callable(to_dict):
            out: dict[str, Any] = to_dict()
            return out
        dumped: dict[str, Any] = opts.model_dump(mode="json")
        return dumped

    def _repr_html_(self) -> str:
        options = self.options_dict() or {}
        shown = ", ".join(f"{k}={v!r}" for k, v in options.items()
                          if not isinstance(v, dict))
        return (
            f"<div><strong>{html.escape(type(self).__name__)}</strong> "
            f"(msstem {html.escape(self.msstem_version)})"
            + (f"<br><small>{html.escape(shown)}</small>" if shown else "")
            + f"{self.summary.to_html(index=False, na_rep='')}</div>"
        )
