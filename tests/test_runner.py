"""The runner model: which pytest plugins a project loads and whether they run async tests.

Dependencies are read with each format's parser; `pytest_plugins` in every form Python
allows; plugin modules read with `ast`; unknown plugins are unknown, never "plain".
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import textwrap

import pytest
from packaging.utils import canonicalize_name

from flake8_async_tests import caches
from flake8_async_tests.model import dependencies, known, loops, plugins
from harness import lint, places

UNMARKED = "async def test_x():\n    pass\n"


def test_the_known_table_is_well_formed_and_agrees_with_installed_plugins():
    distributions = [p.distribution for p in known.KNOWN]
    assert len(distributions) == len(set(distributions))
    assert all(canonicalize_name(d) == d for d in distributions)
    assert all(all(part.isidentifier() for part in p.module.split(".")) for p in known.KNOWN)
    assert known.BY_DISTRIBUTION[known.ASYNCIO].runs_async_tests is False
    checked = 0
    for entry in importlib.metadata.entry_points(group="pytest11"):
        name = canonicalize_name(entry.dist.name) if entry.dist else None
        plugin = known.BY_DISTRIBUTION.get(name)
        if plugin is not None:
            assert (entry.name, entry.value) == (plugin.entry_point, plugin.module)
            checked += 1
    assert checked >= 2  # pytest-asyncio and anyio are installed with the test extra


@pytest.mark.parametrize("source, names", [
    ("pytest_plugins = ['a.b', 'c']", [(1, "a.b"), (1, "c")]),
    ("pytest_plugins: list[str] = ['a.b']", [(1, "a.b")]),
    ("pytest_plugins = ('a',)\npytest_plugins += ['b']", [(1, "a"), (2, "b")]),
    ("pytest_plugins = 'a, b'", [(1, "a"), (1, "b")]),
    ("pytest_plugins = PLUGINS", [(1, None)]),
    ("pytest_plugins = ['a', name]", [(1, "a"), (1, None)]),
    ("try:\n    import x\nexcept ImportError:\n    pass\nelse:\n    pytest_plugins = ['x']",
     [(6, "x")]),
    ("def f():\n    pytest_plugins = ['hidden']", []),
    ("pytest_plugins: list[str] = []\nif x:\n    pytest_plugins.append('a.fixtures')\n"
     "pytest_plugins.extend(['b', c])", [(3, "a.fixtures"), (4, "b"), (4, None)]),
    ("pytest_plugins: list[str]", []),
])
def test_pytest_plugins_in_every_form(source, names):
    assert list(plugins.pytest_plugins(ast.parse(source))) == names


@pytest.mark.parametrize("where, text, names", [
    ("setup.py", "TESTS = ['pytest-sanic>=1', 'pytest']\n"
                 "setup(name='x', tests_require=TESTS, install_requires=['a'] + ['b'])\n",
     {"pytest-sanic", "pytest", "a", "b"}),
    ("setup.py", "setup(extras_require={'test': ['Pytest_Tornasync']})\n", {"pytest-tornasync"}),
    ("setup.py", "tests_require = ['pytest-sanic']\n", set()),  # never given to setup()
    # sanic's setup.py: names, a dict of extras, kwargs set by subscript, setup(**kwargs).
    ("setup.py", "kwargs = {'name': 'x'}\nbase = ['a']\nbase.append('b')\n"
                 "tests = ['pytest-sanic']\ndev = tests + ['c']\nall_ = list(set(dev))\n"
                 "extras = {'test': tests, 'dev': dev, 'all': all_}\n"
                 "kwargs['install_requires'] = base\nkwargs['extras_require'] = extras\n"
                 "setup(**kwargs)\n", {"a", "b", "pytest-sanic", "c"}),
    ("setup.py", "setup(**{'tests_require': ['d']})\n", {"d"}),
    ("pyproject.toml", '[project]\ndependencies = ["a>=1; python_version<\'3.12\'"]\n'
                       '[project.optional-dependencies]\ntest = ["b[x]"]\n'
                       '[dependency-groups]\ndev = ["c", {include-group = "test"}]\n',
     {"a", "b", "c"}),
    ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.10"\nd = "*"\n'
                       '[tool.poetry.group.test.dependencies]\npytest-aio = "*"\n',
     {"d", "pytest-aio"}),
    ("pyproject.toml", "[project\nbroken", set()),
    ("setup.cfg", "[options]\ninstall_requires =\n    a  # why\n    b\n"
                  "[options.extras_require]\ntest =\n    pytest-twisted\n",
     {"a", "b", "pytest-twisted"}),
    ("requirements-dev.txt", "# comment\n-r ci/base.txt\n-e .\n--index-url x\n"
                             "pytest-asyncio-cooperative==0.3 --hash=sha256:ab\nnot a req!\n"
                             "d  # trailing comment\n",
     {"pytest-asyncio-cooperative", "base-dep", "d"}),
    ("requirements/test.txt", "pytest-asyncio==1.2\npytest-aiohttp\n",
     {"pytest-asyncio", "pytest-aiohttp"}),
    ("tox.ini", "[testenv]\ndeps =\n    pytest-twisted\n    -rci/base.txt\n",
     {"pytest-twisted", "base-dep"}),
    ("Pipfile", '[dev-packages]\npytest-curio = "*"\n', {"pytest-curio"}),
    ("noxfile.py", "def tests(session):\n    session.install('pytest-sanic', '-r', "
                   "'ci/base.txt')\n", {"pytest-sanic", "base-dep"}),
    ("docs.txt", "pytest-sanic\n", set()),  # not a requirements file
])
def test_declared_dependencies(tmp_path, where, text, names):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "ci").mkdir()  # not a requirements folder: read only through -r
    (tmp_path / "ci" / "base.txt").write_text("base-dep\n", encoding="utf-8")
    path = tmp_path / where
    path.write_text(text, encoding="utf-8")
    assert dependencies.declared(str(tmp_path)) == names


@pytest.mark.parametrize("text, found", [
    ('[project]\nname = "x"\nrequires-python = ">=3.12"\n', ">=3.12"),
    ('[project]\nname = "x"\nrequires-python = "3.12 or later"\n', None),  # not PEP 440
    ('[project]\nname = "x"\nrequires-python = 3.12\n', None),
    ('[project]\nname = "x"\n', None),
    # Poetry's constraint, read by poetry-core; `*` says nothing
    ('[tool.poetry.dependencies]\npython = "^3.12"\n', "<4.0,>=3.12"),
    ('[tool.poetry.dependencies]\npython = "*"\n', None),
    ("[project\nbroken", None),
])
def test_requires_python(tmp_path, text, found):
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    said = dependencies.requires_python(str(tmp_path))
    assert (str(said[1]) if said else None) == found
    if said:
        assert said[0] == str(tmp_path / "pyproject.toml")


def test_requires_python_at_the_top_of_the_repository(tmp_path):
    """A suite with its own pytest.ini below reads what the repository's package says."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nrequires-python = ">=3.14"\n', encoding="utf-8")
    suite = tmp_path / "tests" / "e2e"
    suite.mkdir(parents=True)
    (suite / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    said = dependencies.requires_python(str(suite))
    assert said is not None and (said[0], str(said[1])) == (
        str(tmp_path / "pyproject.toml"), ">=3.14")


@pytest.mark.parametrize("where, text, pins", [
    ("uv.lock", 'version = 1\n[[package]]\nname = "Pytest_Asyncio"\nversion = "0.21.2"\n'
                '[[package]]\nname = "editable"\nsource = { editable = "." }\n',
     {"pytest-asyncio": {"0.21.2"}}),
    ("pylock.toml", 'lock-version = "1.0"\n[[packages]]\nname = "anyio"\nversion = "4.9.0"\n',
     {"anyio": {"4.9.0"}}),
    ("poetry.lock", '[[package]]\nname = "pytest-asyncio"\nversion = "1.3.0"\n'
                    '[[package]]\nname = "pytest-asyncio"\nversion = "0.23.8"\n',
     {"pytest-asyncio": {"1.3.0", "0.23.8"}}),
    ("pdm.lock", '[[package]]\nname = "trio"\nversion = "not a version"\n', {}),
    ("Pipfile.lock", '{"default": {"a": {"version": "==1.0"}}, '
                     '"develop": {"pytest-asyncio": {"version": "==0.21.1"}, "b": {}}}',
     {"a": {"1.0"}, "pytest-asyncio": {"0.21.1"}}),
    ("Pipfile.lock", "{not json", {}),
    ("uv.lock", "[[package]\nbroken", {}),
])
def test_lock_files(tmp_path, where, text, pins):
    (tmp_path / where).write_text(text, encoding="utf-8")
    found = dependencies.locked(str(tmp_path))
    assert {name: {str(v) for v in versions} for name, versions in found.items()} == pins


def test_plugins_named_for_pytest_and_those_known_to_run_nothing():
    assert known.named_for_pytest("pytest-rst") and known.named_for_pytest("aiomisc-pytest")
    assert not known.named_for_pytest("flake8-pytest-style")
    assert not known.named_for_pytest("pytest")
    assert all(known.named_for_pytest(name) for name in known.NO_RUNNERS)
    assert not known.NO_RUNNERS & set(known.BY_DISTRIBUTION)
    assert all(canonicalize_name(name) == name for name in known.NO_RUNNERS)


def test_a_declared_plugin_this_tool_does_not_know_is_listed(tmp_path):
    (tmp_path / "requirements-dev.txt").write_text(
        "pytest\npytest-cov\naiomisc-pytest>=2\nflake8-pytest-style\npytest-asyncio\n",
        encoding="utf-8")
    assert plugins.unknown_declared_plugins(str(tmp_path)) == ["aiomisc-pytest"]
    assert plugins.installed_plugin_modules("aiomisc-pytest") is None  # (not installed here)
    assert plugins.installed_plugin_modules("pytest-asyncio") == ("pytest_asyncio.plugin",)


@pytest.mark.parametrize("layout, found", [
    # a repository: every folder from the suite's rootdir to its top
    ({".git/HEAD": "", "pyproject.toml": "", "tests/e2e/pytest.ini": "[pytest]\n"},
     ["tests/e2e", "tests", "."]),
    ({".git": "gitdir: elsewhere\n", "tests/e2e/pytest.ini": "[pytest]\n"},  # a worktree
     ["tests/e2e", "tests", "."]),
    # an sdist or an export: up to the nearest folder with a package's files
    ({"setup.py": "", "tests/e2e/pytest.ini": "[pytest]\n"}, ["tests/e2e", "tests", "."]),
    # a suite that is a package itself, or with nothing above: its own folder
    ({"setup.py": "", "tests/e2e/pyproject.toml": ""}, ["tests/e2e"]),
    ({"tests/e2e/pytest.ini": "[pytest]\n"}, ["tests/e2e"]),
], ids=["repository", "git-file", "package-above", "package-itself", "nothing-above"])
def test_where_a_suite_below_declares_its_dependencies(tmp_path, layout, found):
    root = tmp_path / "repo"
    for name, text in layout.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    folders = dependencies.folders(str(root / "tests" / "e2e"))
    assert [os.path.relpath(f, root) for f in folders] == found


def test_a_suite_below_is_read_with_the_pins_at_the_top(tmp_path):
    """Distilled from azure-iot-sdk-python: CI installs the top's requirements_test.txt
    (pytest-asyncio <= 0.16), then runs pytest in tests/e2e, which has its own pytest.ini:
    the event_loop fixture it overrides is still pytest-asyncio's (no AT106)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "requirements_test.txt").write_text("pytest < 8.0.0\npytest-asyncio <= 0.16\n",
                                                    encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    e2e = tmp_path / "tests" / "e2e"
    e2e.mkdir(parents=True)
    (e2e / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (e2e / "conftest.py").write_text(textwrap.dedent("""\
        import asyncio

        import pytest


        @pytest.fixture(scope="session")
        def event_loop():
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()
        """), encoding="utf-8")
    run = lint(e2e, ["--async-tests-explain", "--async-tests-no-cache"])
    assert places(run.found) == set()
    assert [(s.path, s.line, s.code) for s in run.silences] == [("conftest.py", 7, "AT106")]
    (tmp_path / ".git").rmdir()  # nothing says the top is the suite's: its pins are not read
    assert places(lint(e2e, ["--async-tests-no-cache"]).found) == {("conftest.py", 7, "AT106")}


def test_declared_dependencies_are_read_again_on_a_new_run(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pytest-sanic\n", encoding="utf-8")
    caches.new_run()
    assert plugins.declared_runners(str(tmp_path)) == {"pytest-sanic"}
    requirements.write_text("pytest-asyncio\nsome-other-package\n", encoding="utf-8")
    caches.new_run()
    assert plugins.declared_runners(str(tmp_path)) == set()


@pytest.mark.parametrize("text, runs", [
    ("pytest-aiohttp==0.3.0\n", True),
    ("pytest-aiohttp<1\n", True),
    ("pytest-aiohttp~=0.3\n", True),
    ("pytest-aiohttp==1.0.4\n", False),  # (no release the table samples)
    ("pytest-aiohttp==1.1.1\n", False),
    ("pytest-aiohttp>=1.0.1,<1.0.5\n", False),
    ("pytest-aiohttp==1.2.*\n", False),
    ("pytest-aiohttp\n", False),
    ("pytest-aiohttp>=0.3\n", False),
])
def test_pytest_aiohttp_runs_async_tests_only_below_1(tmp_path, text, runs):
    """Its releases before 1.0 load aiohttp's own plugin, which runs every coroutine test;
    a pin is old only when no release from 1.0 on fits it, those it names included."""
    (tmp_path / "requirements.txt").write_text(text, encoding="utf-8")
    caches.new_run()
    assert ("pytest-aiohttp" in plugins.declared_runners(str(tmp_path))) is runs


@pytest.mark.parametrize("where, text, specifiers", [
    # Poetry's constraints, read by poetry-core: caret, tilde, exact, tables and lists
    ("pyproject.toml", '[tool.poetry.dev-dependencies]\npytest-aiohttp = "^0.3.0"\n',
     ["<0.4.0,>=0.3.0"]),
    ("pyproject.toml", '[tool.poetry.group.test.dependencies]\n'
                       'pytest-aiohttp = { version = "~0.3.1", optional = true }\n',
     ["<0.4.0,>=0.3.1"]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npytest-aiohttp = "0.3.0"\n', ["==0.3.0"]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npytest-aiohttp = [\n'
                       '  { version = "^0.3", python = "<3.8" },\n'
                       '  { version = "^1.0", python = ">=3.8" },\n]\n',
     ["<0.4,>=0.3", "<2.0,>=1.0"]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npytest-aiohttp = "*"\n', [""]),
    ("pyproject.toml", '[tool.poetry.dependencies]\n'
                       'pytest-aiohttp = { git = "https://example.org/x.git" }\n', [""]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npytest-aiohttp = "^not a version"\n',
     [""]),
    # Pipfile: a PEP 440 specifier or "*", alone or under `version`
    ("Pipfile", '[dev-packages]\npytest-aiohttp = "==0.3.0"\n', ["==0.3.0"]),
    ("Pipfile", '[packages]\npytest-aiohttp = { version = "<1" }\n', ["<1"]),
    ("Pipfile", '[packages]\npytest-aiohttp = "*"\n', [""]),
])
def test_declared_versions(tmp_path, where, text, specifiers):
    (tmp_path / where).write_text(text, encoding="utf-8")
    found = dependencies.requirements(str(tmp_path))["pytest-aiohttp"]
    assert [str(requirement.specifier) for requirement in found] == specifiers


def test_one_declaration_pinned_below_1_may_be_what_runs_the_tests(tmp_path):
    """Distilled from matrix-nio: Poetry pins pytest-aiohttp to 0.3, a requirements file
    for tox names it bare. Either may be installed: the old one runs every async test."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry.dev-dependencies]\npytest-aiohttp = "^0.3.0"\n', encoding="utf-8")
    (tmp_path / "test-requirements.txt").write_text("pytest-aiohttp\n", encoding="utf-8")
    caches.new_run()
    assert "pytest-aiohttp" in plugins.declared_runners(str(tmp_path))
    assert not plugins.pins_before_1(str(tmp_path), "pytest-aiohttp")  # not every one


def test_a_poetry_pin_from_1_on_runs_nothing(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry.group.test.dependencies]\npytest-aiohttp = { version = "^1.0" }\n',
        encoding="utf-8")
    caches.new_run()
    assert "pytest-aiohttp" not in plugins.declared_runners(str(tmp_path))


