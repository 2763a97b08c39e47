"""The HTML pages: forms without JavaScript, CSRF, cookies, errors beside fields, saving."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_helpers import EXAMPLE_FORM, csrf_of

from msstem.web.state import COOKIE_NAME

PAGES = ["/learn", "/about", "/options", "/values", "/quiz", "/offer", "/summary"]


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_root_redirects_to_learn(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/learn"


def test_steps_are_in_order_and_current_is_marked(client: TestClient) -> None:
    html = client.get("/values").text
    nav = re.findall(r'<li><a href="(/[a-z]+)"', html)
    assert nav == PAGES
    assert '<a href="/values" aria-current="page">' in html


def test_state_cookie_is_httponly_strict(client: TestClient) -> None:
    r = client.get("/about")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Path=/" in cookie and "expires" not in cookie.lower()  # session cookie


def test_post_without_csrf_is_refused(client: TestClient) -> None:
    client.get("/about")
    r = client.post("/quiz", data={"q_x": "a"}, headers={"accept": "application/json"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"
    r = client.post("/quiz", data={"csrf": "forged"}, headers={"accept": "text/html"})
    assert r.status_code == 403 and "reload the page" in r.text
    assert "csrf" not in r.text.split("<main", 1)[1].split("</main>")[0].lower()
    # A form with typed answers is not refused with a bare error: it comes back with the
    # answers and a plain message, and nothing is saved.
    r = client.post("/about", data={"age": "40", "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 200 and 'id="age" value="40"' in r.text
    assert "What you typed is still below" in r.text
    assert 'id="age" value="40"' not in client.get("/about").text


def test_post_without_cookie_is_refused(app: Any) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as fresh:
        token = csrf_of(fresh.get("/about").text)
        fresh.cookies.clear()
        r = fresh.post("/about", data={"age": "40", "csrf": token}, follow_redirects=False)
        assert r.status_code == 200 and "lost its saved answers" in r.text  # not saved
        assert 'id="age" value="40"' in r.text


def test_valid_profile_goes_to_options_and_is_kept(profiled: TestClient) -> None:
    html = profiled.get("/about").text
    assert 'id="age" value="34"' in html
    assert re.search(r'<option value="3.5" selected>', html)
    assert 'value="psychiatric" id="hctci-psychiatric" checked' in html
    options = profiled.get("/options").text
    assert "You have not told us about yourself yet" not in options


def test_invalid_values_rerender_with_message_beside_field(client: TestClient) -> None:
    token = csrf_of(client.get("/about").text)
    form = {**EXAMPLE_FORM, "age": "-3", "relapses_12m": "abc", "csrf": token}
    r = client.post("/about", data=form)
    assert r.status_code == 200
    html = r.text
    # The message sits inside the field's own block, before its input, and is linked to it.
    block = html[html.index('<label for="age">'):html.index('id="age"')]
    assert 'id="age-error"' in block and "out of range" in block
    assert 'aria-describedby="age-help age-error" aria-invalid="true"' in html
    assert 'id="age" value="-3"' in html  # what they typed is kept
    assert 'id="relapses_12m" value="abc"' in html and "not a whole number" in html
    assert 'id="ms_course"' in html and '<option value="RRMS" selected>' in html
    assert 'id="error-summary"' in html


def test_options_without_profile_says_so(client: TestClient) -> None:
    client.cookies.clear()
    assert "You have not told us about yourself yet" in client.get("/options").text


def test_options_answer_first_then_one_grid(profiled: TestClient) -> None:
    html = profiled.get("/options").text
    answer = html.index('id="your-answer"')
    assert answer < html.index("<table")  # the person's answer before any outcome figure
    assert answer < html.index(" in 100")
    assert "Your answers fit the advice for a stem cell transplant" in html
    for heading in ("Stem cell transplant (aHSCT)", "Stay on or change my current treatment"):
        assert html.count(f'<th scope="col">{heading}</th>') == 2  # benefits and harms tables
    assert "What a treatment can do for you" in html and "What it can cost you" in html
    assert "same scale" in html and "so you can compare them" not in html
    assert 'id="direct"' in html and "MIST" in html
    # Finished trials never show a green "meets".
    finished = html[html.index("<h3>Finished</h3>"):html.index('id="screening"')]
    assert "verdict-meets" not in finished
    # Every criterion, one by one, is a page of its own (depth on demand), with its notes.
    assert 'href="/options/criteria"' in html and 'id="rs-' not in html
    criteria = profiled.get("/options/criteria")
    assert criteria.status_code == 200
    starms = criteria.text[criteria.text.index('id="rs-starms"'):]
    assert starms.index("verdict-finished") < starms.index("</summary>")
    assert criteria.text.count('id="rs-') == 9 and 'id="note-1"' in criteria.text
    assert "<td>" in criteria.text and "only your care team can decide" in criteria.text
    # One numbered source list, links to DOI/PubMed/registries only.
    assert html.count('class="sources"') == 1 and 'id="note-1"' in html
    assert "seed file" not in html and ".txt" not in html


#: Issue 9: the options page under 60 KB of HTML (the example profile).
OPTIONS_PAGE_MAX_BYTES = 60_000


def test_options_page_under_60_kb(profiled: TestClient) -> None:
    r = profiled.get("/options", headers={"accept-encoding": "identity"})
    assert r.status_code == 200 and "What happened to people like you" in r.text
    assert len(r.content) < OPTIONS_PAGE_MAX_BYTES, len(r.content)


def test_values_then_alignment_without_recommendation(profiled: TestClient) -> None:
    token = csrf_of(profiled.get("/values").text)
    r = profiled.post("/values", data={"csrf": token, "p_avoid_treatment_death": "4",
                                       "p_stop_relapses": "2", "p_travel_cost": "0"})
    assert r.status_code == 200  # followed the redirect
    html = r.text
    assert "does not add these up or pick an option" in html
    first = html.index("Avoiding the risk of dying")
    assert first < html.index('id="al-stop_relapses"')
    assert "Not important to you: Travel and cost" in html
    lowered = html.lower()
    for word in ("we recommend", "best option", "you should choose"):
        assert word not in lowered


def test_values_bad_value_shows_message(profiled: TestClient) -> None:
    token = csrf_of(profiled.get("/values").text)
    r = profiled.post("/values", data={"csrf": token, "p_stop_relapses": "9"})
    assert r.status_code == 200 and "not allowed" in r.text and 'class="error"' in r.text


def test_quiz_feedback_and_score(client: TestClient) -> None:
    html = client.get("/quiz").text
    token = csrf_of(html)
    names = sorted(set(re.findall(r'name="(q_[a-z0-9-]+)"', html)))
    first_choice = {n: re.search(rf'name="{n}" id="[^"]+" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
                    for n in names}
    r = client.post("/quiz", data={"csrf": token, **first_choice})
    assert "Your result:" in r.text and "answered correctly" in r.text
    assert r.text.count('class="feedback') == len(names)


def test_offer_page_finds_signs_and_keeps_text(client: TestClient) -> None:
    token = csrf_of(client.get("/offer").text)
    text = "Our patients' testimonials speak for themselves. 100% safe, no side effects."
    r = client.post("/offer", data={"csrf": token, "text": text})
    assert "warning sign" in r.text and "testimonials" in r.text
    assert "100% safe" in r.text and text.replace("'", "&#39;") in r.text


def test_offer_over_the_limit_is_a_clear_message(client: TestClient) -> None:
    from msstem.offers import MAX_OFFER_CHARS

    token = csrf_of(client.get("/offer").text)
    r = client.post("/offer", data={"csrf": token, "text": "x" * (MAX_OFFER_CHARS + 5)})
    assert r.status_code == 200
    assert 'id="text-error"' in r.text and f"{MAX_OFFER_CHARS:,}" in r.text
    # Far over the body limit: a 413 page that says what the limit is.
    r = client.post("/offer", data={"csrf": token, "text": "x" * 400_000},
                    headers={"accept": "text/html"})
    assert r.status_code == 413 and "the limit is" in r.text


def test_summary_pdf_download_is_one_page(profiled: TestClient) -> None:
    r = profiled.get("/summary.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"%PDF") and 1 <= _pdf_pages(r.content) <= 2


def test_nothing_is_saved_until_asked_then_link_and_delete(profiled: TestClient,
                                                           db_url: str) -> None:
    from pathlib import Path

    html = profiled.get("/summary").text
    assert "Save and give me a private link" in html
    r = profiled.post("/summary/save", data={"csrf": csrf_of(html)}, follow_redirects=False)
    assert r.status_code == 303
    link = r.headers["location"]
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{43}", link)
    assert Path(db_url.removeprefix("sqlite:///")).exists()
    saved = profiled.get(link)
    assert saved.status_code == 200 and "This summary is saved" in saved.text
    assert "Relapsing-remitting MS (RRMS)" in saved.text
    assert profiled.get(link + "/pdf").content.startswith(b"%PDF")
    r = profiled.post(link + "/delete", data={"csrf": csrf_of(saved.text)})
    assert r.status_code == 200 and "deleted" in r.text
    gone = profiled.get(link, headers={"accept": "application/json"})
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("token", ["short", "x" * 43 + "y", "../../etc/passwd",
                                   "A" * 43])
def test_unknown_or_malformed_links_are_404(client: TestClient, token: str) -> None:
    r = client.get(f"/s/{token}", headers={"accept": "text/html"})
    assert r.status_code == 404 and "Page not found" in r.text


def test_forget_clears_the_cookie(profiled: TestClient) -> None:
    token = csrf_of(profiled.get("/forget").text)
    r = profiled.post("/forget", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    assert f'{COOKIE_NAME}=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers[
        "set-cookie"]


def test_profile_data_never_in_urls_or_logs(client: TestClient,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    token = csrf_of(client.get("/about").text)
    marker = "zz-unique-dmt-name"
    r = client.post("/about", data={**EXAMPLE_FORM, "current_dmt": marker, "csrf": token},
                    follow_redirects=False)
    assert marker not in r.headers["location"]
    for path in PAGES:
        page = client.get(path).text
        for href in re.findall(r'(?:href|action|src)="([^"]+)"', page):
            assert marker not in href, href
            assert href.startswith("https://") or "?" not in href.split("#")[0], href
    client.get("/learn?edss=3.5&secret=abc")
    # The server's own log lines (httpx, the test's client, logs its own requests).
    text = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert marker not in text and "secret=abc" not in text and "edss=3.5" not in text
    assert "GET /learn 200" in text and "POST /about 303" in text


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    for r in (client.get("/learn"), client.get("/static/app.css"),
              client.post("/api/assess", json={"edss": 0.5}), client.get("/nope")):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "camera=()" in r.headers["permissions-policy"]
    assert client.get("/learn").headers["cache-control"] == "no-store"
    assert "max-age" in client.get("/static/app.js").headers["cache-control"]


def test_pages_have_no_inline_script_or_style(profiled: TestClient) -> None:
    for path in PAGES:
        html = profiled.get(path).text
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts == ['<script src="/static/app.js" defer>'], path
        assert "</script>" in html and "<script>" not in html
        assert not re.search(r"\son[a-z]+\s*=", html), path  # no inline event handlers
        assert not re.search(r"\sstyle\s*=", html), path
        assert "<style" not in html, path
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#", "https://", "data:")), url


def test_html_404_for_browsers(client: TestClient) -> None:
    r = client.get("/no-such-page", headers={"accept": "text/html"})
    assert r.status_code == 404 and "<h1>Page not found</h1>" in r.text
    assert "not_found" not in r.text and "HTTP 404" not in r.text  # no error codes on pages


def test_options_grid_draws_icon_arrays(profiled: TestClient) -> None:
    html = profiled.get("/options").text
    grid = html[html.index('id="grid"'):html.index('id="direct"')]
    people = re.findall(r'<span class="fig [a-z]+">[\d.,]+ in (100|1,000)</span>', grid)
    arrays = re.findall(r'class="icon-array icons-(100|1000)"', grid)
    assert people and len(arrays) == len(people)
    assert [a.replace("1000", "1,000") for a in arrays] == people
    assert "icons-1000" in grid  # the rare harm (Ana's death figure) on 1,000 people
    assert html.count('<pattern id="msstem-icons-') == 8  # the defs, once
