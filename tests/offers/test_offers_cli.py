"""``msstem check-offer FILE [--format text|json]``: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from offers_support import OFFERS, WARNINGS
from typer.testing import CliRunner

from msstem.commands.check_offer import register
from msstem.offers import MAX_OFFER_CHARS
from msstem.offers.checker import MAX_HTML_CHARS


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:  # keeps "check-offer" a subcommand
        """Test root."""

    register(app)
    return app


runner = CliRunner()


def _write(tmp_path: Path, text: str, name: str = "offer.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_text_output(tmp_path: Path) -> None:
    case = OFFERS[0]
    result = runner.invoke(_app(), ["check-offer", str(_write(tmp_path, case.text))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("This text shows ")
    assert (
        f"{len(case.expected)} warning signs found (the text reads as an offer; read as "
        "English)." in result.stdout
    )
    for sign_id in case.expected:
        assert f"[{sign_id}]" in result.stdout
    assert "Questions to ask:" in result.stdout
    assert "does not make an offer legitimate" in result.stdout


def test_json_output(tmp_path: Path) -> None:
    case = OFFERS[0]
    path = _write(tmp_path, case.text)
    result = runner.invoke(_app(), ["check-offer", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {s["id"] for s in data["warning_signs"]} == set(case.expected)
    for sign in data["warning_signs"]:
        assert {"id", "title", "quote", "source"} <= set(sign)
        if sign["quote"] is not None:
            assert case.text[sign["start"] : sign["end"]] == sign["quote"]
    assert data["is_offer"] is True


def test_stdin_and_a_warning_page() -> None:
    page = WARNINGS[0].text
    result = runner.invoke(_app(), ["check-offer", "-", "--format", "json"], input=page)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["warning_signs"] == []
    assert data["is_offer"] is False


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffOur stem cells have no side effects. Book now.".encode())
    result = runner.invoke(_app(), ["check-offer", str(path), "--format", "json"])
    quote = next(s for s in json.loads(result.stdout)["warning_signs"] if s["id"] == "no-risk")
    assert quote["quote"] == "no side effects"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "msstem: error: text: empty"),
        (b"  \n ", "msstem: error: text: empty"),
        (b"\xff\xfe\x00bad", "msstem: error: FILE: "),
        (
            b"a" * (MAX_OFFER_CHARS + 1),
            "msstem: error: text: 20,001 characters; the limit is 20,000",
        ),
        (b"a" * (4 * MAX_OFFER_CHARS + 1), "msstem: error: text: 80,001 characters; the limit"),
        (b"a" * (4 * MAX_HTML_CHARS + 1), "msstem: error: text: more than 200,000 characters"),
        # valid UTF-8, but a binary file: NUL bytes and control characters
        (b"PK\x03\x04\x00\x00stem cells\x00\x01\x02", "msstem: error: text: this looks like a "
         "binary file"),
        # HTML whose visible text is empty, or too long
        (b"<html><body><script>var x = 1;</script></body></html>",
         "msstem: error: text: the HTML has no visible text"),
        (b"<p>" + b"a" * (MAX_OFFER_CHARS + 1) + b"</p><br>",
         "msstem: error: text: the HTML's visible text is 20,001 characters"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(_app(), ["check-offer", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["check-offer", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.stderr.startswith("msstem: error: FILE: cannot read")


def test_bad_format_exits_2(tmp_path: Path) -> None:
    path = _write(tmp_path, "Our clinic.")
    result = runner.invoke(_app(), ["check-offer", str(path), "--format", "xml"])
    assert result.exit_code == 2


def test_registered_in_the_msstem_cli(tmp_path: Path) -> None:
    # The real command line: `msstem check-offer` is wired into cli.py's _COMMAND_MODULES.
    from msstem.cli import app

    path = _write(tmp_path, OFFERS[0].text)
    done = runner.invoke(app, ["check-offer", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["warning_signs"]
    bad = runner.invoke(app, ["check-offer", str(tmp_path / "none.txt")])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("msstem: error: FILE: cannot read")


def test_html_is_read_as_its_visible_text(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Clinic</title><style>p{color:red}</style></head>"
        "<body><h1>MS treatment</h1><p>Our clinic offers <b>umbilical cord</b> stem cells "
        "for MS.</p><ul><li>No side effects</li><li>Book now &amp; save</li></ul>"
        "<script>alert('x')</script></body></html>"
    )
    path = _write(tmp_path, html, "offer.html")
    result = runner.invoke(_app(), ["check-offer", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source_format"] == "html"
    read = data["read_text"]
    assert "alert" not in read and "color:red" not in read and "<" not in read
    assert "- No side effects" in read and "Book now & save" in read
    ids = {s["id"]: s for s in data["warning_signs"]}
    assert {"unproven-cells", "no-risk"} <= set(ids)
    for sign in data["warning_signs"]:
        if sign["quote"] is not None:
            assert read[sign["start"] : sign["end"]] == sign["quote"]
    assert any("HTML" in note for note in data["notes"])


def test_text_report_starts_with_the_verdict_and_names_the_language(tmp_path: Path) -> None:
    text = (
        "Nuestra clínica ofrece células madre de cordón umbilical para la esclerosis múltiple, "
        "sin efectos secundarios. El paquete cuesta 9.500 dólares con hotel incluido."
    )
    result = runner.invoke(_app(), ["check-offer", str(_write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("This text shows ") and "serious warning sign" in first
    assert "read as Spanish" in second
    assert "What msstem cannot check from the text:" in result.stdout
    assert "legitimate" not in first