BEFORE_1, BEFORE_POLICY, BEFORE_LOOP_SCOPE = known.FIRST_1, "1.4.0", "0.24.0"


@pytest.mark.parametrize("release, text, old", [
    (BEFORE_1, "pytest-asyncio==0.21.2\n", True),
    (BEFORE_1, "pytest-asyncio==1.4.1\n", False),
    (BEFORE_1, "pytest-asyncio==1.1.1\n", False),
    (BEFORE_1, "pytest-asyncio<2\n", False),
    (BEFORE_POLICY, "pytest-asyncio==1.2.0\n", True),  # (mitmproxy's pin)
    (BEFORE_POLICY, "pytest-asyncio>=1,<1.4\n", True),
    (BEFORE_POLICY, "pytest-asyncio==0.21.2\n", True),
    (BEFORE_POLICY, "pytest-asyncio==1.4.0\n", False),
    (BEFORE_POLICY, "pytest-asyncio~=1.3\n", False),  # (1.4 and later too)
    (BEFORE_POLICY, "pytest-asyncio\n", False),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio==0.23.8\n", True),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio<0.24\n", True),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio>=0.23,<0.24\n", True),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio==0.24.0\n", False),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio>=0.23\n", False),
    (BEFORE_LOOP_SCOPE, "pytest-asyncio\n", False),
])
def test_a_pin_of_pytest_asyncio_before_a_release(tmp_path, release, text, old):
    """Releases before 1.0 (the event_loop fixture), 1.4 (event_loop_policy deprecated)
    and 0.24 (the mark's loop_scope=)."""
    assert {BEFORE_POLICY, BEFORE_LOOP_SCOPE} == {known.DEPRECATES_POLICY,
                                                  known.DEPRECATES_MARK_SCOPE}
    (tmp_path / "requirements.txt").write_text(text, encoding="utf-8")
    caches.new_run()
    assert plugins.pins_before(str(tmp_path), known.ASYNCIO, release) is old


