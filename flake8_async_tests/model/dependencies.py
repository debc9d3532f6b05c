"""The distributions a project names as its dependencies, read with their owners' parsers.

PEP 508 strings are read with `packaging`; `pyproject.toml` and `Pipfile` with tomllib (and
Poetry's version constraints with poetry-core);
`setup.cfg` and `tox.ini` with configparser; `setup.py` and `noxfile.py` with `ast` (literal
lists only: nothing is run); requirements files line by line as pip reads them (comments,
options and `-r`/`-c` includes); lock files (uv, pylock, Poetry, PDM, Pipfile.lock) for the
version each distribution is pinned to. Names come back canonical (`packaging.utils`). A file that
cannot be read or parsed adds nothing.
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import sys
from collections.abc import Iterable, Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .. import project, reads

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# Lock files that pin each distribution to one version, relative to the project's root.
LOCK_FILES = ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock", "Pipfile.lock")
# Where a project names its dependencies, relative to its root.
FILES = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", "noxfile.py", "Pipfile")
REQUIREMENT_DIRS = ("requirements", "reqs", "requirements.d")
# Test folders, where a project may keep the requirements of its tests (`tests/
# requirements.txt`, as aiohttp-devtools did): their requirements*.txt / *.in count.
TEST_DIRS = ("tests", "test", "testing")
SETUP_KEYWORDS = ("install_requires", "tests_require", "extras_require", "setup_requires")
MAX_INCLUDES = 20  # -r files followed from one requirements file
MAX_BYTES = 1_000_000
MAX_DEPTH = 8  # folders above a rootdir looked at for the top of its repository
PACKAGE_FILES = ("pyproject.toml", "setup.py", "setup.cfg")


def declared(root: str) -> frozenset[str]:
    """Canonical names of every distribution the project at `root` names anywhere."""
    return frozenset(requirements(root))


def folders(root: str) -> list[str]:
    """Where the project at `root` (a pytest rootdir) may declare what its tests run
    with: the rootdir, and the folders above it up to the top of its repository (the one
    holding `.git`) or, outside one, up to the nearest folder holding a package's files
    (pyproject.toml, setup.py, setup.cfg) where the rootdir holds none: a suite with its
    own pytest.ini below (`tests/e2e/pytest.ini`) is installed from the requirements at
    the top. Else the rootdir alone."""
    found = [root]
    here = root
    for _ in range(MAX_DEPTH):
        if reads.kind(os.path.join(here, ".git")) is not None:  # (a folder, or a worktree's file)
            return found
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
        found.append(here)
    if not _holds_package(root):
        for at, folder in enumerate(found[1:], 2):
            if _holds_package(folder):
                return found[:at]
    return [root]


def _holds_package(folder: str) -> bool:
    return any(reads.kind(os.path.join(folder, name)) == "file" for name in PACKAGE_FILES)


def requirements(root: str) -> dict[str, list[Requirement]]:
    """Canonical name -> every requirement on it the project at `root` declares (in its
    `folders`)."""
    found: dict[str, list[Requirement]] = {}
    readers = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py,
               "tox.ini": _tox_ini, "noxfile.py": _noxfile, "Pipfile": _pipfile}
    where = folders(root)
    sources = [readers[name](os.path.join(folder, name)) for folder in where
               for name in FILES if reads.isfile(os.path.join(folder, name))]
    sources += [_requirements_file(path, set()) for folder in where
                for path in requirement_files(folder)]
    for source in sources:
        for requirement in _parsed(source):
            found.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


def requires_python(root: str) -> tuple[str, SpecifierSet] | None:
    """Which Pythons the project at `root` says it runs on, and where: the first
    pyproject.toml in its `folders` that says (`[project] requires-python`, else Poetry's
    `python` dependency, read by poetry-core). None where none says, or it cannot be read."""
    for folder in folders(root):
        path = os.path.join(folder, "pyproject.toml")
        if not reads.isfile(path):
            continue
        data = _toml(path)
        project_table = data.get("project")
        poetry = _get(data, "tool", "poetry", "dependencies")
        if isinstance(project_table, dict) and "requires-python" in project_table:
            said = _specifier(project_table["requires-python"])
        elif isinstance(poetry, dict) and "python" in poetry:
            found = [r.specifier for r in _parsed(_poetry("python", poetry["python"]))]
            said = found[0] if len(found) == 1 else None  # (not several constraints)
        else:
            continue
        return (path, said) if said else None  # (an empty one says nothing)
    return None


def _get(table: object, *keys: str) -> object:
    """table[k1][k2]..., None where a level is not a table."""
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table


def _specifier(text: object) -> SpecifierSet | None:
    try:
        return SpecifierSet(text) if isinstance(text, str) else None
    except InvalidSpecifier:
        return None


def locked(root: str) -> dict[str, set[Version]]:
    """Canonical name -> the versions the project's lock files pin it to (uv, PEP 751
    pylock, Poetry, PDM: TOML with a package table; Pipfile.lock: JSON), in its
    `folders`."""
    found: dict[str, set[Version]] = {}
    for path in (os.path.join(folder, n) for folder in folders(root) for n in LOCK_FILES):
        name = os.path.basename(path)
        if not reads.isfile(path):
            continue
        if name == "Pipfile.lock":
            pins = _pipfile_lock(path)
        else:
            data = _toml(path)
            packages = data.get("packages" if name == "pylock.toml" else "package", [])
            pins = ((p.get("name"), p.get("version")) for p in packages
                    if isinstance(p, dict)) if isinstance(packages, list) else iter(())
        for dist, version in pins:
            if not isinstance(dist, str) or not isinstance(version, str):
                continue
            try:
                pinned = Version(version)
            except InvalidVersion:
                continue
            found.setdefault(canonicalize_name(dist), set()).add(pinned)
    return found


def _pipfile_lock(path: str) -> Iterator[tuple[object, object]]:
    try:
        reads.file(path)
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError, UnicodeDecodeError):
        return
    if not isinstance(data, dict):
        return
    for section in ("default", "develop"):
        table = data.get(section)
        if isinstance(table, dict):
            for dist, info in table.items():
                version = info.get("version") if isinstance(info, dict) else None
                if isinstance(version, str) and version.startswith("=="):
                    yield dist, version[2:]


def requirement_files(root: str) -> list[str]:
    """requirements*.txt / *.in at the root and in test folders, and every .txt / .in in
    requirements folders."""
    found = []
    named = (root, *(os.path.join(root, d) for d in TEST_DIRS))  # (where the name says so)
    for directory in (*named, *(os.path.join(root, d) for d in REQUIREMENT_DIRS)):
        try:  # (where the name says so, the listing keeps requirement files only)
            names = sorted(reads.listdir(directory, reads.REQUIREMENTS if directory in named
                                         else reads.WHOLE))
        except OSError:
            continue
        found.extend(os.path.join(directory, n) for n in names
                     if n.endswith(reads.REQUIREMENT_SUFFIXES)
                     and (directory not in named or reads.is_requirements(n)))
    return found


def _parsed(strings: Iterable[str]) -> Iterator[Requirement]:
    for text in strings:
        try:
            yield Requirement(text.strip())
        except InvalidRequirement:
            continue


def _read(path: str) -> str | None:
    try:
        reads.file(path)
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(MAX_BYTES)
    except OSError:
        return None


def _toml(path: str) -> dict:
    try:
        reads.file(path)
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> Iterator[str]:
    """Strings in a list, or in the lists that are a table's values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, list):
                yield from (i for i in item if isinstance(i, str))


