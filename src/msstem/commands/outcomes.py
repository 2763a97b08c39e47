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
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import typer
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from msstem import __version__
from msstem.errors import DataPolicyWarning, OptionsError
from msstem.outcomes.analytics_options import (
    ArrOptions,
    ClinicalColumns,
    NedaOptions,
    SurvivalOptions,
)
from msstem.outcomes.options import ProgressionOptions

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

@contextmanager
def _stages(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr when it is a terminal; otherwise nothing is printed."""
    if not sys.stderr.isatty():
        yield lambda _label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("msstem outcomes", total=total)

        def advance(label: str) -> None:
            bar.update(task, advance=1, description=label)

        yield advance


def _json_ready(value: Any) -> Any:
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def run_outcomes(visits: Path, relapses: Path, out: Path, mri: Path | None,
                 treatments: Path | None, given: dict[str, Any],
                 endpoints_given: bool, milestone: float | None = None,
                 sensitivity: bool = False) -> dict[str, Any]:
    """Compute everything the inputs allow and write it under ``out``; return run.json's dict."""
    # Heavy imports (pandas, numba, lifelines, matplotlib) only when the command runs, so
    # every other msstem command starts fast.
    import pandas as pd

    from msstem.outcomes.activity import assess_neda
    from msstem.outcomes.clinical_inputs import build_cohort, load_mri
    from msstem.outcomes.progression import detect_progression
    from msstem.outcomes.relapse_rate import annualised_relapse_rates
    from msstem.outcomes.survival import survival_curves
    from msstem.outcomes.tables import read_table
    from msstem.reports.plots import plot_km, plot_neda, save_png

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

    out.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    with _stages(6) as advance:
        visits_df = read_table(visits, "visits")
        relapses_df = read_table(relapses, "relapses", allow_empty=True)
        treatments_df = None if treatments is None else read_table(treatments, "treatments")
        advance("progression events")
        with warnings.catch_warnings():
            # Printed below as "msstem: warning: ..." lines, once each.
            warnings.simplefilter("ignore", DataPolicyWarning)
            progression = detect_progression(visits_df, relapses_df, popts)
        for name, table in progression.tables().items():
            table.to_csv(out / f"{name}.csv", index=False, date_format="%Y-%m-%d")
            files.append(f"{name}.csv")
        (out / "methods.txt").write_text(progression.methods_text() + "\n")
        files.append("methods.txt")
        if milestone is not None or sensitivity:
            from msstem.outcomes.inputs import load_cohort

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataPolicyWarning)
                arrays = load_cohort(visits_df, relapses_df, popts)
            if milestone is not None:
                from msstem.outcomes.milestones import milestones_on_cohort

                milestones_on_cohort(arrays, popts, milestone).to_csv(
                    out / "milestones.csv", index=False, date_format="%Y-%m-%d")
                files.append("milestones.csv")
            if sensitivity:
                from msstem.outcomes.sensitivity import sensitivity_on_cohort

                sensitivity_on_cohort(arrays, popts).to_csv(out / "sensitivity.csv",
                                                             index=False)
                files.append("sensitivity.csv")
        advance("cohort")
        cohort = build_cohort(visits_df, relapses_df, treatments_df, progression=popts,
                              index_therapy=neda_opts.index_therapy, columns=columns)
        advance("relapse rates")
        arr = annualised_relapse_rates(cohort, arr_opts)
        arr.subjects.to_csv(out / "arr_subjects.csv", index=False, date_format="%Y-%m-%d")
        arr.groups.to_csv(out / "arr_groups.csv", index=False)
        files += ["arr_subjects.csv", "arr_groups.csv"]
        advance("NEDA-3")
        neda = None
        mri_rows = None
        if mri is not None:
            mri_df = load_mri(mri, columns, known=set(cohort.visits["id"]))
            mri_rows = len(mri_df)
            neda = assess_neda(cohort, mri_df, neda_opts)
            neda.to_csv(out / "neda.csv")
            neda.summary.to_csv(out / "neda_summary.csv", index=False)
            save_png(plot_neda(neda), out / "neda.png")
            files += ["neda.csv", "neda_summary.csv", "neda.png"]
        advance("survival curves")
        km = survival_curves(cohort, km_opts, neda)
        for name, result in km.items():
            result.to_csv(out / f"km_{name}.csv")
            result.at_risk.to_csv(out / f"km_{name}_at_risk.csv", index=False)
            save_png(plot_km(result), out / f"km_{name}.png")
            files += [f"km_{name}.csv", f"km_{name}_at_risk.csv", f"km_{name}.png"]
        if km:
            pd.concat([r.summary for r in km.values()], ignore_index=True).to_csv(
                out / "km_summary.csv", index=False)
            files.append("km_summary.csv")
        advance("done")

    run = {
        "msstem_version": __version__,
        "inputs": {
            "visits": {"file": visits.name, "rows": len(visits_df)},
            "relapses": {"file": relapses.name, "rows": len(relapses_df)},
            "mri": None if mri is None else {"file": mri.name, "rows": mri_rows},
            "treatments": None if treatments is None or treatments_df is None else {
                "file": treatments.name, "rows": len(treatments_df)},
        },
        "options": _json_ready({
            "progression": popts.to_dict(),
            "cohort_progression": (cohort.progression_options.to_dict()
                                   if cohort.progression_options else None),
            "neda": None if neda is None else neda_opts.model_dump(exclude={"progression"}),
            "arr": arr_opts.model_dump(),
            "survival": km_opts.model_dump(),
            "columns": columns.model_dump(),
        }),
        "subjects": int(cohort.origin.shape[0]),
        "files": [*files, "run.json"],
        # the cohort re-reads the same tables: a repeated warning is shown once
        "warnings": list(dict.fromkeys([*progression.warnings, *cohort.warnings])),
    }
    (out / "run.json").write_text(json.dumps(run, indent=2, default=str) + "\n")
    return run


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
                           milestone=kwargs["milestone"], sensitivity=kwargs["sensitivity"])
        # Policies (duplicate_visits, unknown_relapse_subjects) change the input: say so on
        # stderr, not only in run.json.
        for warning in run["warnings"]:
            typer.echo(f"msstem: warning: {warning}", err=True)

    params = [
        inspect.Parameter("visits", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--visits", help="EDSS visits (CSV/Parquet): "
                                               "id, date, edss.", exists=True, dir_okay=False)),
        inspect.Parameter("relapses", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--relapses", help="Relapse onsets: id, date.",
                                               exists=True, dir_okay=False)),
        inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
                          default=typer.Option(..., "--out", help="Output directory (created).",
                                               file_okay=False)),
        inspect.Parameter("mri", inspect.Parameter.KEYWORD_ONLY, annotation=Path | None,
                          default=typer.Option(None, "--mri", help="MRI scans: id, date, new_t2, "
                                               "gd (needs --treatments).", exists=True,
                                               dir_okay=False)),
        inspect.Parameter("treatments", inspect.Parameter.KEYWORD_ONLY, annotation=Path | None,
                          default=typer.Option(None, "--treatments", help="Treatment starts: id, "
                                               "start, therapy[, group]; sets the index date.",
                                               exists=True, dir_okay=False)),
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
        "run.json (and milestones.csv, sensitivity.csv when asked) under --out.")
    return outcomes


def register(app: typer.Typer) -> None:
    """Add ``msstem outcomes`` to the CLI."""
    app.command("outcomes")(_make_command())