@pytest.mark.parametrize("module, kind", [
    ("def pytest_pyfunc_call(pyfuncitem):\n    return None\n", "runner"),
    ("if True:\n    def pytest_pycollect_makeitem(collector, name, obj):\n        pass\n",
     "runner"),
    ("from pytest_sanic.plugin import *\n", "runner"),
    ("from pytest_tornasync.plugin import pytest_pyfunc_call\n", "runner"),
    ("from helpers.nowhere import *\n", "unknown"),
    ("pytest_plugins = ['pytest_twisted']\n", "runner"),
    ("import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n", "plain"),
    ("pytest_plugins = ['pytester']\n", "plain"),
    ("def broken(:\n", "unknown"),
])
def test_a_plugin_module_of_the_project_is_read(tmp_path, module, kind):
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "support" / "plugin.py").write_text(module, encoding="utf-8")
    assert plugins.classify("support.plugin", (str(tmp_path),))[0] == kind


@pytest.mark.parametrize("name, kind", [
    ("pytester", "plain"), ("_pytest.pytester", "plain"), ("no:asyncio", "plain"),
    ("pytest_asyncio", "asyncio"), ("anyio", "plain"), ("pytest_sanic.plugin", "runner"),
    ("nowhere_to_be_found", "unknown"),
])
def test_plugin_names(name, kind):
    assert plugins.classify(name, ())[0] == kind


