"""Run R metafor (test-only reference) once per data-set family; skip without R unless CI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
R_SCRIPT = HERE / "metafor_fits.R"


def rscript_or_skip() -> str:
    found = shutil.which("Rscript")
    reason = ("Rscript not found: install R with metafor and metadat "
              "(Debian: r-cran-metafor r-cran-metadat r-cran-jsonlite)")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def run_metafor(spec: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """One R process for a whole family of data sets; returns metafor's JSON."""
    rscript = rscript_or_skip()
    spec_file, out_file = tmp / "spec.json", tmp / "out.json"
    spec_file.write_text(json.dumps(spec))
    proc = subprocess.run([rscript, str(R_SCRIPT), str(spec_file), str(out_file)],
                          capture_output=True, text=True, check=False, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"Rscript failed: {proc.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(out_file.read_text())
    return result
