"""``msstem outcomes --chunk-subjects N``: a visits file larger than memory, in subject chunks.

The visits file is streamed in chunks of about N whole subjects (it must be sorted by
subject id, in the order msstem lists subjects); each chunk runs the same engine as the
in-memory job (progression, the analytics cohort, relapse rates, survival times) and its
rows are appended to the output tables; relapse-rate sums and survival times are kept
(a few bytes per subject) and the group tables, Kaplan-Meier curves and plots are made at
the end. The results equal the in-memory run's (tests/io/test_chunked.py). Relapses are
read whole (they are a small fraction of the data) and validated once, then kept compact
(:class:`ChunkRelapses`: ids as whole numbers or one Arrow string array, day numbers); each
chunk takes its subjects' relapses from them (a binary search when the relapse ids are
whole numbers, else an Arrow set lookup over the relapse subjects, about 0.1 s per million
relapse subjects and chunk). Memory: one chunk, the compact relapses (about 12 bytes a relapse and
20 a relapse subject), each subject's id in one Arrow string array per chunk (for the
unknown-relapse check) and its survival times as
:class:`~msstem.outcomes.survival.TimesParts` (9 bytes a subject and endpoint); the
chunk's freed memory is handed back to the system after each chunk.

Limits (each a one-line error): ``--mri``/``--treatments`` and ``--id-match numeric`` need
the in-memory run.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from msstem.errors import DataError, OptionsError
from msstem.io.cohort_tables import iter_subject_chunks, read_table
from msstem.io.outcome_outputs import OutputFolder, OutputFormat
from msstem.outcomes.analytics_options import ArrOptions, ClinicalColumns, SurvivalOptions
from msstem.outcomes.ids import _CANONICAL_INT
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


@dataclass
class ChunkRelapses:
    """The relapses, validated once, kept compact (a few bytes a relapse): per relapse
    subject its id (the whole number, or the text as one Arrow string array) and its
    relapses' onset (and end) day numbers; :meth:`for_subjects` gives one chunk's relapses."""

    rows: int
    numbers: Any  # int64 ids in natural order, or None for text ids
    ids: Any  # Arrow string array of the distinct ids, natural order
    offsets: Any  # int64, len(ids) + 1
    days: Any  # int32 onset days
    ends: Any  # int32 end days, or None
    matched: Any  # bool per relapse subject: a chunk had it

    def for_subjects(self, ids: Any, numbers: Any, popts: ProgressionOptions) -> Any:
        """The relapses of the chunk's subjects (``ids``: their text, natural order;
        ``numbers``: the same as int64 or None) as an Arrow table for load_cohort."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.numbers is not None:
            # whole-number relapse ids: a binary search (text ids of the visits, as from
            # CSV, match only where written canonically, as their text would)
            usable = None
            if numbers is None or len(numbers) != len(ids):
                usable = np.array([bool(_CANONICAL_INT.match(v)) for v in ids], dtype=bool)
                numbers = np.zeros(len(ids), dtype=np.int64)
                numbers[usable] = ids[usable].astype(np.int64)
            pos = np.minimum(np.searchsorted(self.numbers, numbers), len(self.numbers) - 1)
            found = self.numbers[pos] == numbers
            if usable is not None:
                found &= usable
            hit = pos[found]
            owner_ids: Any = self.ids.take(pa.array(hit, type=pa.int64())) \
                if usable is not None else pa.array(numbers[found], type=pa.int64())
        else:
            inside = pc.is_in(self.ids, value_set=pa.array(ids.astype(str), type=pa.string()))
            hit = np.flatnonzero(inside.to_numpy(zero_copy_only=False))
            owner_ids = self.ids.take(pa.array(hit, type=pa.int64()))
        self.matched[hit] = True
        starts = self.offsets[hit]
        counts = self.offsets[hit + 1] - starts
        rows = np.repeat(starts - np.cumsum(np.r_[0, counts[:-1]]), counts) + \
            np.arange(int(counts.sum()))
        owner_rows = np.repeat(np.arange(len(hit), dtype=np.int64), counts)
        columns = {popts.relapse_subject_col: owner_ids.take(pa.array(owner_rows)),
                   popts.relapse_date_col: _dates(self.days[rows])}
        if popts.relapse_end_col is not None and self.ends is not None:
            columns[popts.relapse_end_col] = _dates(self.ends[rows])
        return pa.table(columns)


def _dates(days: Any) -> Any:
    import pyarrow as pa

    return pa.array(np.ascontiguousarray(days, dtype=np.int32), type=pa.int32()).view(
        pa.date32())


