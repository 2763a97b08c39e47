"""The offer page and API after issue 10: the verdict first, severities, languages, HTML, and
bad input kept in the form."""

from __future__ import annotations

import html as html_lib
import re

from fastapi.testclient import TestClient
from web_helpers import csrf_of

CLINIC = (
    "Our clinic offers umbilical cord mesenchymal stem cells for MS, injected by lumbar "
    "puncture. We accept patients aged 18 to 80. The 5-day package is $12,000 with hotel."
)
WARNING = (
    "Be wary of clinics that sell umbilical cord cells for MS and inject them by lumbar "
    "puncture. The FDA says these products are not approved for any neurological disorder."
)


def _post(client: TestClient, text: str) -> str:
    token = csrf_of(client.get("/offer").text)
    r = client.post("/offer", data={"csrf": token, "text": text})
    assert r.status_code == 200
    return r.text


def test_the_verdict_comes_first_and_each_sign_says_why_and_what_to_ask(client: TestClient) -> None:
    page = _post(client, CLINIC)
    results = page[page.index('id="results"'):]
    verdict = re.search(r'<p class="panel verdict[^"]*"><strong>([^<]+)</strong>', results)
    assert verdict is not None
    assert verdict.group(1).startswith("This text shows 3 serious warning signs")
    # The verdict sits above the first finding, and the results block can take focus.
    assert results.index("verdict") < results.index('class="finding')
    assert 'tabindex="-1"' in page[page.index('id="results"') - 80:page.index('id="results"') + 80]
    assert 'action="/offer#results"' in page
    assert results.count("Why it matters:") == results.count('class="finding')
    assert "Ask the clinic:" in results and "Serious</span>" in results
    assert "What msstem cannot check" in results and "licensed" in results
    assert "read this text as English" in results
    assert "is legitimate" not in results.replace("does not show that the offer is legitimate", "")


def test_a_warning_page_shows_no_sign_and_never_says_legitimate(client: TestClient) -> None:
    page = _post(client, WARNING)
    results = page[page.index('id="results"'):]
    assert "No warning signs found in this text." in results
    assert "This does not show that the offer is legitimate" in results


def test_spanish_and_html_are_read(client: TestClient) -> None:
    spanish = _post(
        client,
        "Nuestra clínica ofrece células madre mesenquimales de cordón umbilical para la "
        "esclerosis múltiple, sin efectos secundarios. Agenda tu consulta gratuita.",
    )
    assert "read this text as Spanish" in spanish and "serious warning sign" in spanish
    page = _post(client, f"<html><body><p>{CLINIC}</p><script>x()</script></body></html>")
    assert "from the visible text of the HTML" in page
    assert "This text shows 3 serious warning signs" in page


def test_binary_text_is_a_clear_message_and_stays_in_the_form(client: TestClient) -> None:
    text = "PK\x03\x04 stem cells \x01\x02\x03\x04\x05"
    page = _post(client, text)
    assert 'id="text-error"' in page and "looks like a binary file" in page
    assert html_lib.escape(text.replace("\x00", ""), quote=False)[:10] in page


def test_api_gives_the_same_verdict_and_one_error_shape(client: TestClient) -> None:
    body = client.post("/api/offer-check", json={"text": CLINIC}).json()
    assert body["verdict"].startswith("This text shows 3 serious warning signs")
    assert body["serious_count"] == 3 and body["language"] == "en"
    assert {s["severity"] for s in body["warning_signs"]} <= {"serious", "caution"}
    r = client.post("/api/offer-check", json={"text": "stem cells\x00\x00 for MS"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_input" and err["field"] == "text"
    assert "binary" in err["message"]