def _project(tmp_path, conftest: str, files: dict[str, str] | None = None):
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(textwrap.dedent(conftest), encoding="utf-8")
    (tmp_path / "tests" / "test_a.py").write_text(UNMARKED, encoding="utf-8")
    for name, text in (files or {}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return places(lint(tmp_path, []).found)


def test_annotated_pytest_plugins_with_a_runner_silences_at100(tmp_path):
    assert _project(tmp_path, "pytest_plugins: list[str] = ['pytest_sanic.plugin']\n") == set()


def test_a_project_plugin_that_runs_coroutines_silences_at100(tmp_path):
    found = _project(tmp_path, "pytest_plugins = ['support.runner']\n", {
        "support/__init__.py": "",
        "support/runner.py": """\
            import asyncio, inspect

            def pytest_pyfunc_call(pyfuncitem):
                if inspect.iscoroutinefunction(pyfuncitem.obj):
                    asyncio.run(pyfuncitem.obj())
                    return True
            """,
    })
    assert found == set()


def test_a_fixtures_only_plugin_module_does_not_hide_at100(tmp_path):
    found = _project(tmp_path, "pytest_plugins = ['support.fixtures', 'pytester']\n", {
        "support/__init__.py": "",
        "support/fixtures.py": "import pytest\n\n@pytest.fixture\ndef db():\n    return 1\n",
    })
    assert found == {("tests/test_a.py", 1, "AT100")}


def test_an_unknown_plugin_silences_at100(tmp_path):
    assert _project(tmp_path, "pytest_plugins = ['private_company_plugin']\n") == set()


def test_a_runner_named_with_p_in_addopts_silences_at100(tmp_path):
    found = _project(tmp_path, "")
    assert found == {("tests/test_a.py", 1, "AT100")}
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = -p sanic\n", encoding="utf-8")
    assert places(lint(tmp_path, []).found) == set()


def test_the_project_plugin_fixture_really_runs_its_async_test(tmp_path):
    """Runtime truth for the silent fixture: real pytest runs the unmarked async test through
    the project's pytest_pyfunc_call, so AT100 would have been false."""
    import os
    import shutil
    import subprocess
    import sys

    from harness import FIXTURES

    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "runner_plugin_module", root)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n",
                                     encoding="utf-8")
    (root / "tests" / "test_run_by_plugin.py").write_text(
        "import asyncio\n\n\nasync def test_runs():\n    asyncio.get_running_loop()\n"
        "    raise AssertionError('ran')\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-W", "error", "tests"], cwd=root, capture_output=True, text=True,
                          timeout=300, env={k: v for k, v in os.environ.items()
                                            if not k.startswith("PYTEST")})
    assert "AssertionError: ran" in proc.stdout and "1 failed" in proc.stdout, proc.stdout


