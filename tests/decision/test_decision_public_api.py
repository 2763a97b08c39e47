"""The public names of msstem.decision and msstem.reports are exactly what we mean."""

from __future__ import annotations

import msstem.decision
import msstem.reports


def _isort_key(name: str) -> tuple[int, str]:
    """ruff RUF022 order: CONSTANTS, then Classes, then functions, each alphabetical."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_decision_public_api() -> None:
    assert msstem.decision.__all__ == sorted(msstem.decision.__all__, key=_isort_key)
    assert set(msstem.decision.__all__) == {
        "COMPUTED_INTERVAL_KIND", "DEFAULT_THERAPIES", "DISCLAIMERS", "MS_COURSES",
        "OUTCOME_LABELS", "THERAPY_NAMES", "Applicability", "Assessment", "Estimate",
        "EstimateInterval", "EstimateOptions", "MsCourse", "OptionSummary", "Profile",
        "applicability", "assess", "clopper_pearson", "load_profile", "parse_profile",
        "select_estimates",
    }
    for name in msstem.decision.__all__:
        assert hasattr(msstem.decision, name)


def test_reports_public_api() -> None:
    assert msstem.reports.__all__ == sorted(msstem.reports.__all__, key=_isort_key)
    assert set(msstem.reports.__all__) == {
        "filled_icons", "format_rate", "icon_array_svg", "interval_text", "per_100_text",
        "person_symbol_defs", "render_html", "render_json", "render_text", "source_links",
        "template_environment",
    }
    for name in msstem.reports.__all__:
        assert callable(getattr(msstem.reports, name))


def test_eligibility_can_be_imported_before_decision() -> None:
    """msstem.eligibility imports msstem.decision.profile; assess imports it lazily."""
    import subprocess
    import sys

    code = "import msstem.eligibility, msstem.decision; print(msstem.decision.assess.__name__)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "assess"
