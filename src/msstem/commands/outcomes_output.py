"""What ``msstem outcomes`` writes, shared by the in-memory and the chunked run.

:class:`JobOutput` writes the tables into the run's temporary folder
(:class:`~msstem.io.outcome_outputs.OutputFolder`) on worker threads: Arrow encodes CSV and
Parquet without holding the interpreter lock, so the files are written while the job goes
on computing (and on both cores). Plots are drawn one at a time on their own thread
(matplotlib figures are not shared between threads). :meth:`JobOutput.finish` waits for
every file, re-raises the first error, and writes run.json last. :func:`write_survival` is
the one writer of the Kaplan-Meier tables and plots.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from msstem.io.outcome_outputs import OutputFolder, OutputFormat, write_table

__all__ = ["PLOT_MODULES", "JobOutput", "run_record", "write_survival"]

#: Threads that write tables (the job's own work keeps running beside them).
WRITE_THREADS = 2
#: What the plots need, imported on the plot thread while the job runs.
PLOT_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.axes",
                "matplotlib.ticker", "matplotlib.transforms")


class JobOutput:
    """Tables and plots of one run, written in the background into ``folder``."""

    def __init__(self, folder: OutputFolder, fmt: OutputFormat) -> None:
        self.folder, self.fmt = folder, fmt
        self.ext = "parquet" if fmt == "parquet" else "csv"
        self.rows: dict[str, int] = {}
        self._tables = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="msstem-write")
        self._plots = ThreadPoolExecutor(1, thread_name_prefix="msstem-plot")
        self._pending: list[Future[Any]] = []

    def prefetch(self, *modules: str) -> None:
        """Import ``modules`` on the plot thread now (matplotlib takes half a second), while
        the job reads and computes; they must not import msstem (no import cycles)."""
        import importlib

        for name in modules:
            self._pending.append(self._plots.submit(importlib.import_module, name))

    def reserve(self, name: str) -> None:
        """Keep ``name``'s place in run.json's lists for a table written later."""
        self.folder.path(f"{name}.{self.ext}")
        self.rows[f"{name}.{self.ext}"] = 0

    def table(self, name: str, frame: Any) -> None:
        """Write ``frame`` (pandas or Arrow) as ``name.csv`` / ``name.parquet``."""
        path = self.folder.path(f"{name}.{self.ext}")
        self.rows[f"{name}.{self.ext}"] = _rows(frame)
        self._pending.append(self._tables.submit(write_table, frame, path, self.fmt))

    def text(self, name: str, text: str) -> None:
        self.folder.path(name).write_text(text)

    def plot(self, name: str, draw: Callable[[], Any]) -> None:
        """Draw (``draw()`` returns the axes) and save ``name`` as PNG, on the plot thread."""
        path = self.folder.path(name)

        def job() -> None:
            from msstem.reports.plots import save_png

            save_png(draw(), path)

        self._pending.append(self._plots.submit(job))

    def wait(self) -> None:
        """Wait for every file so far; the first error is raised here."""
        try:
            for future in self._pending:
                future.result()
        finally:
            self._pending = []

    def close(self) -> None:
        for pool in (self._tables, self._plots):
            pool.shutdown(wait=True, cancel_futures=True)

    def finish(self, run: dict[str, Any]) -> None:
        """Wait for every file, then write run.json and move the folder into place."""
        self.wait()
        run["files"] = [*self.folder.files, "run.json"]
        run["rows"] = dict(self.rows)
        self.folder.write_json("run.json", run)
        self.folder.commit()

    def __enter__(self) -> JobOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.wait()
        finally:
            self.close()


def _rows(frame: Any) -> int:
    rows = getattr(frame, "num_rows", None)
    return int(rows) if rows is not None else len(frame)


def write_survival(out: JobOutput, km: Mapping[Any, Any],
                   summaries: Mapping[Any, Any] | None = None) -> None:
    """Every Kaplan-Meier result: ``km_E``, ``km_E_at_risk``, ``km_E.png`` per endpoint E,
    and ``km_summary`` over all of them (``summaries``: each result's ``summary`` made
    beforehand, for results that no longer keep their per-subject times)."""
    import pandas as pd

    def draw(result: Any) -> Any:
        from msstem.reports.plots import plot_km

        return plot_km(result)

    for name, result in km.items():
        out.table(f"km_{name}", result.to_frame())
        out.table(f"km_{name}_at_risk", result.at_risk)
        out.plot(f"km_{name}.png", partial(draw, result))
    if km:
        out.table("km_summary", pd.concat(
            [r.summary if summaries is None else summaries[name] for name, r in km.items()],
            ignore_index=True))


def run_record(**parts: Any) -> dict[str, Any]:
    """run.json's dict in its fixed key order (``files`` and ``rows`` filled at the end)."""
    keys = ("msstem_version", "inputs", "options", "subjects", "files", "rows", "warnings",
            "phases_s", "phases_cpu_s")
    return {key: parts.get(key) for key in keys}