def _relapse_subjects(relapses: Path, popts: ProgressionOptions,
                      warnings: list[str]) -> ChunkRelapses:
    """All relapses, validated once (dates, duplicates), grouped by their own subject ids
    (``rows`` 0 and nothing else for a table without rows)."""
    import pyarrow as pa

    from msstem.outcomes.columnar import id_dictionary
    from msstem.outcomes.inputs import load_cohort

    columns = [popts.relapse_subject_col, popts.relapse_date_col]
    if popts.relapse_end_col is not None:
        columns.append(popts.relapse_end_col)
    table = read_table(relapses, "relapses", columns)
    if table.num_rows == 0:
        return ChunkRelapses(0, None, None, None, None, None, None)
    # Validate the relapses as their own cohort: each relapse id is a "subject" here.
    fake_visits = pa.table({"id": table.column(popts.relapse_subject_col),
                            "date": pa.array(np.zeros(table.num_rows, dtype=np.int32),
                                             type=pa.int32()).view(pa.date32()),
                            "edss": pa.array(np.zeros(table.num_rows))})
    vopts = ProgressionOptions(**{**dict(popts), "subject_col": "id", "date_col": "date",
                                  "value_col": "edss", "outcome": "custom", "worsening": "increase",
                                  "duplicate_visits": "keep_first"})
    rows = table.num_rows
    arrays = load_cohort(fake_visits, table, vopts)
    del fake_visits, table
    warnings += [w for w in arrays.warnings if w.startswith("relapses")]
    numbers = arrays.subject_numbers
    if numbers is not None and len(numbers) != arrays.n_subjects:
        numbers = None
    return ChunkRelapses(
        rows=rows, numbers=numbers,
        ids=id_dictionary(arrays.subject_ids, numbers),
        offsets=arrays.relapse_offsets, days=arrays.relapse_days, ends=arrays.relapse_ends,
        matched=np.zeros(arrays.n_subjects, dtype=bool))


def run_chunked(visits: Path, relapses: Path, out: Path, given: dict[str, Any],
                fmt: OutputFormat, chunk_subjects: int, advance: Any,
                build: Any) -> dict[str, Any]:
    """The outcomes job over a sorted visits file in chunks; returns run.json's dict."""
    import pyarrow as pa

    from msstem import __version__
    from msstem.commands.outcomes_output import JobOutput, run_record, write_survival
    from msstem.outcomes.clinical_inputs import build_cohort
    from msstem.outcomes.columnar import id_dictionary
    from msstem.outcomes.inputs import load_cohort
    from msstem.outcomes.progression import run_on_arrays
    from msstem.outcomes.relapse_rate import annualised_relapse_rates, group_sums, rates_from_sums
    from msstem.outcomes.survival import TimesParts, endpoint_times, kaplan_meier
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
    rel = _relapse_subjects(relapses, popts, warnings)
    appenders: dict[str, TableAppender] = {}
    sums: list[pd.DataFrame] = []
    times = {e: TimesParts() for e in endpoints}
    n_subjects = n_visit_rows = 0
    chunk_ids: list[Any] = []  # each chunk's subject ids, one Arrow string array each
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
                rel_chunk = None
                if rel.rows:
                    own = load_cohort(chunk, None, popts)  # the chunk's subjects
                    rel_chunk = rel.for_subjects(own.subject_ids, own.subject_numbers, popts)
                    del own
                arrays = load_cohort(chunk, rel_chunk, popts)
                del rel_chunk
            finally:
                ROW_OFFSET.reset(token)
            warnings += [w for w in arrays.warnings if not w.startswith("relapses")]
            chunk_ids.append(id_dictionary(arrays.subject_ids, arrays.subject_numbers))
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
                times[endpoint].add(endpoint_times(cohort, endpoint)[0])
            del progression, cohort, arr, arrays, chunk
            _release_freed_memory()
        if n_subjects == 0:
            raise DataError("visits: the table has no rows", field="visits")
        if rel.rows and not rel.matched.all():
            unknown_ids = rel.ids.filter(pa.array(~rel.matched)).to_numpy(
                zero_copy_only=False).astype(object)
            visit_ids = np.concatenate([a.to_numpy(zero_copy_only=False).astype(object)
                                        for a in chunk_ids])
            _unknown_relapses(relapses, unknown_ids, visit_ids, popts, warnings)
        del chunk_ids
        advance("group rates and survival curves")
        for appender in appenders.values():
            appender.close()
        output.rows.update({f"{name}.{ext}": a.rows for name, a in appenders.items()})
        output.table("arr_groups", rates_from_sums(pd.concat(sums, ignore_index=True),
                                                   arr_opts.alpha))
        km, summaries = {}, {}
        for endpoint in endpoints:
            # one endpoint's times at a time; the curves keep only their own rows
            result = kaplan_meier(times.pop(endpoint).frame(), endpoint, km_opts)
            summaries[endpoint] = result.summary
            km[endpoint] = replace(result, times=result.times.iloc[:0])
            del result
        advance("survival tables and plots")
        write_survival(output, km, summaries)
        advance("waiting for the files")
        output.wait()
        advance("done")
        run = run_record(
            msstem_version=__version__,
            inputs={
                "visits": {"file": visits.name, "rows": n_visit_rows},
                "relapses": {"file": relapses.name, "rows": rel.rows},
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


def _release_freed_memory() -> None:
    """Give the chunk's freed memory back to the system (glibc's ``malloc_trim``): the
    outcomes command keeps freed memory for reuse, which in a long chunked run lets the
    heap grow past what one chunk needs."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        return


def _unknown_relapses(path: Path, unknown_ids: np.ndarray, visit_ids: np.ndarray,
                      popts: ProgressionOptions, warnings: list[str]) -> None:
    """Relapses whose subject no chunk had: the same error or warning as in memory
    (the relapses file is read again for the rows it names)."""
    from msstem.outcomes.ids import id_text, match_ids
    from msstem.outcomes.inputs import unknown_relapses_warning
    from msstem.outcomes.tables import first_rows

    scol = popts.relapse_subject_col
    table = read_table(path, "relapses", [scol])
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