def _pyproject(path: str) -> Iterator[str]:
    data = _toml(path)
    project = data.get("project")
    if isinstance(project, dict):
        yield from _strings(project.get("dependencies"))
        yield from _strings(project.get("optional-dependencies"))
    yield from _strings(data.get("dependency-groups"))  # {"include-group": ...} items skipped
    tool = data.get("tool")
    if not isinstance(tool, dict):
        return
    poetry = tool.get("poetry")
    if isinstance(poetry, dict):  # keys are names
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        groups = poetry.get("group")
        if isinstance(groups, dict):
            tables.extend(g.get("dependencies") for g in groups.values() if isinstance(g, dict))
        for table in tables:
            if isinstance(table, dict):
                for key, value in table.items():
                    if key != "python":
                        yield from _poetry(key, value)
    pdm = tool.get("pdm")
    if isinstance(pdm, dict):
        yield from _strings(pdm.get("dev-dependencies"))
    hatch = tool.get("hatch")
    envs = hatch.get("envs") if isinstance(hatch, dict) else None
    if isinstance(envs, dict):
        for env in envs.values():
            if isinstance(env, dict):
                yield from _strings(env.get("dependencies"))
                yield from _strings(env.get("extra-dependencies"))


def _poetry(name: str, constraint: object) -> Iterator[str]:
    """PEP 508 strings for a Poetry dependency (`"^0.3"`, `{version = "~0.3"}`, a list of
    those), its constraints read by poetry-core, Poetry's own parser; only the name for
    a git, path or URL source, or a constraint poetry-core cannot read."""
    items = constraint if isinstance(constraint, list) else [constraint]
    for item in items:
        if not (isinstance(item, str) or (isinstance(item, dict) and "version" in item
                                          and not item.keys() & _POETRY_SOURCES)):
            yield name
            continue
        try:
            from poetry.core.factory import Factory

            yield Factory.create_dependency(name, item).to_pep_508()
        except Exception:  # (its errors on malformed input are of many kinds)
            yield name


