"""``msstem assess PROFILE.json --format pdf --out FILE``: the one-page summary from the CLI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import msstem.reports.pdf as pdf_module
from msstem import __version__
from msstem.cli import app


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_pdf_is_the_one_page_summary(repo_root: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[dict[str, Any]] = []
    real = pdf_module.render_summary_pdf

    def spy(doc: dict[str, Any]) -> bytes:
        drawn.append(doc)
        return real(doc)

    monkeypatch.setattr(pdf_module, "render_summary_pdf", spy)
    out = tmp_path / "sub" / "summary.pdf"
    result = CliRunner().invoke(app, ["assess", str(repo_root / "examples" / "profile.json"),
                                      "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"pdf report written to {out.resolve()}" in result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and 1 <= _pages(data) <= 2  # issue 9: at most 2 pages
    (doc,) = drawn
    assert doc["msstem_version"] == __version__
    assert doc["title"] == "My stem cell therapy decision summary"
    assert {row["id"] for row in doc["eligibility"]} >= {"beat-ms", "ectrims-ebmt-2025"}
    assert doc["priorities"] == [] and doc["quiz"] is None  # the CLI asks neither


def test_pdf_needs_out(repo_root: Path) -> None:
    result = CliRunner().invoke(app, ["assess", str(repo_root / "examples" / "profile.json"),
                                      "--format", "pdf"])
    assert result.exit_code != 0
    assert "--format pdf: give --out FILE.pdf" in str(result.exception or result.output)


def test_unknown_format_lists_pdf(repo_root: Path) -> None:
    result = CliRunner().invoke(app, ["assess", str(repo_root / "examples" / "profile.json"),
                                      "--format", "docx"])
    assert "allowed: text, json, html, pdf" in str(result.exception or result.output)
