"""The real pre-commit runs this repository's hooks on a small project in a temporary git repo.

pre-commit needs the hook repository committed, so the tests commit a copy of this checkout
(tracked and untracked files, as they are now) into a temporary repository. pre-commit builds
the hook's environment itself (pip install of this copy), under a PRE_COMMIT_HOME shared by
the whole session, so nothing installed by hand is used.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}
SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist",
             ".cache"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BAD = """\
import pytest


async def test_fetch():
    assert 1 == 2


@pytest.mark.asyncio
def test_sync_with_mark():
    pass
"""
FIXED = """\
import pytest


@pytest.mark.asyncio
async def test_fetch():
    assert 1 == 1


def test_sync_with_mark():
    pass
"""
# AT100 silenced by a per-file ignore, AT102 by extend-ignore, and one AT100 by # noqa.
IGNORED = """\
import pytest


async def test_in_ignored_file():
    pass
"""
NOQA = """\
import pytest


async def test_noqa():  # noqa: AT100
    pass


@pytest.mark.asyncio
def test_ignored_code():
    pass
"""
FLAKE8_CONFIG = """\
[flake8]
extend-ignore = AT102
per-file-ignores =
    tests/test_ignored.py: AT100
"""
# A unittest base class from a package outside the project (a third-party dependency).
EXTLIB_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "extlib-for-hook-tests"
version = "1.0"

[tool.setuptools]
packages = ["extlib"]
"""
EXTLIB_INIT = """\
import unittest


class ApiTestCase(unittest.TestCase):
    base_url = "http://localhost"
"""
USES_EXTLIB = """\
from extlib import ApiTestCase


class TestApi(ApiTestCase):
    async def test_get(self):
        self.assertEqual(1, 2)
"""


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _checkout_files() -> list[Path]:
    """This checkout's files as they are now: tracked and untracked, minus ignored ones."""
    if (REPO / ".git").exists():
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO, capture_output=True, timeout=120)
        if proc.returncode == 0:
            names = [n for n in proc.stdout.decode().split("\0") if n]
            return [Path(n) for n in names if (REPO / n).is_file()]
    files = []
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        if path.is_file() and not (set(rel.parts) & SKIP_DIRS or rel.parts[0].startswith(".venv")):
            files.append(rel)
    return files


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[str, str]:
    """(path, commit) of a temporary git repository holding this checkout."""
    dest = tmp_path_factory.mktemp("hook-repo")
    for rel in _checkout_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest / rel)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "snapshot")
    return str(dest), git(dest, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(project: Path, home: Path, *args: str, extra_env: dict | None = None,
               path_first: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "PRE_COMMIT", "VIRTUAL_ENV", "PYTHONPATH"))}
    env.update(GIT_ENV)
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    if path_first:
        env["PATH"] = path_first + os.pathsep + env.get("PATH", "")
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=project,
                          capture_output=True, text=True, env=env, timeout=900)


def make_project(root: Path, files: dict[str, str]) -> Path:
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n", encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def findings(output: str) -> list[tuple[str, int, str]]:
    return sorted((path, int(row), code) for path, row, code in
                  re.findall(r"^(\S+?\.py):(\d+):\d+: (AT\d{3}) ", output, flags=re.M))