# Poetry dependency keys that name a source other than an index (no version to read).
_POETRY_SOURCES = frozenset({"git", "path", "url", "file"})


def _pipfile(path: str) -> Iterator[str]:
    """Pipfile's tables: a name and a PEP 440 specifier (`"==0.3.0"`, `"*"`), or a table
    with one under `version`."""
    data = _toml(path)
    for table in ("packages", "dev-packages"):
        if isinstance(data.get(table), dict):
            for name, value in data[table].items():
                version = value.get("version") if isinstance(value, dict) else value
                pinned = isinstance(version, str) and version.strip() not in ("", "*")
                yield f"{name}{version}" if pinned else name


def _ini(path: str) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        reads.file(path)
        with open(path, encoding="utf-8", errors="replace") as fh:
            parser.read_file(fh)
    except (OSError, configparser.Error):
        return None
    return parser


def _lines(value: str) -> Iterator[str]:
    for line in value.splitlines():
        line = _strip_comment(line).strip()
        if line:
            yield line


def _setup_cfg(path: str) -> Iterator[str]:
    parser = _ini(path)
    if parser is None:
        return
    if parser.has_section("options"):
        for key in ("install_requires", "tests_require", "setup_requires"):
            yield from _lines(parser.get("options", key, fallback=""))
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            yield from _lines(value)


def _tox_ini(path: str) -> Iterator[str]:
    parser = _ini(path)
    if parser is None:
        return
    base = os.path.dirname(path)
    for section in parser.sections():
        if section == "testenv" or section.startswith("testenv:"):
            for line in _lines(parser.get(section, "deps", fallback="")):
                yield from _requirement_line(line, base, set())


def _literal_strings(node: ast.AST, lists: dict[str, list[ast.AST]]) -> Iterator[str]:
    """Strings of a literal list, tuple, set or dict (values), following module-level names
    (what they were assigned, added or appended) and list()/set()/sorted() around them."""
    if isinstance(node, ast.Name) and node.id in lists:
        for value in lists.pop(node.id):  # popped: a name is followed once
            yield from _literal_strings(value, lists)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for item in node.elts:
            yield from _literal_strings(item, lists)
    elif isinstance(node, ast.Dict):
        for item in node.values:
            yield from _literal_strings(item, lists)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _literal_strings(node.left, lists)
        yield from _literal_strings(node.right, lists)
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id in ("list", "set", "sorted", "tuple") and len(node.args) == 1):
        yield from _literal_strings(node.args[0], lists)


