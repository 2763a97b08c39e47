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
        "EstimateInterval", "EstimateOptions", "MsCourse", "TreatmentChoice", "Profile",
        "applicability", "assess", "clopper_pearson", "parse_profile",
        "select_estimates",
    }
    for name in msstem.decision.__all__:
        assert hasattr(msstem.decision, name)


def test_reports_public_api() -> None:
    assert msstem.reports.__all__ == sorted(msstem.reports.__all__, key=_isort_key)
    assert set(msstem.reports.__all__) == {
        "build_summary", "filled_icons", "format_rate", "icon_array_svg", "interval_text",
        "per_100_text", "person_symbol_defs", "plot_km", "plot_neda", "render_html",
        "render_json", "render_summary_pdf", "render_text", "save_png", "source_links",
        "template_environment",
    }
    for name in msstem.reports.__all__:
        assert callable(getattr(msstem.reports, name))

