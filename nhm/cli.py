"""The ``nhm`` command."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from nhm import (
    __version__,
    cli_app,
    cli_data,
    cli_demo,
    cli_report,
    cli_results,
    cli_ring,
    cli_targets,
    cli_users,
)
from nhm.catalog import load_catalog
from nhm.cli_data import Lang
from nhm.model import Catalog, Dimension
from nhm.plugins import PluginHost, PluginStatus

app = typer.Typer(
    name="nhm",
    help="nhm – Reifegrad-Selbstbewertung für kommunales Nachhaltigkeitsmanagement / "
    "maturity self-assessment for municipal sustainability management.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class SchemaKind(StrEnum):
    dimension = "dimension"
    assessment = "assessment"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"nhm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """nhm – maturity self-assessment for municipal sustainability management."""


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))


@app.command("plugins")
def plugins_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List installed plugins: version, source, hooks, dimensions and errors."""
    _, host = load_catalog()
    if as_json:
        _print_json([record.to_dict() for record in host.records])
        return
    _print_plugins(host)


def _print_plugins(host: PluginHost) -> None:
    if not host.records:
        typer.echo("No plugins installed.")
    for record in host.records:
        version = record.version or "-"
        typer.echo(
            f"{record.name} {version}  [{record.status}]  {record.source}: {record.location}"
        )
        if record.dimensions:
            typer.echo(f"    dimensions: {', '.join(record.dimensions)}")
        if record.hooks:
            typer.echo(f"    hooks: {', '.join(record.hooks)}")
        for error in record.errors:
            for line in str(error).splitlines():
                typer.echo(f"    error: {line}" if not line.startswith("  ") else f"      {line}")
    for name in host.unmatched_disabled:
        typer.echo(f"note: NHM_DISABLE_PLUGINS names {name!r}, but no plugin has that name")
    failed = [r.name for r in host.records if r.status is PluginStatus.ERROR]
    if failed:
        typer.echo(f"{len(failed)} plugin(s) with errors: {', '.join(failed)}", err=True)


@app.command("catalog")
def catalog_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full catalog as JSON.")
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the text listing.")] = Lang.de,
) -> None:
    """Show the maturity catalog: every dimension and criterion from all plugins."""
    catalog, host = load_catalog()
    if as_json:
        _print_json(catalog_to_json(catalog))
    else:
        _print_catalog(catalog, lang.value)
    if host.failed:
        typer.echo(
            f"note: {len(host.failed)} plugin(s) failed to load; see `nhm plugins`", err=True
        )


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    return {"dimensions": [d.model_dump(mode="json") for d in catalog.dimensions]}


def _print_catalog(catalog: Catalog, lang: str) -> None:
    if not catalog.dimensions:
        typer.echo("The catalog is empty: no plugin provides a dimension (see `nhm plugins`).")
    for dimension in catalog.dimensions:
        _print_dimension(dimension, lang)


def _print_dimension(dimension: Dimension, lang: str) -> None:
    typer.echo(
        f"{dimension.title.get(lang)}  ({dimension.id}, v{dimension.version}, "
        f"weight {dimension.weight:g})"
    )
    for criterion in dimension.criteria:
        na = "  [N/A allowed]" if criterion.na_allowed else ""
        typer.echo(f"  {dimension.full_id(criterion)}: {criterion.title.get(lang)}{na}")
    typer.echo("")


@app.command("schema")
def schema_command(
    kind: Annotated[SchemaKind, typer.Argument(help="Which schema.")] = SchemaKind.dimension,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Print the JSON Schema of a dimension file or an assessment exchange file."""
    if kind is SchemaKind.assessment:
        from nhm.exchange.assessment_file import json_schema

        schema = json_schema()
    else:
        schema = Dimension.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "nhm dimension file"
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


@app.command("check-plugin")
def check_plugin_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A dimension file, a plugin module, a drop-in folder or a plugin package folder."
        ),
    ],
) -> None:
    """Validate a plugin before installing it; exit 1 if anything is wrong."""
    from nhm.plugin_check import check_plugin_path

    report = check_plugin_path(path)
    for line in report.checked:
        typer.echo(f"ok: {line}")
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    if not report.ok:
        typer.echo(f"{len(report.errors)} error(s) in {path}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: no errors")


plugin_app = typer.Typer(help="Work on plugins.", no_args_is_help=True)
app.add_typer(plugin_app, name="plugin")


@plugin_app.command("new")
def plugin_new_command(
    name: Annotated[str, typer.Argument(help="Plugin and dimension id, e.g. climate_adaptation.")],
    folder: Annotated[
        Path, typer.Option("--dir", help="Create the package inside this folder.")
    ] = Path(),
    title: Annotated[
        str | None, typer.Option("--title", help="German title of the dimension.")
    ] = None,
) -> None:
    """Create a new plugin package (pyproject, module, dimension file, test)."""
    from nhm.scaffold import ScaffoldError, new_plugin

    try:
        target = new_plugin(name, folder, title)
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"created {target}")
    typer.echo(
        f"next: edit {target / ('nhm_' + name) / 'dimension.yaml'}, then "
        f"`nhm check-plugin {target}` and `pip install {target}`"
    )


@app.command("demo")
def demo_command(
    db: cli_demo.DemoDbOption = None,
    port: cli_app.PortOption = cli_app.DEFAULT_PORT,
    setup_only: Annotated[
        bool,
        typer.Option("--setup-only", help="Only set up the demo database; do not start the app."),
    ] = False,
) -> None:
    """Serve the app on fictional demo data (the demo database is created on first use).
    The demo runs without sign-in; NHM_AUTH=accounts|oidc is refused before the setup."""
    if not setup_only:
        cli_app.check_demo_auth()  # before minutes of setup, not after
        cli_app.check_port(port, "localhost")
    path = cli_demo.run_demo(db, serving=not setup_only)
    if not setup_only:
        cli_app.run_app(path, port)


cli_data.register(app)
cli_app.register(app)
cli_demo.register(app)
cli_targets.register(app)
cli_results.register(app)
cli_report.register(app)
cli_ring.register(app)
cli_users.register(app)


def main() -> None:
    """Run the command; an unexpected failure is reported in one line (NHM_DEBUG=1 shows the
    traceback), so a user never faces a stack dump."""
    try:
        code = app(prog_name="nhm", standalone_mode=False)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except Exception as exc:  # the last line of defence, after every expected error is handled
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # a usage error from click
            exc.show()
            sys.exit(1)  # invalid input; 2 is reserved for "the database cannot be used"
        if os.environ.get("NHM_DEBUG"):
            raise
        typer.echo(
            f"error: unexpected {type(exc).__name__}: {exc} (set NHM_DEBUG=1 for details; "
            "please report it)",
            err=True,
        )
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