def _assigned(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Module-level name -> the values it is given: assigned, `+=`, .append(), .extend()."""
    found: dict[str, list[ast.AST]] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            found[stmt.targets[0].id] = [stmt.value]
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            found.setdefault(stmt.target.id, []).append(stmt.value)
        elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
              and isinstance(stmt.value.func, ast.Attribute)
              and stmt.value.func.attr in ("append", "extend")
              and isinstance(stmt.value.func.value, ast.Name) and stmt.value.args):
            found.setdefault(stmt.value.func.value.id, []).append(stmt.value.args[0])
    return found


def _setup_py(path: str) -> Iterator[str]:
    """What setup() is given for SETUP_KEYWORDS: as keywords, in a dict of keyword
    arguments, or through `kwargs["install_requires"] = ...`."""
    tree = project.parse_file(path)
    if tree is None:
        return
    lists = _assigned(tree)
    for node in ast.walk(tree):
        values: list[ast.AST] = []
        if isinstance(node, ast.Call):
            values = [k.value for k in node.keywords if k.arg in SETUP_KEYWORDS]
        elif isinstance(node, ast.Dict):
            values = [v for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and k.value in SETUP_KEYWORDS]
        elif isinstance(node, ast.Assign):
            values = [node.value for t in node.targets if isinstance(t, ast.Subscript)
                      and isinstance(t.slice, ast.Constant) and t.slice.value in SETUP_KEYWORDS]
        for value in values:
            yield from _literal_strings(value, lists)


def _noxfile(path: str) -> Iterator[str]:
    """session.install("a", "b>=1", "-r", "file.txt") calls."""
    tree = project.parse_file(path)
    if tree is None:
        return
    base = os.path.dirname(path)
    lists = _assigned(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "install"):
            args = [s for arg in node.args
                    for s in _literal_strings(arg, {k: list(v) for k, v in lists.items()})]
            for i, arg in enumerate(args):
                if arg in ("-r", "--requirement") and i + 1 < len(args):
                    yield from _requirements_file(os.path.join(base, args[i + 1]), set())
                elif not arg.startswith("-") and (i == 0 or args[i - 1] not in ("-r", "-c")):
                    yield arg


# -- requirements files, as pip reads them ----------------------------------------------------

def _strip_comment(line: str) -> str:
    """pip's rule: `#` at the start of a line or after whitespace starts a comment."""
    if line.lstrip().startswith("#"):
        return ""
    for i, ch in enumerate(line):
        if ch == "#" and i and line[i - 1] in " \t":
            return line[:i]
    return line


def _requirements_file(path: str, seen: set[str]) -> Iterator[str]:
    path = os.path.normpath(path)
    if path in seen or len(seen) >= MAX_INCLUDES:
        return
    seen.add(path)
    text = _read(path)
    if text is None:
        return
    joined = text.replace("\\\n", "")  # pip joins continued lines first
    base = os.path.dirname(path)
    for line in joined.splitlines():
        line = _strip_comment(line).strip()
        if line:
            yield from _requirement_line(line, base, seen)


def _requirement_line(line: str, base: str, seen: set[str]) -> Iterator[str]:
    if line.startswith("-"):
        option, _, value = line.partition(" ")
        if "=" in option and not value:
            option, _, value = option.partition("=")
        elif option[:2] in ("-r", "-c") and len(option) > 2:  # -rfile.txt
            option, value = option[:2], option[2:]
        if option in ("-r", "--requirement", "-c", "--constraint") and value.strip():
            if option in ("-r", "--requirement"):
                yield from _requirements_file(os.path.join(base, value.strip()), seen)
        return  # other options (-e, -i, --hash ...) name no requirement to read here
    yield line.split(" --", 1)[0]  # per-requirement options (--hash=...) follow the spec