# -- which loop pytest-asyncio runs a fixture or test on (model/loops.py) -------------------

@pytest.mark.parametrize("decorator, default, scopes", [
    ("pytest_asyncio.fixture", None, ("function", "function")),
    ("pytest_asyncio.fixture(scope='module')", None, ("module", "module")),
    ("pytest_asyncio.fixture(scope='module')", "fixture-scope", ("module", "module")),
    ("pytest_asyncio.fixture(scope='module')", "function", ("module", "function")),
    ("pytest_asyncio.fixture(scope='class', loop_scope='session')", "function",
     ("class", "session")),
    ("pytest_asyncio.fixture(loop_scope=SCOPE)", None, ("function", "unknown")),
    ("pytest_asyncio.fixture(**options)", None, ("unknown", "unknown")),
    ("pytest_asyncio.fixture", "sometimes", ("function", "unknown")),
])
def test_fixture_loop_scopes_as_pytest_asyncio_reads_them(decorator, default, scopes):
    """loop_scope=, else asyncio_default_fixture_loop_scope, where unset and
    "fixture-scope" mean the fixture's own scope."""
    assert loops.fixture_scopes(ast.parse(decorator, mode="eval").body, default) == scopes


@pytest.mark.parametrize("mark, scope", [
    ("pytest.mark.asyncio", None),
    ("pytest.mark.asyncio()", None),
    ("pytest.mark.asyncio(loop_scope='module')", "module"),
    ("pytest.mark.asyncio(scope='class')", "class"),  # deprecated spelling, still read
    ("pytest.mark.asyncio(loop_scope=name)", "unknown"),
])
def test_mark_loop_scope(mark, scope):
    assert loops.mark_loop_scope(ast.parse(mark, mode="eval").body) == scope