def readme_snippet() -> str:
    """The .pre-commit-config.yaml the README tells users to write."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- pre-commit-snippet -->\n```yaml\n(.*?)```", readme, re.S)
    assert match, "README.md needs the pre-commit snippet after <!-- pre-commit-snippet -->"
    return match.group(1)


def config_for(snippet: str, repo: str, rev: str) -> str:
    """The README snippet pointed at a local copy of this repository."""
    text, repos = re.subn(r"(?m)^(\s*-\s*repo:\s*).*$", lambda m: m.group(1) + repo, snippet)
    text, revs = re.subn(r"(?m)^(\s*rev:\s*).*$", lambda m: m.group(1) + rev, text)
    assert repos == 1 and revs == 1, snippet
    return text


def test_try_repo_fails_on_a_bad_test_then_passes_when_fixed(
        tmp_path, hook_repo, pre_commit_home):
    repo, rev = hook_repo
    project = make_project(tmp_path / "project", {
        "tests/test_api.py": BAD,
        "tests/test_ignored.py": IGNORED,
        "tests/test_noqa.py": NOQA,
        "tests/helpers.py": "async def test_not_a_test_module():\n    pass\n",
        "setup.cfg": FLAKE8_CONFIG,
    })
    args = ("try-repo", repo, "flake8-async-tests", "--ref", rev, "--all-files")
    proc = pre_commit(project, pre_commit_home, *args)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "flake8-async-tests" in output and "Failed" in output, output
    # Only the unmarked async test: AT102 is extend-ignored, test_ignored.py has a per-file
    # ignore, the # noqa line is skipped, helpers.py is not a test module.
    assert findings(output) == [("tests/test_api.py", 4, "AT100")], output
    assert "[docs/rules/AT100.md]" in output

    (project / "tests/test_api.py").write_text(FIXED, encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, *args)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert findings(output) == [] and "Passed" in output, output


def test_readme_config_runs_the_hook(tmp_path, hook_repo, pre_commit_home):
    repo, rev = hook_repo
    project = make_project(tmp_path / "project", {"tests/test_api.py": BAD})
    (project / ".pre-commit-config.yaml").write_text(config_for(readme_snippet(), repo, rev),
                                                     encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "flake8-async-tests", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert findings(output) == [("tests/test_api.py", 4, "AT100"),
                                ("tests/test_api.py", 9, "AT102")], output

    (project / "tests/test_api.py").write_text(FIXED, encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "flake8-async-tests", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _extlib(root: Path) -> Path:
    (root / "extlib").mkdir(parents=True)
    (root / "pyproject.toml").write_text(EXTLIB_PYPROJECT, encoding="utf-8")
    (root / "extlib" / "__init__.py").write_text(EXTLIB_INIT, encoding="utf-8")
    return root


def _config(repo: str, rev: str, hook: str, extra: str = "") -> str:
    return (f"repos:\n-   repo: {repo}\n    rev: {rev}\n    hooks:\n"
            f"    -   id: {hook}\n{extra}")


def test_third_party_bases_need_the_users_environment(tmp_path, hook_repo, pre_commit_home):
    """Facts about packages outside the project: silent in the isolated hook, found with
    additional_dependencies or with the hook that runs the user's own flake8."""
    repo, rev = hook_repo
    extlib = _extlib(tmp_path / "extlib-src")
    project = make_project(tmp_path / "project", {"tests/test_api.py": USES_EXTLIB})
    config = project / ".pre-commit-config.yaml"
    want = [("tests/test_api.py", 5, "AT101")]

    # The isolated environment does not have extlib: the base is unknown, so no finding.
    config.write_text(_config(repo, rev, "flake8-async-tests"), encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert findings(proc.stdout) == []

    # additional_dependencies installs it into the hook's environment.
    deps = f"        additional_dependencies: [{extlib}]\n"
    config.write_text(_config(repo, rev, "flake8-async-tests", deps), encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == want, proc.stdout

    # The system variant runs the flake8 found on PATH: here this test run's environment,
    # which has the plugin, with extlib importable as if installed there.
    config.write_text(_config(repo, rev, "flake8-async-tests-system"), encoding="utf-8")
    git(project, "add", "-A")
    bindir = os.path.dirname(sys.executable)
    proc = pre_commit(project, pre_commit_home, "run", "--all-files", path_first=bindir,
                      extra_env={"PYTHONPATH": str(extlib)})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert findings(proc.stdout) == want, proc.stdout
    # Without extlib in that environment it is silent again, never noisy.
    proc = pre_commit(project, pre_commit_home, "run", "--all-files", path_first=bindir)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hooks_fail_on_unparsable_files_and_on_an_environment_without_the_plugin(
        tmp_path, hook_repo, pre_commit_home):
    """The hooks run the standalone command with E902/E999 selected (a file flake8 cannot
    read or parse fails the hook); the system hook, where the command is not installed,
    stops with an error instead of passing."""
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["entry"] for hook in hooks} == {"flake8-async-tests"}
    assert all("--select=AT,E902,E999" in hook["args"] for hook in hooks)
    fixing = {hook["id"] for hook in hooks if "--fix" in hook["args"]}
    assert fixing == {"flake8-async-tests-fix"}
    assert not any("--unsafe-fixes" in hook["args"] for hook in hooks)
    hook_args = hooks[0]["args"]
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_broken.py").write_text("def test_x(:\n    pass\n", encoding="utf-8")
    ours = subprocess.run([sys.executable, "-m", "flake8_async_tests", *hook_args,
                           "test_broken.py"],
                          cwd=project, capture_output=True, text=True, timeout=120)
    # (the column of a syntax error differs between Python versions)
    assert ours.returncode == 1, ours.stdout + ours.stderr
    assert re.fullmatch(r"test_broken\.py:1:\d+: E999 SyntaxError: .*\n", ours.stdout), ours.stdout

    bare = tmp_path / "bare"  # an environment without this package
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True,
                   timeout=300)
    (project / "test_broken.py").write_text("async def test_x():\n    pass\n", encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(
        _config(*hook_repo, "flake8-async-tests-system"), encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    env_path = os.pathsep.join([str(bare / "bin"), os.path.dirname(shutil.which("git"))])
    proc = pre_commit(project, pre_commit_home, "run", "--all-files",
                      extra_env={"PATH": env_path})
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Executable `flake8-async-tests` not found" in proc.stdout + proc.stderr, proc.stdout


def test_the_fix_hook_applies_safe_fixes_only(tmp_path, hook_repo, pre_commit_home):
    """The fix hook rewrites the files (so pre-commit fails the run and shows it), leaves
    what has no safe fix reported, and passes once nothing is left."""
    repo, rev = hook_repo
    unsafe = ("from unittest.mock import Mock\n\n\n"
              "def test_m():\n    m = Mock()\n    m.called_with(1)\n")
    project = make_project(tmp_path / "project", {"tests/test_api.py": BAD,
                                                  "tests/test_mock.py": unsafe})
    config = project / ".pre-commit-config.yaml"
    config.write_text(_config(repo, rev, "flake8-async-tests-fix"), encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "--all-files")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "files were modified by this hook" in output, output
    assert "Found 3 errors (2 fixed, 1 remaining) (1 more fix available with " in output, output
    assert findings(output) == [("tests/test_mock.py", 6, "AT305")], output
    assert (project / "tests/test_api.py").read_text(encoding="utf-8") == FIXED.replace(
        "1 == 1", "1 == 2")
    assert (project / "tests/test_mock.py").read_text(encoding="utf-8") == unsafe

    real = unsafe.replace(".called_with", ".assert_called_with")
    (project / "tests/test_mock.py").write_text(real, encoding="utf-8")
    git(project, "add", "-A")
    proc = pre_commit(project, pre_commit_home, "run", "--all-files")
    assert proc.returncode == 0, proc.stdout + proc.stderr
