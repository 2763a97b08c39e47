"""``msstem evidence``: check, list and show the curated evidence base."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from msstem.eligibility import screening_references, threshold_uses
from msstem.errors import NotFoundError, OptionsError
from msstem.evidence import EvidenceBase, Fact, Source, check_evidence, load_evidence

__all__ = [
    "code_references",
    "display_path",
    "register",
    "threshold_rows",
    "thresholds_markdown",
]

# Modules whose cited source ids count as uses of those sources. A module listed here
# may not be written yet while the package grows; once it exists its ids are required.
_OPTIONAL_CITERS = ("msstem.eligibility", "msstem.offers", "msstem.outcomes")


class Format(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def code_references() -> dict[str, tuple[str, ...]]:
    """Source ids cited by code, keyed by the code location that cites them."""
    from msstem.clinical.edss import EDSS_SOURCE_IDS
    from msstem.clinical.hctci import HCTCI_SOURCE_ID

    refs: dict[str, tuple[str, ...]] = {
        "msstem.clinical.edss.EDSS_SOURCE_IDS": tuple(EDSS_SOURCE_IDS),
        "msstem.clinical.hctci.HCTCI_SOURCE_ID": (HCTCI_SOURCE_ID,),
    }
    for name in _OPTIONAL_CITERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but is broken: surface it
                raise
            continue
        cited = getattr(module, "cited_source_ids", None)
        if cited is None:
            continue  # not written yet (the package exists but has no citer)
        ids: Iterable[str] = cited()
        refs[f"{name}.cited_source_ids()"] = tuple(ids)
    return refs


def display_path(data_root: str, file_name: str) -> str:
    """The data file's path relative to the repository (or install) root it lives in.

    ``src/msstem/evidence/data/trials.yaml`` in a checkout; ``msstem/evidence/data/...``
    in an installed package; the absolute path for a copy elsewhere.
    """
    path = Path(data_root, file_name).resolve()
    for parent in path.parents:
        if (parent / "pyproject.toml").is_file():
            return path.relative_to(parent).as_posix()
    parts = path.parts
    if "msstem" in parts:
        return Path(*parts[len(parts) - 1 - parts[::-1].index("msstem"):]).as_posix()
    return str(path)


def threshold_rows(eb: EvidenceBase) -> list[dict[str, object]]:
    """One row per threshold a rule set reads: what, how much, from where, written where."""
    rows: list[dict[str, object]] = []
    for use in threshold_uses():
        located = eb.criterion(use.owner, use.criterion_id)
        c = located.criterion
        rows.append({
            "rule_set": use.ruleset_id,
            "criterion": located.key,
            "name": use.name,
            "comparison": c.comparison,
            "value": c.value,
            "unit": c.unit,
            "window_months": c.window_months,
            "strength": c.strength,
            "limit": c.text(),
            "text": c.describe(),
            "source": c.source_id,
            "file": display_path(eb.data_root, located.file),
            "line": located.line,
        })
    return rows


def thresholds_markdown(rows: list[dict[str, object]]) -> str:
    """The thresholds as the Markdown table docs/eligibility.md embeds.

    Without the file and line (the CLI's other formats give them), so an edit elsewhere
    in a data file does not make the documentation stale.
    """
    lines = [
        "| rule set | criterion | limit | window | hard/soft | source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        window = f"{row['window_months']} months" if row["window_months"] else ""
        lines.append(
            f"| `{row['rule_set']}` | `{row['criterion']}` | {row['limit']} | {window} | "
            f"{row['strength']} | `{row['source']}` |"
        )
    return "\n".join(lines)


def _criteria_uses() -> dict[str, tuple[str, ...]]:
    uses: dict[str, list[str]] = {}
    for use in threshold_uses():
        uses.setdefault(use.ruleset_id, []).append(use.ref)
    return {k: tuple(v) for k, v in uses.items()}


def _fact_text(fact: Fact, eb: EvidenceBase) -> list[str]:
    lines = [f"{fact.id}: {fact.statement}"]
    if fact.value is not None:
        value = f"{fact.value:g} {fact.unit or ''}".rstrip()
        if fact.interval is not None:
            iv = fact.interval
            value += f" ({iv.kind} {iv.low:g}-{iv.high:g})"
        if fact.numerator is not None:
            value += f" [{fact.numerator}/{fact.denominator}]"
        lines.append(f"  value: {value}")
    if fact.per_100 is not None:
        lines.append(f"  per 100 people: {fact.per_100:.3g}")
    for label, text in (("population", fact.population), ("follow-up", fact.follow_up),
                        ("topic", fact.topic)):
        if text:
            lines.append(f"  {label}: {text}")
    if not fact.verified:
        lines.append("  UNVERIFIED")
    if fact.caution:
        lines.append(f"  caution: {fact.caution}")
    lines += [f"  source: {s.reference()}" for s in eb.sources_for(fact.source_ids)]
    return lines


def _source_text(source: Source) -> list[str]:
    lines = [f"{source.id} ({source.kind}): {source.reference()}"]
    if source.read_at:
        lines.append(f"  read at: {source.read_at}")
    if source.caution:
        lines.append(f"  caution: {source.caution}")
    return lines


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Check, list and show the cited evidence base.", no_args_is_help=True)
    app.add_typer(group, name="evidence")

    @group.command("check")
    def check(
        data_dir: Annotated[Path | None, typer.Option(
            "--data-dir", help="Check another copy of the data files (default: the shipped ones)."
        )] = None,
    ) -> None:
        """Validate the evidence base; exit 1 and list every problem if any."""
        if data_dir is not None and not data_dir.is_dir():
            raise OptionsError(
                f"--data-dir: {str(data_dir)!r} is not a folder of evidence files", field="data_dir"
            )
        eb = load_evidence(data_dir)
        problems = check_evidence(
            eb,
            code_references(),
            criteria_uses=_criteria_uses(),
            text_uses=screening_references(),
        )
        if problems:
            for problem in problems:
                typer.echo(str(problem))
            typer.echo(f"{len(problems)} problem(s) in the evidence base", err=True)
            raise typer.Exit(code=1)
        typer.echo(
            f"OK: {len(eb.sources)} sources, {len(eb.facts)} facts, {len(eb.trials)} trials, "
            f"{len(eb.guidelines)} guidelines, {len(eb.faq)} FAQ entries, {len(eb.dmts)} DMTs; "
            f"evidence date {eb.evidence_date.isoformat()}"
        )

    @group.command("thresholds")
    def thresholds(
        fmt: Annotated[TableFormat, typer.Option(
            "--format", help="text, json, or markdown (the table in docs/eligibility.md)."
        )] = TableFormat.text,
        data_dir: Annotated[Path | None, typer.Option(
            "--data-dir", help="Read another copy of the data files (default: the shipped ones)."
        )] = None,
    ) -> None:
        """List every threshold the eligibility rules use, with the file and line it is on."""
        if data_dir is not None and not data_dir.is_dir():
            raise OptionsError(
                f"--data-dir: {str(data_dir)!r} is not a folder of evidence files", field="data_dir"
            )
        rows = threshold_rows(load_evidence(data_dir))
        if fmt is TableFormat.json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if fmt is TableFormat.markdown:
            typer.echo(thresholds_markdown(rows))
            return
        for row in rows:
            typer.echo(
                f"{row['rule_set']:<18} {row['criterion']:<34} {row['limit']}  "
                f"[{row['strength']}; {row['source']}] {row['file']}:{row['line']}"
            )

    @group.command("sources")
    def sources(
        fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    ) -> None:
        """List every source with its citation."""
        eb = load_evidence()
        if fmt is Format.json:
            payload = [s.model_dump(mode="json") | {"reference": s.reference()}
                       for s in eb.sources.values()]
            typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        for source in eb.sources.values():
            typer.echo(f"{source.id}: {source.reference()}")

    @group.command("show")
    def show(record_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
        """Show one fact or source with its citation."""
        eb = load_evidence()
        if record_id in eb.facts:
            lines = _fact_text(eb.facts[record_id], eb)
        elif record_id in eb.sources:
            lines = _source_text(eb.sources[record_id])
        else:
            raise NotFoundError(f"unknown fact or source id {record_id!r}; "
                                "see 'msstem evidence sources'")
        typer.echo("\n".join(lines))