def test_marks_of_a_conftest_fixtures_params_reach_tests_that_import_a_module_of_its_name(
        tmp_path):
    """Distilled from asgi-lifespan: `from . import concurrency` (a submodule) does not hide
    the conftest fixture `concurrency`, whose params carry the asyncio and trio marks:
    pytest marks each test it parametrizes, and the runners run them. A module imported
    under a fixture's name is no fixture; a name imported from a module may be one, or may
    not (then the conftest's applies): either way the marks may reach the test."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("", encoding="utf-8")
    (tests / "concurrency.py").write_text("def sleep():\n    pass\n", encoding="utf-8")
    (tests / "helpers.py").write_text("def concurrency():\n    pass\n", encoding="utf-8")
    (tests / "conftest.py").write_text(textwrap.dedent("""\
        import pytest


        @pytest.fixture(params=[
            pytest.param("asyncio", marks=pytest.mark.asyncio),
            pytest.param("trio", marks=pytest.mark.trio),
        ])
        def concurrency(request):
            return request.param
        """), encoding="utf-8")
    (tests / "test_module.py").write_text(textwrap.dedent("""\
        import pytest

        from . import concurrency


        @pytest.mark.usefixtures("concurrency")
        async def test_uses_it():
            pass
        """), encoding="utf-8")
    (tests / "test_name.py").write_text(textwrap.dedent("""\
        import pytest

        from .helpers import concurrency


        @pytest.mark.usefixtures("concurrency")
        async def test_uses_it():
            pass
        """), encoding="utf-8")
    run = lint(tmp_path, ["--async-tests-explain", "--async-tests-no-cache"])
    assert places(run.found) == set()
    assert sorted((s.path, s.line, s.reason) for s in run.silences if s.code == "AT100") == [
        ("tests/test_module.py", 7, "fixture concurrency (tests/conftest.py:8) marks the "
                                    "tests it parametrizes through its params: asyncio, trio"),
        ("tests/test_name.py", 7, "fixture concurrency (tests/conftest.py:8) marks the "
                                  "tests it parametrizes through its params: asyncio, trio"),
    ]


def test_an_autouse_anyio_backend_fixture_really_runs_unmarked_async_tests(tmp_path):
    """Runtime truth for the anyio_backend_autouse project: anyio's plugin runs its
    unmarked async test and async fixture (pytest-asyncio in strict mode leaves them), so
    AT100 and AT104 would have been false (found on watchfiles' suite)."""
    import os
    import shutil
    import subprocess
    import sys

    from harness import FIXTURES

    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "anyio_backend_autouse", root)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-W", "error", "tests"], cwd=root, capture_output=True, text=True,
                          timeout=300, env={k: v for k, v in os.environ.items()
                                            if not k.startswith("PYTEST")})
    assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout + proc.stderr
