"""``msstem synthesize``: meta-analysis of a study table, or of the curated study arms.

    msstem synthesize DATA.csv --measure PLO --method REML [--knha] [--mods COL ...]
    msstem synthesize --outcome treatment_related_death [--by course|intensity|era]

The command parses, calls ``msstem.synthesis`` and renders; the CSV is read by
``msstem.io.studies`` and plots are drawn by ``msstem.reports.forest``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from msstem.errors import OptionsError

__all__ = ["register"]


class Format(StrEnum):
    text = "text"
    json = "json"


class By(StrEnum):
    course = "course"
    intensity = "intensity"
    era = "era"


_OUTCOMES = ("treatment_related_death", "neda", "progression_free", "relapse_free")


def _split_mods(mods: list[str] | None) -> list[str]:
    out: list[str] = []
    for item in mods or []:
        out += [m.strip() for m in item.split(",") if m.strip()]
    return out


def _evidence_run(outcome: str, horizon: float | None, by: By | None, therapy: str) -> Any:
    from msstem.evidence import load_evidence
    from msstem.synthesis import meta_analysis, subgroups
    from msstem.synthesis.derive import ERA_SPLIT_YEAR, HORIZON_BANDS, DerivedSpec, select_arms

    if outcome not in _OUTCOMES:
        raise OptionsError(f"--outcome: {outcome!r} is not pooled; allowed: "
                           f"{', '.join(_OUTCOMES)}", field="outcome")
    if outcome == "treatment_related_death":
        if horizon is not None:
            raise OptionsError("--horizon: treatment-related death has no horizon (early "
                               "deaths); leave it out", field="horizon")
    elif horizon not in HORIZON_BANDS:
        raise OptionsError(f"--horizon: give {' or '.join(f'{h:g}' for h in HORIZON_BANDS)} "
                           f"(years) for {outcome}", field="horizon")
    eb = load_evidence()
    kept, excluded = select_arms(eb.study_arms, DerivedSpec(therapy, outcome, horizon, "all"))
    if not kept:
        raise OptionsError(f"--outcome: no {therapy} study is left for {outcome} after the "
                           "harmonisation rules", field="outcome")
    import pandas as pd

    table = pd.DataFrame({
        "study": [c.arm.id for c in kept],
        "events": [c.outcome.events_for_pooling for c in kept],
        "n": [c.outcome.n for c in kept],
    })
    method = "REML" if len(kept) >= 2 else "FE"
    res = meta_analysis(table, measure="PLO", method=method)
    sub = None
    if by is not None:
        def label(c: Any) -> str:
            if by is By.course:
                return c.outcome.course_group or "course not reported"
            if by is By.intensity:
                return f"{c.arm.intensity} intensity" if c.arm.intensity else "not classified"
            if c.arm.year is None:
                return "year not reported"
            return (f"published {ERA_SPLIT_YEAR} or before" if c.arm.year <= ERA_SPLIT_YEAR
                    else f"published after {ERA_SPLIT_YEAR}")
        sub = subgroups(res, [label(c) for c in kept], column=by.value)
    return res, sub, kept, excluded


def _short(label: str, fallback: str) -> str:
    short = label.split(":", 1)[0].strip()
    return fallback if short.isdigit() else short


def register(app: typer.Typer) -> None:
    @app.command("synthesize")
    def synthesize(
        data: Annotated[Path | None, typer.Argument(
            metavar="[DATA.csv]", help="A study table: 'study' and 'events','n' (PLO/PR) or "
            "'yi','vi' (or 'sei') (GEN), plus moderator columns.")] = None,
        measure: Annotated[str, typer.Option("--measure", help="PLO (logit proportion, "
                                             "default), PR or GEN.")] = "PLO",
        method: Annotated[str, typer.Option("--method", help="REML (default), DL, PM, ML, "
                                            "SJ, HE or FE.")] = "REML",
        knha: Annotated[bool, typer.Option("--knha", help="Knapp-Hartung adjustment.")] = False,
        mods: Annotated[list[str] | None, typer.Option(
            "--mods", help="Moderator column (repeat the flag, or separate with commas).")
        ] = None,
        outcome: Annotated[str | None, typer.Option(
            "--outcome", help="Pool the curated study arms for this outcome instead of a "
            "file: treatment_related_death, neda, progression_free, relapse_free.")] = None,
        horizon: Annotated[float | None, typer.Option(
            "--horizon", help="Years (2 or 5) for neda, progression_free, relapse_free.")
        ] = None,
        therapy: Annotated[str, typer.Option("--therapy", help="With --outcome: ahsct "
                                             "(default) or a DMT id.")] = "ahsct",
        by: Annotated[By | None, typer.Option("--by", help="With --outcome: subgroups by "
                                              "course, intensity or era.")] = None,
        fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
        forest: Annotated[Path | None, typer.Option(
            "--forest", help="Write a forest plot (.png or .svg).")] = None,
    ) -> None:
        """Pool studies as metafor's rma() does (docs/synthesis.md)."""
        from msstem.synthesis import MEASURES, METHODS, meta_analysis

        if forest is not None and forest.suffix.lower() not in (".png", ".svg"):
            raise OptionsError(f"--forest: {str(forest)!r} must end in .png or .svg",
                               field="forest")
        if (data is None) == (outcome is None):
            raise OptionsError("give either DATA.csv or --outcome (not both)", field="data")
        payload: dict[str, Any]
        if data is not None:
            if by is not None or horizon is not None:
                raise OptionsError("--by and --horizon go with --outcome", field="by")
            if measure not in MEASURES:
                raise OptionsError(f"--measure: unknown measure {measure!r}; allowed: "
                                   f"{', '.join(MEASURES)}", field="measure")
            if method not in METHODS:
                raise OptionsError(f"--method: unknown method {method!r}; allowed: "
                                   f"{', '.join(METHODS)}", field="method")
            from msstem.io.studies import read_study_table

            table = read_study_table(data)
            res = meta_analysis(table, measure=measure, method=method, knha=knha,
                                mods=_split_mods(mods))
            sub, text = None, res.to_text()
            payload = res.to_dict()
        else:
            assert outcome is not None
            res, sub, kept, excluded = _evidence_run(outcome, horizon, by, therapy)
            lines = [f"{therapy} {outcome}" + (f" at {horizon:g} years" if horizon else "")
                     + f": {res.k} studies (one report per cohort; docs/synthesis.md)", "",
                     res.to_text()]
            if sub is not None:
                lines += ["", f"By {sub.column}:"]
                for label, r in sub.groups:
                    assert r.pooled is not None
                    b = r.pooled.backtransformed or {}
                    lines.append(f"  {label}: k = {r.k}, {100 * b['estimate']:.2f} per 100 "
                                 f"(95% CI {100 * b['ci_lb']:.2f} to {100 * b['ci_ub']:.2f})")
                lines.append(f"  test of subgroup differences: Q = {sub.q_between:.3f}, df = "
                             f"{sub.q_between_df}, p = {sub.q_between_p:.4g}")
            lines += ["", "Left out:"] + [f"  {e.arm_id}: {e.reason}" for e in excluded]
            text = "\n".join(lines)
            payload = {"therapy": therapy, "outcome": outcome, "horizon_years": horizon,
                       **res.to_dict(),
                       "excluded": [e.model_dump() for e in excluded]}
            if sub is not None:
                payload["subgroups"] = sub.to_dict()
        if forest is not None:
            from msstem.reports.forest import plot_forest, save_figure

            per = 1000 if outcome == "treatment_related_death" else None
            labels = title = None
            if outcome is not None:
                labels = {c.arm.id: _short(c.arm.label, c.arm.id) for c in kept}
                title = (f"{therapy}: {outcome.replace('_', ' ')}"
                         + (f" at {horizon:g} years" if horizon else "")
                         + (f", by {by.value}" if by is not None else ""))
            if sub is not None:
                ax = plot_forest(sub, overall=res, per=per, labels=labels, title=title)
            else:
                ax = plot_forest(res, per=per, labels=labels, title=title)
            save_figure(ax, forest)
            payload["forest"] = str(forest)
        if fmt is Format.json:
            typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        else:
            typer.echo(text)
            if forest is not None:
                typer.echo(f"forest plot: {forest}")
