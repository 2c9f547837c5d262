"""The documentation stays true: hooks documented, examples working, README commands."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from nhm import hookspecs
from nhm.plugin_check import check_plugin_path
from nhm.plugins import PluginHost

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_DOC = ROOT / "docs" / "plugins.md"


def hook_signatures() -> dict[str, str]:
    host = PluginHost()
    signatures = {}
    for name in host.hook_names():
        spec = getattr(host.pm.hook, name).spec
        signatures[name] = f"{name}({', '.join(spec.argnames)})"
    return signatures


def test_every_hook_is_documented_with_its_signature() -> None:
    text = PLUGINS_DOC.read_text(encoding="utf-8")
    headings = set(re.findall(r"^### (nhm_\w+\(.*\))$", text, flags=re.MULTILINE))
    signatures = hook_signatures()
    assert len(signatures) == 6
    for name, signature in signatures.items():
        assert signature in headings, f"docs/plugins.md lacks the heading '### {signature}'"
        assert getattr(hookspecs, name).__doc__, f"{name} has no docstring"
    assert {h.split("(")[0] for h in headings} == set(signatures), "a documented hook is gone"


def doc_examples() -> dict[str, str]:
    text = PLUGINS_DOC.read_text(encoding="utf-8")
    pattern = r"<!-- docs-example: (\S+) -->\n```\w+\n(.*?)```"
    return dict(re.findall(pattern, text, flags=re.DOTALL))


def test_package_written_from_the_docs_passes_check_and_its_test(
    tmp_path: Path, run_plugin_tests: Callable[..., None]
) -> None:
    examples = doc_examples()
    assert set(examples) == {
        "dimension.yaml",
        "nhm_climate_adaptation/__init__.py",
        "pyproject.toml",
        "tests/test_climate_adaptation.py",
    }
    package = tmp_path / "nhm-climate-adaptation"
    for relative, body in examples.items():
        target = package / (
            "nhm_climate_adaptation/dimension.yaml" if relative == "dimension.yaml" else relative
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    report = check_plugin_path(package)
    assert report.ok, report.errors
    assert report.checked == [
        "dimension 'climate_adaptation' version 1.0.0 with 1 criterion is valid"
    ]
    run_plugin_tests(package, "tests", env={"PYTHONPATH": str(package)})


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    assert first_block is not None and text.index("```bash") < 20, "README must open with it"
    return [line.split("#")[0].strip() for line in first_block.group(1).strip().splitlines()]


def test_readme_opens_with_the_two_commands() -> None:
    assert readme_commands() == ["uv run nhm demo", "uv run pytest"]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in script.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert commands[-1] == readme_commands()[1]
    assert "uv sync --locked" in commands


@pytest.mark.parametrize("doc", ["README.md", "docs/plugins.md"])
def test_docs_name_only_existing_commands(doc: str) -> None:
    from typer.main import get_command

    from nhm.cli import app

    group = get_command(app)
    known = set(group.commands)  # type: ignore[attr-defined]
    text = (ROOT / doc).read_text(encoding="utf-8")
    used = set(re.findall(r"`nhm ([a-z][a-z-]*)", text))
    assert used <= known, f"{doc} names commands that do not exist: {used - known}"
