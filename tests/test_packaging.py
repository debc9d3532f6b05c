"""The wheel ships as a PyPI package should: license, py.typed, URLs, classifiers, and the
version written in one place (flake8_async_tests.__version__)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import flake8_async_tests

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
PYPROJECT_TEXT = (REPO / "pyproject.toml").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads(PYPROJECT_TEXT)
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Iterator[zipfile.ZipFile]:
    """Build the wheel offline, with this environment's setuptools (--no-build-isolation,
    --no-index), from a copy of the sources, so no build/ or egg-info is left in the tree."""
    for requirement in PYPROJECT["build-system"]["requires"]:
        req = Requirement(requirement)
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            installed = None
        assert installed is not None and req.specifier.contains(installed, prereleases=True), (
            f"building without isolation needs {requirement} (installed: {installed}); "
            "install the test extra: pip install -e '.[test]'")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE", "setup.cfg"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "flake8_async_tests", src / "flake8_async_tests",
                    ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))
    shutil.copytree(REPO / "docs" / "rules", src / "docs" / "rules")
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--disable-pip-version-check", "-q", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(out.glob("flake8_async_tests-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        yield zf


def _dist_info(zf: zipfile.ZipFile) -> str:
    dirs = {name.split("/", 1)[0] for name in zf.namelist()
            if name.split("/", 1)[0].endswith(".dist-info")}
    assert len(dirs) == 1, dirs
    return dirs.pop()


def _metadata(zf: zipfile.ZipFile):
    return HeaderParser().parsestr(zf.read(f"{_dist_info(zf)}/METADATA").decode("utf-8"))


def test_wheel_ships_py_typed(wheel):
    assert "flake8_async_tests/py.typed" in wheel.namelist()


def test_wheel_ships_the_standard_library_tables(wheel):
    # scripts/stdlib_names.py writes one per supported Python
    shipped = {name for name in wheel.namelist() if name.endswith(".json")}
    assert shipped == {f"flake8_async_tests/index/stdlib-{v}.json" for v in PYTHONS}
    # and scripts/stdlib_facts.py an archive of module facts
    archives = {name for name in wheel.namelist() if name.endswith(".zip")}
    assert archives == {f"flake8_async_tests/index/stdlib-{v}-facts.zip" for v in PYTHONS}


def test_wheel_ships_the_license(wheel):
    dist_info = _dist_info(wheel)
    licenses = [name for name in wheel.namelist()
                if name.startswith(dist_info + "/") and name.rsplit("/", 1)[-1] == "LICENSE"]
    assert licenses, wheel.namelist()
    text = wheel.read(licenses[0]).decode("utf-8")
    assert text == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 flake8-async-tests developers" in text
    meta = _metadata(wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    # An SPDX license expression replaces the license classifiers (PEP 639).
    assert not [c for c in meta.get_all("Classifier", []) if c.startswith("License ::")]


def test_metadata_version_is_the_package_version(wheel):
    meta = _metadata(wheel)
    assert re.fullmatch(r"\d+\.\d+\.\d+", flake8_async_tests.__version__)
    assert meta["Version"] == flake8_async_tests.__version__
    assert wheel.filename.endswith(f"-{flake8_async_tests.__version__}-py3-none-any.whl")


def test_metadata_has_every_project_url(wheel):
    urls = PYPROJECT["project"]["urls"]
    assert sorted(urls) == ["Changelog", "Documentation", "Homepage", "Issues"]
    assert all(url.startswith("https://github.com/OWNER/flake8-async-tests")
               for url in urls.values()), urls
    lines = _metadata(wheel).get_all("Project-URL", [])
    for key, url in urls.items():
        assert f"{key}, {url}" in lines, lines


def test_metadata_names_each_supported_python(wheel):
    assert PYPROJECT["project"]["requires-python"] == f">={PYTHONS[0]}"
    classifiers = _metadata(wheel).get_all("Classifier", [])
    for version in PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers, classifiers


def test_wheel_ships_every_package_and_rule_page(wheel):
    names = set(wheel.namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "flake8_async_tests").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    pages = {f"flake8_async_tests/rule_docs/{p.name}"
             for p in (REPO / "docs" / "rules").glob("*.md")}
    assert len(pages) >= 20 and pages <= names, sorted(pages - names)


def test_an_installed_wheel_prints_rule_pages_from_the_package(wheel, tmp_path):
    """Installed from the wheel, away from any checkout, `rule` reads the packaged page."""
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--disable-pip-version-check", "--target", str(target), wheel.filename],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code = ("import sys; from flake8_async_tests import cli; "
            "print(cli.__file__); sys.exit(cli.rule(['AT100']))")
    proc = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, "
                           f"{str(target)!r}); {code}"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(str(target)), proc.stdout
    assert "# AT100: async-test-without-marker" in proc.stdout


def test_version_is_written_in_one_place():
    project = PYPROJECT["project"]
    assert "version" not in project
    assert "version" in project["dynamic"]
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]
    assert dynamic["version"] == {"attr": "flake8_async_tests.__version__"}
    # The [project] table as written: no literal `version =` line in it.
    table = PYPROJECT_TEXT.split("\n[project]\n", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^\s*version\s*=", table, flags=re.M), table
    init = (REPO / "flake8_async_tests" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r"^__version__ = \"(.*)\"$", init, flags=re.M) == [
        flake8_async_tests.__version__]
