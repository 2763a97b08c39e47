"""Jinja2 rendering for the web pages: one environment, compiled once, autoescape on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from msstem import __version__

__all__ = ["PAGES", "Renderer", "fmt_number"]

#: The seven pages, in the order a person walks them: (endpoint path, short title).
PAGES: tuple[tuple[str, str], ...] = (
    ("/learn", "Learn"),
    ("/about", "About you"),
    ("/options", "Your options"),
    ("/values", "What matters to you"),
    ("/quiz", "Check your understanding"),
    ("/offer", "Is this offer legitimate?"),
    ("/summary", "Your summary"),
)


def fmt_number(value: Any, digits: int = 1) -> str:
    """12.0 -> "12", 2.1 -> "2.1", 0.19 -> "0.19": no false precision, no trailing zeros."""
    if value is None:
        return "not reported"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    places = digits if abs(number) >= 1 else max(digits, 2)
    return f"{number:,.{places}f}".rstrip("0").rstrip(".")


def _templates_dir() -> str:
    return str(resources.files("msstem.web") / "templates")


class Renderer:
    """Renders named templates with the site-wide context."""

    def __init__(self, globals_: Mapping[str, Any] | None = None,
                 notes_factory: Callable[[], Any] | None = None) -> None:
        self._notes_factory = notes_factory
        self.env = Environment(
            loader=FileSystemLoader(_templates_dir()),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            cache_size=-1,
        )
        self.env.filters["num"] = fmt_number
        self.env.globals.update(
            {"PAGES": PAGES, "msstem_version": __version__, "Markup": Markup, **(globals_ or {})}
        )
        # Compile every template now, not on the first request.
        for name in self.env.list_templates(extensions=["j2"]):
            self.env.get_template(name)

    def render(self, name: str, **context: Any) -> str:
        """Render ``name``; each page gets its own numbered notes (one source list per page)."""
        if "notes" not in context and self._notes_factory is not None:
            context["notes"] = self._notes_factory()
        return self.env.get_template(name).render(**context)
