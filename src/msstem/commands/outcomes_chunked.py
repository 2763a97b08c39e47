"""``msstem outcomes --chunk-subjects N``: a visits file larger than memory, in subject chunks.

The visits file is streamed in chunks of about N whole subjects (it must be sorted by
subject id, in the order msstem lists subjects); each chunk runs the same engine as the
in-memory job (progression, the analytics cohort, relapse rates, survival times) and its
rows are appended to the output tables; relapse-rate sums and survival times are kept
(a few bytes per subject) and the group tables, Kaplan-Meier curves and plots are made at
the end. The results equal the in-memory run's (tests/io/test_chunked.py). Relapses are
read whole (they are a small fraction of the data) and validated once. Memory: one chunk,
the relapses, and the per-subject survival times.

Limits (each a one-line error): ``--mri``/``--treatments`` and ``--id-match numeric`` need
the in-memory run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msstem.errors import DataError, OptionsError
from msstem.io.cohort_tables import iter_subject_chunks, read_table
from msstem.io.outcome_outputs import OutputFolder, OutputFormat
from msstem.outcomes.analytics_options import ArrOptions, ClinicalColumns, SurvivalOptions
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import quote

__all__ = ["TableAppender", "run_chunked"]


class TableAppender:
    """Rows of one output table, appended chunk by chunk (CSV or Parquet), one schema."""

    def __init__(self, path: Path, fmt: OutputFormat) -> None:
        self.path, self.fmt = path, fmt
        self.writer: Any = None
        self.schema: Any = None
        self.rows = 0
        self.empty: Any = None

    def append(self, frame: Any) -> None:
        from msstem.io.outcome_outputs import _arrow

        table = _arrow(frame)
        if table.num_rows == 0:
            if self.empty is None:
                self.empty = table
            return
        if self.writer is None:
            self.schema = table.schema
            if self.fmt == "parquet":
                import pyarrow.parquet as pq

                self.writer = pq.ParquetWriter(self.path, self.schema)
            else:
                import pyarrow.csv as pcsv

                options = pcsv.WriteOptions(quoting_style="needed")
                self.writer = pcsv.CSVWriter(self.path, self.schema, write_options=options)
        elif table.schema != self.schema:
            table = table.cast(self.schema)
        self.writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        elif self.empty is not None:
            from msstem.io.outcome_outputs import write_table

            write_table(self.empty, self.path, self.fmt)


def _relapse_subjects(relapses: Path, popts: ProgressionOptions, warnings: list[str]) -> Any:
    """All relapses, validated once (dates, duplicates), grouped by their own subject ids."""
    from msstem.outcomes.inputs import load_cohort

    table = read_table(relapses, "relapses", [popts.relapse_subject_col, popts.relapse_date_col])
    # Validate the relapses as their own cohort: each relapse id is a "subject" here.
    own = table.select([popts.relapse_subject_col]).rename_columns(["id"])
    import pyarrow as pa

    fake_visits = pa.table({"id": own.column("id"),
                            "date": pa.array(np.zeros(table.num_rows, dtype="datetime64[D]")),
                            "edss": pa.array(np.zeros(table.num_rows))})
    if table.num_rows == 0:
        return table, None
    vopts = ProgressionOptions(**{**dict(popts), "subject_col": "id", "date_col": "date",
                                  "value_col": "edss", "outcome": "custom", "worsening": "increase",
                                  "duplicate_visits": "keep_first"})
    arrays = load_cohort(fake_visits, table, vopts)
    warnings += [w for w in arrays.warnings if w.startswith("relapses")]
    return table, arrays


def run_chunked(visits: Path, relapses: Path, out: Path, given: dict[str, Any],
                fmt: OutputFormat, chunk_subjects: int, advance: Any,
                build: Any) -> dict[str, Any]:
    """The outcomes job over a sorted visits file in chunks; returns run.json's dict."""
    import pyarrow as pa

    from msstem import __version__
    from msstem.commands.outcomes_output import JobOutput, run_record, write_survival
    from msstem.outcomes.clinical_inputs import build_cohort
    from msstem.outcomes.inputs import load_cohort
    from msstem.outcomes.progression import run_on_arrays
    from msstem.outcomes.relapse_rate import annualised_relapse_rates, group_sums, rates_from_sums
    from msstem.outcomes.survival import endpoint_times, kaplan_meier
    from msstem.outcomes.tables import ROW_OFFSET

    popts: ProgressionOptions = build(ProgressionOptions, given)
    arr_opts: ArrOptions = build(ArrOptions, given)
    km_opts: SurvivalOptions = build(SurvivalOptions, given)
    build(ClinicalColumns, given)
    if popts.id_match != "exact":
        raise OptionsError("--id-match numeric needs the in-memory run (without "
                           "--chunk-subjects)", field="id_match")
    endpoints = tuple(e for e in km_opts.endpoints if e != "activity")
    km_opts = SurvivalOptions(**{**dict(km_opts), "endpoints": endpoints})
    ext = "parquet" if fmt == "parquet" else "csv"
    warnings: list[str] = []
    advance("reading relapses")
    rel_table, rel_arrays = _relapse_subjects(relapses, popts, warnings)
    rel_ids = None if rel_arrays is None else rel_arrays.subject_ids
    matched = None if rel_ids is None else np.zeros(len(rel_ids), dtype=bool)
    rel_index = None if rel_ids is None else pd.Index(rel_ids)
    appenders: dict[str, TableAppender] = {}
    sums: list[pd.DataFrame] = []
    times: dict[str, list[pd.DataFrame]] = {e: [] for e in endpoints}
    excluded: dict[str, list[pd.DataFrame]] = {e: [] for e in endpoints}
    n_subjects = n_visit_rows = 0
    chunk_ids: list[np.ndarray] = []
    cohort_opts = None
    with OutputFolder(out) as folder, JobOutput(folder, fmt) as output:

        def append(name: str, frame: Any) -> None:
            if name not in appenders:
                appenders[name] = TableAppender(folder.path(f"{name}.{ext}"), fmt)
            appenders[name].append(frame)

        advance("chunks: progression, cohort, relapse rates, survival times")
        scol = popts.subject_col
        for chunk in iter_subject_chunks(visits, "visits",
                                         [popts.subject_col, popts.date_col, popts.value_col],
                                         scol, chunk_subjects):
            token = ROW_OFFSET.set(n_visit_rows)
            try:
                ids = load_cohort(chunk, None, popts).subject_ids  # the chunk's subjects
                rel_chunk = None
                if rel_arrays is not None and rel_index is not None and matched is not None:
                    pos = rel_index.get_indexer(ids)
                    hit = pos[pos >= 0]
                    matched[hit] = True
                    starts = rel_arrays.relapse_offsets[hit]
                    counts = rel_arrays.relapse_offsets[hit + 1] - starts
                    rel_rows = np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts) + \
                        np.arange(int(counts.sum()))
                    owners = np.repeat(rel_arrays.subject_ids[hit], counts).astype(str)
                    rel_chunk = pa.table({
                        popts.relapse_subject_col: pa.array(owners),
                        popts.relapse_date_col: pa.array(
                            rel_arrays.relapse_days[rel_rows].astype("datetime64[D]"))})
                arrays = load_cohort(chunk, rel_chunk, popts)
            finally:
                ROW_OFFSET.reset(token)
            warnings += [w for w in arrays.warnings if not w.startswith("relapses")]
            chunk_ids.append(arrays.subject_ids)
            n_subjects += arrays.n_subjects
            n_visit_rows += chunk.num_rows
            progression = run_on_arrays(arrays, popts)
            for name, table in progression.arrow_tables().items():
                append(name, table)
            cohort = build_cohort(None, None, None, progression=popts, loaded=arrays,
                                  reuse=progression, first_events_only=True)
            cohort_opts = cohort.progression_options
            arr = annualised_relapse_rates(cohort, arr_opts)
            append("arr_subjects", arr.subjects)
            sums.append(group_sums(arr.subjects))
            for endpoint in endpoints:
                t, x = endpoint_times(cohort, endpoint)
                times[endpoint].append(t.drop(columns=["id"]))
                excluded[endpoint].append(x)
        if n_subjects == 0:
            raise DataError("visits: the table has no rows", field="visits")
        if matched is not None and rel_ids is not None and not matched.all():
            unknown_ids = np.asarray(rel_ids)[~matched]
            _unknown_relapses(rel_table, unknown_ids, np.concatenate(chunk_ids), popts,
                              warnings)
        advance("group rates and survival curves")
        for appender in appenders.values():
            appender.close()
        output.rows.update({f"{name}.{ext}": a.rows for name, a in appenders.items()})
        output.table("arr_groups", rates_from_sums(pd.concat(sums, ignore_index=True),
                                                   arr_opts.alpha))
        km = {}
        for endpoint in endpoints:
            all_times = pd.concat(times[endpoint], ignore_index=True)
            km[endpoint] = kaplan_meier(all_times, endpoint, km_opts,
                                        pd.concat(excluded[endpoint], ignore_index=True))
        advance("survival tables and plots")
        write_survival(output, km)
        advance("waiting for the files")
        output.wait()
        advance("done")
        run = run_record(
            msstem_version=__version__,
            inputs={
                "visits": {"file": visits.name, "rows": n_visit_rows},
                "relapses": {"file": relapses.name, "rows": rel_table.num_rows},
                "mri": None, "treatments": None,
            },
            options={"progression": popts.to_dict(),
                     "cohort_progression": None if cohort_opts is None
                     else cohort_opts.to_dict(),
                     "neda": None, "arr": arr_opts.model_dump(),
                     "survival": km_opts.model_dump(), "format": fmt,
                     "chunk_subjects": chunk_subjects},
            subjects=n_subjects,
            warnings=list(dict.fromkeys(warnings)),
            phases_s=advance.seconds,
            phases_cpu_s=advance.cpu_seconds,
        )
        output.finish(run)
    return run


def _unknown_relapses(table: Any, unknown_ids: np.ndarray, visit_ids: np.ndarray,
                      popts: ProgressionOptions, warnings: list[str]) -> None:
    """Relapses whose subject no chunk had: the same error or warning as in memory."""
    from msstem.outcomes.ids import id_text, match_ids
    from msstem.outcomes.inputs import unknown_relapses_warning
    from msstem.outcomes.tables import first_rows

    scol = popts.relapse_subject_col
    match_ids(visit_ids, unknown_ids, "relapses", scol, "exact", [])  # type changes: stop
    file_ids = id_text(table.column(scol), scol, "relapses")
    mask = pd.Index(unknown_ids).get_indexer(file_ids) >= 0
    if popts.unknown_relapse_subjects == "error":
        names = ", ".join(quote(str(x)) for x in unknown_ids[:5])
        raise DataError(
            f"relapses: column {scol!r} names {len(unknown_ids)} subject(s) with no visits at "
            f"{first_rows(mask)} (ids {names}); fix the ids or set "
            "unknown_relapse_subjects='drop'", field=scol)
    warnings.append(unknown_relapses_warning(file_ids[mask]))
