"""The README says what the code does: options, configuration example, test command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from harness import lint, places

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def block_after(marker: str, language: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```{language}\n(.*?)```", README, re.S)
    assert match, f"README.md has no ```{language} block after <!-- {marker} -->"
    return match.group(1)


def test_ci_runs_the_readme_test_command():
    command = block_after("test-command", "console").strip()
    assert "\n" not in command
    steps = command.split(" && ")
    assert steps[0].startswith("python3 -m venv ") and steps[1].startswith(". "), command
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert " && ".join(steps[2:]) in ci, "the last steps must be a line of .ci/run"
    assert "python -m pytest" in command


def test_every_option_is_in_the_configuration_reference():
    proc = subprocess.run([sys.executable, "-m", "flake8", "--help"], capture_output=True,
                          text=True, timeout=120)
    options = sorted(set(re.findall(r"--async-tests-[a-z-]+[a-z]", proc.stdout)))
    assert len(options) >= 5, proc.stdout
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip().strip("`"): line for line in section.splitlines()
            if line.startswith("| `--")}
    assert sorted(rows) == options
    for option, row in rows.items():
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1].startswith(f"`{option[2:]} = "), row  # config-file spelling
        assert cells[2], row  # default


def test_configuration_example_is_read_by_flake8(tmp_path):
    """The README's [flake8] example works as written: strict mode overrides the project's
    pytest configuration, and the per-file ignore applies."""
    (tmp_path / "setup.cfg").write_text(block_after("config-example", "ini"), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "tests" / "legacy").mkdir(parents=True)
    (tmp_path / "tests" / "test_new.py").write_text(
        "async def test_unmarked():\n    pass\n", encoding="utf-8")
    (tmp_path / "tests" / "legacy" / "test_old.py").write_text(
        "import unittest\n\n\nclass TestOld(unittest.TestCase):\n"
        "    async def test_old(self):\n        pass\n", encoding="utf-8")
    run = lint(tmp_path, [])
    assert run.returncode == 1 and run.stderr == "", run.stderr
    assert places(run.found) == {("tests/test_new.py", 1, "AT100")}


def test_every_hook_is_documented():
    manifest = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = re.findall(r"^- id: (\S+)$", manifest, flags=re.M)
    assert hooks == ["flake8-async-tests", "flake8-async-tests-system", "flake8-async-tests-fix"]
    for hook in hooks:
        assert f"id: {hook}\n" in README, hook


def test_the_fast_part_of_ci_names_existing_test_files():
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    fast = re.search(r'^FAST="(.*?)"$', text, re.M | re.S)
    assert fast, "no FAST list in .ci/run"
    files = fast.group(1).split()
    assert len(files) >= 5
    missing = [name for name in files if not (REPO / name).is_file()]
    assert missing == [], missing


def test_the_pre_commit_snippet_pins_the_released_version():
    """`rev:` names this version's tag, and the CHANGELOG has that release's section."""
    from flake8_async_tests import __version__

    assert re.findall(r"^\s*rev: (\S+)$", README, flags=re.M) == [f"v{__version__}"]
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d\d-\d\d$", changelog,
                     flags=re.M)
