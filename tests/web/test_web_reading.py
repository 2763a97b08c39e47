"""Length, screens and reading grade of the pages, measured in headless Chromium.

Visible words are what a person sees without opening anything (closed "details" count
only with their one-line summary); citation numbers and the source list are left out of
the reading grade (US Flesch-Kincaid, textstat, offline). Also: the person's own answer is
on the first screen of "Your options", before any outcome figure, for Ana, Tom and Lena.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_web_browser import DESKTOP, PHONE, Page, _fill_profile, browser, server  # noqa: F401

pytestmark = pytest.mark.browser

#: Block-level text units are read as sentences (a table cell, a list item, a heading).
_TEXT_JS = """() => {
  const parts = [];
  const walk = (el) => {
    for (const n of el.childNodes) {
      if (n.nodeType === 3) { parts.push(n.textContent); continue; }
      if (n.nodeType !== 1) continue;
      if (n.matches('sup.cite, .sources-box, .svg-defs, script')) continue;
      const st = getComputedStyle(n);
      if (st.display === 'none' || st.visibility === 'hidden') continue;
      if (n.tagName === 'DETAILS' && !n.open) {
        const s = n.querySelector(':scope > summary'); if (s) { walk(s); parts.push(' .\\n'); }
        continue;
      }
      walk(n);
      if (st.display !== 'inline' && st.display !== 'inline-block') parts.push(' .\\n');
    }
  };
  walk(document.querySelector('main'));
  return parts.join(' ');
}"""


def _words(page: Any) -> int:
    return len(re.findall(r"[A-Za-z0-9][\w'’.,%-]*", page.inner_text("main")))


def _screens(page: Any, viewport: dict[str, int]) -> float:
    return float(page.evaluate("document.documentElement.scrollHeight")) / viewport["height"]


def _grade(page: Any) -> float:
    import textstat

    text = page.evaluate(_TEXT_JS)
    text = re.sub(r"(\s*\.\s*\n)+", ". ", text)
    text = re.sub(r"\s+", " ", text)
    return float(textstat.flesch_kincaid_grade(text))


def _profiled(browser: Any, server: str, viewport: dict[str, int]) -> Page:  # noqa: F811
    w = Page(browser, server, viewport)
    page = w.go("/about")
    _fill_profile(page)
    page.click("form.profile button[type=submit]")
    assert page.url.endswith("/options")
    return w


LIMITS: dict[str, tuple[int, float | None, float | None]] = {
    # path: (visible words, desktop screens, phone screens); None: no limit set
    "/options": (1200, 6, 15),
    "/learn": (1500, 8, None),
    "/summary": (900, None, None),
}


@pytest.mark.parametrize("path", list(LIMITS))
def test_page_length_with_the_example_profile(browser: Any, server: str, path: str) -> None:  # noqa: F811
    words, desk, phone = LIMITS[path]
    w = _profiled(browser, server, DESKTOP)
    page = w.go(path)
    assert _words(page) <= words, f"{path}: {_words(page)} visible words"
    if desk is not None:
        assert _screens(page, DESKTOP) <= desk
    w.close()
    if phone is not None:
        w = _profiled(browser, server, PHONE)
        page = w.go(path)
        assert _screens(page, PHONE) <= phone
        w.close()


@pytest.mark.parametrize("path", ["/learn", "/options", "/values", "/summary", "/reset"])
def test_reading_grade_8_or_below(browser: Any, server: str, path: str) -> None:  # noqa: F811
    w = _profiled(browser, server, DESKTOP)
    page = w.go(path)
    grade = _grade(page)
    assert grade <= 8.0, f"{path}: Flesch-Kincaid grade {grade:.1f}"
    w.close()


PEOPLE = {
    "ana": {"#age": "34", "#ms_course": "RRMS", "#edss": "3.5", "#relapses_12m": "2",
            "#gd_lesions_12m": "2", "#activity_on_dmt": "yes",
            "#failed_high_efficacy_dmt": "yes", "#current_dmt": "natalizumab"},
    "tom": {"#age": "52", "#ms_course": "SPMS", "#edss": "6.5", "#relapses_12m": "0",
            "#gd_lesions_12m": "0", "#new_t2_lesions_12m": "0"},
    "lena": {"#age": "27", "#ms_course": "RRMS"},
}


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_own_answer_on_first_screen_before_any_figure(
    browser: Any, server: str, who: str, viewport: dict[str, int]  # noqa: F811
) -> None:
    w = Page(browser, server, viewport)
    page = w.go("/about")
    for selector, value in PEOPLE[who].items():
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("form.profile button[type=submit]")
    assert page.url.endswith("/options")
    box = page.locator("#your-answer").bounding_box()
    assert box is not None and box["y"] + 80 < viewport["height"]  # it starts on screen 1
    text = page.inner_text("main")
    answer = page.inner_text("#your-answer")
    assert "guideline" in answer or "advice" in answer
    first_figure = re.search(r"\d+(\.\d+)? in 1(00|,000)\b", text)
    assert first_figure is not None
    assert text.index(answer.strip().splitlines()[0]) < first_figure.start()
    if who == "tom":
        assert "fit none of the" in answer and "results in other people" in answer
    w.close()
