"""``nhm plugin new``: a new plugin package in the shape docs/plugins.md describes."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from nhm.model import ID_PATTERN

_PYPROJECT = Template("""\
[project]
name = "$dist"
version = "0.1.0"
description = "$title: an nhm dimension"
readme = "README.md"
requires-python = ">=3.11"
# A dimension plugin needs only pluggy; declare the nhm versions you support once you rely
# on nhm's types (for example "nhm>=0.1").
dependencies = ["pluggy>=1.5"]

[project.entry-points.nhm]
$name = "$module"

[build-system]
requires = ["hatchling>=1.26"]
build-backend = "hatchling.build"

[tool.hatch.build.targets.wheel]
packages = ["$module"]
""")

_MODULE = Template('''\
"""$title: an nhm plugin. The dimension's content is data, in dimension.yaml."""

from pathlib import Path

import pluggy

hookimpl = pluggy.HookimplMarker("nhm")


@hookimpl
def nhm_register_dimensions(register):
    register(Path(__file__).with_name("dimension.yaml"))
''')

_DIMENSION = Template("""\
# $title – an nhm dimension. Check it with: nhm check-plugin .
# Replace the example criterion with your own; docs/plugins.md explains every key.
id: $name
version: "0.1.0"
order: 100
title:
  de: "$title"
  en: "$title"
description:
  de: "Was diese Dimension abdeckt und warum es für eine Kommune wichtig ist."
  en: "What this dimension covers and why it matters for a municipality."
weight: 1.0
criteria:
  - id: council_decision
    title: {de: "Beschluss des Rates", en: "Council decision"}
    question:
      de: "Hat der Rat (Gemeinderat, Stadtrat, Kreistag) zu diesem Thema einen Beschluss gefasst?"
      en: "Has the council adopted a decision on this topic?"
    guidance:
      de: "Zählt nur ein Beschluss des Rates oder eines beschließenden Ausschusses."
      en: "Only a decision of the council or of a deciding committee counts."
    levels:
      0: {de: "Es gibt keinen Beschluss und keinen Auftrag.", en: "There is no decision and no mandate."}
      1: {de: "Einzelne Vorhaben werden ohne Beschluss verfolgt.", en: "Single projects are pursued without a decision."}
      2: {de: "Der Rat hat einen Grundsatzbeschluss mit Zuständigkeit gefasst.", en: "The council adopted a decision in principle naming who is responsible."}
      3: {de: "Der Rat lässt sich mindestens jährlich über die Umsetzung berichten.", en: "The council receives a report on implementation at least once a year."}
      4: {de: "Der Rat überprüft die Ziele regelmäßig und schreibt sie fort.", en: "The council reviews its goals regularly and updates them."}
    evidence_examples:
      - {de: "Ratsbeschluss mit Datum und Vorlagennummer", en: "Council resolution with date and number"}
    sdg_targets: ["16.7"]
    references: {}
""")

_TEST = Template('''\
"""Tests of the $name plugin: run with `python -m pytest` where nhm is installed."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import $module  # noqa: E402
from nhm.catalog import build_catalog  # noqa: E402
from nhm.plugins import load_plugins  # noqa: E402


def test_dimension_registers_without_errors():
    host = load_plugins(entry_points=False, plugin_dirs=[], disabled=[],
                        extra=[("$name", $module)])
    catalog = build_catalog(host)
    assert host.record("$name").errors == []
    dimension = catalog.dimension("$name")
    assert all(len(criterion.levels) == 5 for criterion in dimension.criteria)
''')

_README = Template("""\
# $dist

$title: a dimension for nhm, the maturity self-assessment for municipal sustainability
management.

```bash
nhm check-plugin .          # validate
pip install .               # install into the environment nhm runs in
nhm plugins                 # $name is listed
python -m pytest            # the plugin's tests
```
""")


class ScaffoldError(ValueError):
    """The plugin could not be created; the message says why."""


def new_plugin(name: str, parent: Path, title: str | None = None) -> Path:
    """Create ``parent/nhm-<name>/`` and return its path; never overwrites anything."""
    if not re.match(ID_PATTERN, name) or len(name) > 64:
        raise ScaffoldError(
            f"plugin name {name!r} is not valid: use lower-case letters, digits and "
            "underscores, starting with a letter (e.g. climate_adaptation)"
        )
    if not parent.is_dir():
        raise ScaffoldError(f"folder {parent} does not exist")
    dist = "nhm-" + name.replace("_", "-")
    module = f"nhm_{name}"
    target = parent / dist
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another name or folder")
    values = {
        "name": name,
        "dist": dist,
        "module": module,
        "title": (title or name.replace("_", " ").capitalize()).replace('"', "'"),
    }
    files = {
        "pyproject.toml": _PYPROJECT,
        "README.md": _README,
        f"{module}/__init__.py": _MODULE,
        f"{module}/dimension.yaml": _DIMENSION,
        f"tests/test_{name}.py": _TEST,
    }
    for relative, template in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(values), encoding="utf-8")
    return target
