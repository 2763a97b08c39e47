"""``msstem outcomes``: progression events, NEDA-3, relapse rates and survival curves.

The flags are generated from the options models, so every field of
:class:`~msstem.outcomes.options.ProgressionOptions` and of the analytics options has a
flag of the same name (``conf_days`` -> ``--conf-days``); an unset flag keeps the option's
default. The command only parses, calls the library and writes files.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from msstem import __version__
from msstem.errors import DataError, OptionsError
from msstem.io.outcome_outputs import OutputFormat
from msstem.outcomes.analytics_options import (
    ArrOptions,
    ClinicalColumns,
    NedaOptions,
    SurvivalOptions,
)
from msstem.outcomes.options import ProgressionOptions
from msstem.outcomes.tables import quote

__all__ = ["FLAG_MODELS", "flag_name", "register"]

#: Models whose fields become flags. Analytics fields shared by several models
#: (``index_therapy``, ``alpha``, ``horizons_years``) are one flag feeding each of them.
FLAG_MODELS: tuple[type[BaseModel], ...] = (
    ProgressionOptions, NedaOptions, ArrOptions, SurvivalOptions, ClinicalColumns)
#: Fields that are not flags: NEDA's progression settings are the progression flags.
_NOT_FLAGS = {"progression"}

_HELP_PANEL_PROGRESSION = "Progression options (pymsprog's names; docs/outcomes-progression.md)"
_HELP_PANEL_ANALYTICS = "NEDA-3, relapse-rate and survival options (docs/outcomes.md)"


def flag_name(field: str) -> str:
    """The command-line flag of an options field: ``conf_days`` -> ``--conf-days``."""
    return "--" + field.replace("_", "-")


# --- options fields -> typer parameters -------------------------------------------------

def _strip_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _cli_type(annotation: Any) -> tuple[Any, str]:
    """(the CLI annotation, how to turn the parsed value into the option value).

    kinds: ``plain`` (as parsed), ``list`` (repeatable flag -> tuple), ``pair`` (comma
    separated numbers, ``inf`` and ``none`` allowed), ``json`` (a nested settings object).
    """
    inner = _strip_none(annotation)
    origin = get_origin(inner)
    if inner in (bool, int, float, str) or origin is Literal:
        return inner | None, "plain"
    if origin is tuple:
        args = get_args(inner)
        if len(args) == 2 and args[1] is Ellipsis:
            item = args[0] if args[0] in (int, float, str) else str  # typer: simple items only
            return list[item] | None, "list"  # type: ignore[valid-type]
        return str | None, "pair"
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return str | None, "json"
    return str | None, "plain"  # pragma: no cover - every field type above is covered


def _help(model: type[BaseModel], name: str, info: FieldInfo, kind: str) -> str:
    text = info.description or ""
    default = info.get_default(call_default_factory=True)
    if isinstance(default, BaseModel):
        default = default.model_dump()
    inner = _strip_none(info.annotation)
    items = get_args(inner)[0] if get_origin(inner) is tuple else None
    if items is not None and get_origin(items) is Literal:
        text += " One of: " + ", ".join(map(str, get_args(items))) + "."
    hint = {"list": " Repeatable.", "pair": " Comma-separated numbers (inf, none).",
            "json": " JSON object."}.get(kind, "")
    return f"{text}{hint} Default: {default!r}.".strip()


def _flag_fields() -> dict[str, tuple[FieldInfo, str, Any, type[BaseModel]]]:
    """Every flag: field name -> (field info, kind, CLI annotation, first model)."""
    fields: dict[str, tuple[FieldInfo, str, Any, type[BaseModel]]] = {}
    for model in FLAG_MODELS:
        for name, info in model.model_fields.items():
            if name in _NOT_FLAGS:
                continue
            annotation, kind = _cli_type(info.annotation)
            if name in fields and fields[name][2] != annotation:  # pragma: no cover
                raise TypeError(f"flag {flag_name(name)} means different things in two models")
            fields.setdefault(name, (info, kind, annotation, model))
    return fields


def _parse_pair(flag: str, text: str) -> list[float | None]:
    out: list[float | None] = []
    for part in text.split(","):
        token = part.strip().lower()
        if token in ("none", "null"):
            out.append(None)
            continue
        try:
            out.append(float(token))
        except ValueError:
            raise OptionsError(f"{flag}: expected numbers separated by a comma (e.g. 7,730.5), "
                               f"got {text!r}", field=flag) from None
    return out


def _option_value(flag: str, kind: str, value: Any) -> Any:
    if kind == "list":
        return tuple(value)
    if kind == "pair":
        return _parse_pair(flag, str(value))
    if kind == "json":
        try:
            return json.loads(str(value))
        except json.JSONDecodeError as exc:
            raise OptionsError(f"{flag}: not valid JSON ({exc.msg})", field=flag) from None
    return value


def _build(model: type[BaseModel], given: dict[str, Any], **extra: Any) -> Any:
    values = {k: v for k, v in given.items() if k in model.model_fields}
    return model(**values, **extra)


# --- the command ------------------------------------------------------------------------

class _Phases:
    """Named phases of a run: their wall times and the process's CPU time in each (all
    threads; for run.json and bench/), and the progress display."""

    def __init__(self, advance: Callable[[str], None]) -> None:
        self._advance = advance
        self._label: str | None = None
        self._start = time.perf_counter()
        self._cpu = time.process_time()
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}

    def __call__(self, label: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        if self._label is not None:
            self.seconds[self._label] = round(self.seconds.get(self._label, 0.0)
                                              + now - self._start, 3)
            self.cpu_seconds[self._label] = round(self.cpu_seconds.get(self._label, 0.0)
                                                  + cpu - self._cpu, 3)
        self._label, self._start, self._cpu = label, now, cpu
        self._advance(label)


@contextmanager
def _stages(total: int, progress: bool | None = None) -> Iterator[_Phases]:
    """Progress on stderr, never on stdout nor in the outputs.

    ``progress=None``: a bar when stderr is a terminal, else nothing; ``True``: the bar on a
    terminal, one line per phase otherwise (logs); ``False``: nothing.
    """
    tty = sys.stderr.isatty()
    if progress is False or (progress is None and not tty):
        yield _Phases(lambda _label: None)
        return
    if not tty:
        start = time.perf_counter()
        count = [0]

        def line(label: str) -> None:
            count[0] += 1
            elapsed = time.perf_counter() - start
            print(f"msstem outcomes: [{min(count[0], total)}/{total}] {label} "
                  f"({elapsed:.1f} s)", file=sys.stderr, flush=True)

        yield _Phases(line)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("msstem outcomes", total=total)

        def advance(label: str) -> None:
            bar.update(task, advance=1, description=label)

        yield _Phases(advance)


def keep_freed_memory() -> bool:
    """Page faults, not arithmetic, were a third of the job's CPU time: make them fewer and
    cheaper (Linux; the outcomes command's own process only).

    * glibc maps every array above 32 MB afresh from the kernel and unmaps it when freed,
      so each of the job's 19M-value temporaries pays its page faults again: let it serve
      them from its heap and keep what is freed for reuse (the peak stays the same);
    * numpy asks for transparent huge pages on large arrays; where the kernel compacts
      memory to find them on the first touch (``defrag`` set to ``madvise``) a fault
      stalls for milliseconds: use ordinary pages.

    ``MSSTEM_KEEP_FREED_MEMORY=0`` leaves both alone. Returns whether the allocator
    setting applied (not on other systems or C libraries).
    """
    import ctypes

    if os.environ.get("MSSTEM_KEEP_FREED_MEMORY", "1").strip() in ("0", "false", "no", "off"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    import numpy as np

    hugepage = getattr(getattr(np, "_core", None), "multiarray", None)
    if hugepage is not None and hasattr(hugepage, "_set_madvise_hugepage"):
        hugepage._set_madvise_hugepage(False)
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl): leave the allocator alone
        return False
    m_trim_threshold, m_mmap_max = -1, -4  # glibc's <malloc.h>
    return bool(mallopt(m_mmap_max, 0)) and bool(mallopt(m_trim_threshold, 2**31 - 1))


def _json_ready(value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


#: Appended to every error of a run: nothing under --out changed.
UNTOUCHED = "; --out left as it was"


def run_outcomes(visits: Path, relapses: Path, out: Path, mri: Path | None,
                 treatments: Path | None, given: dict[str, Any],
                 endpoints_given: bool, fmt: OutputFormat = "csv",
                 chunk_subjects: int | None = None, milestone: float | None = None,
                 sensitivity: bool = False, progress: bool | None = None) -> dict[str, Any]:
    """Compute everything the inputs allow and write it under ``out``; return run.json's dict.

    Everything is written into a temporary folder beside ``out`` and moved into place only
    when the whole job succeeded; on any error ``out`` is left as it was (and the message
    says so).
    """
    from msstem.errors import InputError

    keep_freed_memory()
    try:
        if chunk_subjects is not None:
            if milestone is not None or sensitivity:
                raise OptionsError("--chunk-subjects: --milestone and --sensitivity need the "
                                   "in-memory run", field="chunk_subjects")
            return _run_chunked(visits, relapses, out, mri, treatments, given, fmt,
                                chunk_subjects, progress)
        return _run(visits, relapses, out, mri, treatments, given, endpoints_given, fmt,
                    milestone, sensitivity, progress)
    except InputError as exc:
        raise type(exc)(f"{exc}{UNTOUCHED}", field=exc.field) from None
    except OSError as exc:
        where = quote(exc.filename) if getattr(exc, "filename", None) else "--out"
        raise DataError(f"cannot write {where} ({exc.strerror or exc}){UNTOUCHED}",
                        field="out") from None


def _run_chunked(visits: Path, relapses: Path, out: Path, mri: Path | None,
                 treatments: Path | None, given: dict[str, Any], fmt: OutputFormat,
                 chunk_subjects: int, progress: bool | None = None) -> dict[str, Any]:
    from msstem.commands.outcomes_chunked import run_chunked
    from msstem.io.cohort_tables import check_input_file

    if chunk_subjects < 1:
        raise OptionsError(f"--chunk-subjects: give a whole number >= 1 (given {chunk_subjects})",
                           field="chunk_subjects")
    if mri is not None or treatments is not None:
        raise OptionsError("--chunk-subjects works with --visits and --relapses; --mri and "
                           "--treatments need the in-memory run", field="chunk_subjects")
    for path, table in ((visits, "visits"), (relapses, "relapses")):
        check_input_file(path, table)
    with _stages(6, progress) as advance:
        return run_chunked(visits, relapses, out, given, fmt, chunk_subjects, advance, _build)


def _run(visits: Path, relapses: Path, out: Path, mri: Path | None,
         treatments: Path | None, given: dict[str, Any],
         endpoints_given: bool, fmt: OutputFormat, milestone: float | None = None,
         sensitivity: bool = False, progress: bool | None = None) -> dict[str, Any]:
    # Heavy imports (numba, scipy, matplotlib) only when the command runs, so every other
    # msstem command starts fast.
    from msstem.io.cohort_tables import check_input_file

    popts: ProgressionOptions = _build(ProgressionOptions, given)
    if milestone is not None:
        from msstem.outcomes.milestones import check_milestone

        milestone = check_milestone(milestone, popts)  # before anything is read or written
    neda_opts: NedaOptions = _build(NedaOptions, given, progression=popts)
    arr_opts: ArrOptions = _build(ArrOptions, given)
    km_opts: SurvivalOptions = _build(SurvivalOptions, given)
    columns: ClinicalColumns = _build(ClinicalColumns, given)
    if mri is not None and treatments is None:
        raise OptionsError("--mri needs --treatments: NEDA-3 is measured from an index date "
                           "(the start of the index therapy)", field="mri")
    if endpoints_given and "activity" in km_opts.endpoints and mri is None:
        raise OptionsError("--endpoints activity needs --mri and --treatments", field="endpoints")
    endpoints = tuple(e for e in km_opts.endpoints if e != "activity" or mri is not None)
    km_opts = SurvivalOptions(**{**dict(km_opts), "endpoints": endpoints})
    for path, table in ((visits, "visits"), (relapses, "relapses"), (mri, "mri"),
                        (treatments, "treatments")):
        if path is not None:
            check_input_file(path, table)

    stages = 11 + (milestone is not None) + int(sensitivity)
    main_done, cancel = threading.Event(), threading.Event()
    try:
        return _job(visits, relapses, out, mri, treatments, fmt, milestone, sensitivity,
                    progress, stages, popts, neda_opts, arr_opts, km_opts, columns,
                    main_done, cancel)
    finally:
        cancel.set()  # a sensitivity analysis still running stops after its current setting


class _Cancelled(Exception):
    """The job stopped: the sensitivity analysis beside it stops too."""


def _job(visits: Path, relapses: Path, out: Path, mri: Path | None, treatments: Path | None,
         fmt: OutputFormat, milestone: float | None, sensitivity: bool,
         progress: bool | None, stages: int, popts: ProgressionOptions,
         neda_opts: NedaOptions, arr_opts: ArrOptions, km_opts: SurvivalOptions,
         columns: ClinicalColumns, main_done: threading.Event,
         cancel: threading.Event) -> dict[str, Any]:
    from msstem.commands.outcomes_output import (
        PLOT_MODULES,
        JobOutput,
        run_record,
        write_survival,
    )
    from msstem.io.cohort_tables import read_table
    from msstem.io.outcome_outputs import OutputFolder

    def lend_threads() -> int | None:
        if cancel.is_set():
            raise _Cancelled
        return None if main_done.is_set() else 1

    with OutputFolder(out) as folder, JobOutput(folder, fmt) as output, \
            _stages(stages, progress) as advance:
        output.prefetch(*PLOT_MODULES, "scipy.special")
        from msstem.outcomes.inputs import load_cohort

        advance("reading files")
        visits_tab = read_table(visits, "visits",
                                [popts.subject_col, popts.date_col, popts.value_col,
                                 *([popts.validconf_col] if popts.validconf_col else [])])
        relapses_tab = read_table(relapses, "relapses",
                                  [popts.relapse_subject_col, popts.relapse_date_col,
                                   *([popts.relapse_end_col] if popts.relapse_end_col else [])])
        treatments_tab = None if treatments is None else read_table(treatments, "treatments")
        advance("validating visits and relapses")
        arrays = load_cohort(visits_tab, relapses_tab, popts)
        n_visit_rows, n_relapse_rows = visits_tab.num_rows, relapses_tab.num_rows
        del visits_tab, relapses_tab
        from msstem.outcomes.progression import run_on_arrays

        sensitivity_job = None
        if sensitivity:
            # Ten more kernel runs over the same arrays: they start now on a thread of their
            # own, on one core while the rest of the job (mostly one core) runs, on all once
            # it is done.
            from concurrent.futures import ThreadPoolExecutor

            from msstem.outcomes.sensitivity import sensitivity_on_cohort

            sensitivity_pool = ThreadPoolExecutor(1, thread_name_prefix="msstem-sensitivity")
            sensitivity_job = sensitivity_pool.submit(
                sensitivity_on_cohort, arrays, popts,
                threads=lend_threads)
            sensitivity_pool.shutdown(wait=False)
        advance("progression events")
        progression = run_on_arrays(arrays, popts)
        advance("progression tables")
        for name, table in progression.arrow_tables().items():
            output.table(name, table)
        from msstem.outcomes.methods import methods_text

        output.text("methods.txt", methods_text(popts).rstrip() + "\n")
        if milestone is not None:
            from msstem.outcomes.milestones import milestones_on_cohort

            advance("milestones")
            output.table("milestones", milestones_on_cohort(arrays, popts, milestone))
        if sensitivity_job is not None:
            output.reserve("sensitivity")
        advance("cohort")
        from msstem.outcomes.clinical_inputs import build_cohort, load_mri
        cohort = build_cohort(None, None, treatments_tab, progression=popts,
                              index_therapy=neda_opts.index_therapy, columns=columns,
                              loaded=arrays, reuse=progression, first_events_only=True)
        advance("relapse rates")
        from msstem.outcomes.relapse_rate import annualised_relapse_rates

        arr = annualised_relapse_rates(cohort, arr_opts)
        output.table("arr_subjects", arr.subjects)
        output.table("arr_groups", arr.groups)
        advance("NEDA-3")
        neda = None
        mri_rows = None
        mri_warnings: list[str] = []
        if mri is not None:
            from msstem.outcomes.activity import assess_neda

            mri_df = load_mri(read_table(mri, "mri"), columns, known=arrays.subject_ids,
                              id_match=popts.id_match, warnings=mri_warnings)
            mri_rows = len(mri_df)
            neda = assess_neda(cohort, mri_df, neda_opts)
            output.table("neda", neda.to_frame())
            output.table("neda_summary", neda.summary)
            output.plot("neda.png", partial(_draw_neda, neda))
        advance("survival curves")
        from msstem.outcomes.survival import survival_curves

        km = survival_curves(cohort, km_opts, neda)
        advance("survival tables and plots")
        write_survival(output, km)
        if sensitivity_job is not None:
            main_done.set()
            advance("PIRA sensitivity (10 settings)")
            output.table("sensitivity", sensitivity_job.result())
        advance("waiting for the files")
        output.wait()
        advance("done")
        run = run_record(
            msstem_version=__version__,
            inputs={
                "visits": {"file": visits.name, "rows": n_visit_rows},
                "relapses": {"file": relapses.name, "rows": n_relapse_rows},
                "mri": None if mri is None else {"file": mri.name, "rows": mri_rows},
                "treatments": None if treatments is None or treatments_tab is None else {
                    "file": treatments.name, "rows": treatments_tab.num_rows},
            },
            options=_json_ready({
                "progression": popts.to_dict(),
                "cohort_progression": (cohort.progression_options.to_dict()
                                       if cohort.progression_options else None),
                "neda": None if neda is None else neda_opts.model_dump(exclude={"progression"}),
                "arr": arr_opts.model_dump(),
                "survival": km_opts.model_dump(),
                "columns": columns.model_dump(),
                "format": fmt,
            }),
            subjects=int(arrays.n_subjects),
            # the cohort shares the progression's reading: a repeated warning is shown once
            warnings=list(dict.fromkeys([*arrays.warnings, *cohort.warnings,
                                         *mri_warnings])),
            # wall and CPU seconds per phase of this run (bench/RESULTS.md reads them)
            phases_s=advance.seconds,
            phases_cpu_s=advance.cpu_seconds,
        )
        output.finish(run)
    return run


def _draw_neda(neda: Any) -> Any:
    from msstem.reports.plots import plot_neda

    return plot_neda(neda)


def _make_command() -> Callable[..., None]:
    fields = _flag_fields()

    def outcomes(**kwargs: Any) -> None:
        given = {}
        for name, (_info, kind, _ann, _model) in fields.items():
            value = kwargs.get(name)
            if value is None or (kind == "list" and not value):
                continue
            given[name] = _option_value(flag_name(name), kind, value)
        run = run_outcomes(kwargs["visits"], kwargs["relapses"], kwargs["out"], kwargs["mri"],
                           kwargs["treatments"], given, "endpoints" in given,
                           kwargs["output_format"], kwargs["chunk_subjects"],
                           milestone=kwargs["milestone"], sensitivity=kwargs["sensitivity"],
                           progress=kwargs["progress"])
        # Policies (duplicate_visits, unknown_relapse_subjects) change the input: say so on
        # stderr, not only in run.json.
        for warning in run["warnings"]:
            typer.echo(f"msstem: warning: {warning}", err=True)

    params = [
        inspect.Parameter("visits", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--visits", help="EDSS visits (CSV/Parquet): "
                                               "id, date, edss.")),
        inspect.Parameter("relapses", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--relapses",
                                               help="Relapse onsets: id, date.")),
        inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--out", help="Output directory (created; "
                                               "replaced only when the whole run succeeds).")),
        inspect.Parameter("mri", inspect.Parameter.KEYWORD_ONLY, annotation=Path | None,
                          default=typer.Option(None, "--mri", help="MRI scans: id, date, new_t2, "
                                               "gd (needs --treatments).")),
        inspect.Parameter("treatments", inspect.Parameter.KEYWORD_ONLY, annotation=Path | None,
                          default=typer.Option(None, "--treatments", help="Treatment starts: id, "
                                               "start, therapy[, group]; sets the index date.")),
        inspect.Parameter("output_format", inspect.Parameter.KEYWORD_ONLY,
                          annotation=Literal["csv", "parquet"],
                          default=typer.Option("csv", "--format", help="Format of the output "
                                               "tables (plots are PNG).")),
        inspect.Parameter("chunk_subjects", inspect.Parameter.KEYWORD_ONLY,
                          annotation=int | None,
                          default=typer.Option(None, "--chunk-subjects", help="Stream the visits "
                                               "file in chunks of about this many subjects "
                                               "(bounded memory; the file must be sorted by "
                                               "subject id; docs/outcomes.md).")),
        inspect.Parameter("milestone", inspect.Parameter.KEYWORD_ONLY, annotation=float | None,
                          default=typer.Option(None, "--milestone", help="Time to a confirmed "
                                               "milestone value (e.g. 6.0 for EDSS >= 6.0); "
                                               "writes milestones.csv.",
                                               rich_help_panel=_HELP_PANEL_PROGRESSION)),
        inspect.Parameter("sensitivity", inspect.Parameter.KEYWORD_ONLY, annotation=bool,
                          default=typer.Option(False, "--sensitivity", help="Also run every "
                                               "named PIRA definition at 12- and 24-week "
                                               "confirmation; writes sensitivity.csv.",
                                               rich_help_panel=_HELP_PANEL_PROGRESSION)),
        inspect.Parameter("progress", inspect.Parameter.KEYWORD_ONLY, annotation=bool | None,
                          default=typer.Option(None, "--progress/--no-progress",
                                               help="Show the phases on stderr: a bar on a "
                                               "terminal, one line per phase otherwise "
                                               "(default: the bar when stderr is a "
                                               "terminal). Never on stdout or in --out.")),
    ]
    for name, (info, kind, annotation, model) in fields.items():
        decl = flag_name(name)
        if annotation == bool | None:
            decl = f"{decl}/--no-{decl[2:]}"
        panel = (_HELP_PANEL_PROGRESSION if model is ProgressionOptions
                 else _HELP_PANEL_ANALYTICS)
        params.append(inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
            default=typer.Option(None, decl, help=_help(model, name, info, kind),
                                 rich_help_panel=panel, show_default=False)))
    outcomes.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    outcomes.__annotations__ = {p.name: p.annotation for p in params}
    outcomes.__doc__ = (
        "Progression events (CDW/CDI, PIRA/RAW), relapse rates, NEDA-3 and Kaplan-Meier "
        "curves from visits, relapses, MRI scans and treatments. Writes events.csv, "
        "summary.csv, unconfirmed.csv, methods.txt, arr_*.csv, neda*.csv/png, km_*.csv/png, "
        "run.json (and milestones.csv, sensitivity.csv when asked) under --out "
        "(--format parquet: .parquet tables), all at once when the run succeeds.")
    return outcomes


def register(app: typer.Typer) -> None:
    """Add ``msstem outcomes`` to the CLI."""
    app.command("outcomes")(_make_command())
