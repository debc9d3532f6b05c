"""pytest plugins this tool knows by name: which run async tests, and under what names
pytest loads them (their `pytest11` entry point, the module `-p` and `pytest_plugins` give).
tests/test_runner.py checks the table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownPlugin:
    distribution: str  # canonical name on PyPI
    entry_point: str  # the pytest11 name (`-p NAME`, `-p no:NAME`)
    module: str  # the module it loads
    runs_async_tests: bool  # runs unmarked async tests (and fixtures) by itself


ASYNCIO = "pytest-asyncio"
KNOWN: tuple[KnownPlugin, ...] = (
    KnownPlugin(ASYNCIO, "asyncio", "pytest_asyncio.plugin", False),
    KnownPlugin("pytest-aio", "aio", "pytest_aio.plugin", True),
    KnownPlugin("pytest-asyncio-cooperative", "asyncio-cooperative",
                "pytest_asyncio_cooperative.plugin", True),
    KnownPlugin("pytest-curio", "curio", "pytest_curio.plugin", True),
    KnownPlugin("pytest-sanic", "sanic", "pytest_sanic.plugin", True),
    KnownPlugin("pytest-tornado", "tornado", "pytest_tornado.plugin", True),
    KnownPlugin("pytest-tornasync", "tornado", "pytest_tornasync.plugin", True),
    KnownPlugin("pytest-twisted", "twisted", "pytest_twisted", True),
    # These run only tests marked for them (or in their own mode, read from the config).
    # pytest-aiohttp before 1.0 loaded aiohttp's own plugin, whose pytest_pyfunc_call runs
    # every coroutine test.
    KnownPlugin("pytest-aiohttp", "aiohttp", "pytest_aiohttp.plugin", False),
    KnownPlugin("pytest-trio", "trio", "pytest_trio.plugin", False),
    KnownPlugin("anyio", "anyio", "anyio.pytest_plugin", False),
)
BY_DISTRIBUTION = {p.distribution: p for p in KNOWN}
# pytest plugins that run no test themselves, sync or async (among the most downloaded on
# PyPI): a project that declares a plugin named for pytest (`pytest-x`, `x-pytest`; not
# `flake8-pytest-style`) that is neither here nor in KNOWN may have it run its async tests.
NO_RUNNERS = frozenset({
    "allure-pytest", "pylint-pytest", "pytest-alembic", "pytest-ansible", "pytest-assume",
    "pytest-azurepipelines", "pytest-base-url", "pytest-bdd", "pytest-benchmark",
    "pytest-cache", "pytest-cases", "pytest-celery", "pytest-check", "pytest-clarity",
    "pytest-codspeed", "pytest-cov", "pytest-cover", "pytest-coverage", "pytest-cpp",
    "pytest-csv", "pytest-custom-exit-code", "pytest-datadir", "pytest-deadfixtures",
    "pytest-dependency", "pytest-describe", "pytest-django", "pytest-docker",
    "pytest-docker-tools", "pytest-doctestplus", "pytest-dotenv", "pytest-durations",
    "pytest-env", "pytest-examples", "pytest-factoryboy", "pytest-filter-subpackage",
    "pytest-find-dependencies", "pytest-flake8", "pytest-flakefinder", "pytest-flask",
    "pytest-forked", "pytest-freezegun", "pytest-freezer",
    "pytest-github-actions-annotate-failures", "pytest-harvest", "pytest-html",
    "pytest-html-merger", "pytest-httpserver", "pytest-httpx", "pytest-icdiff",
    "pytest-instafail", "pytest-json-ctrf", "pytest-json-report", "pytest-lazy-fixture",
    "pytest-lazy-fixtures", "pytest-localserver", "pytest-markdown-docs", "pytest-md",
    "pytest-md-report", "pytest-memray", "pytest-messenger", "pytest-metadata",
    "pytest-mock", "pytest-mock-resources", "pytest-mpl", "pytest-mypy",
    "pytest-mypy-plugins", "pytest-mypy-testing", "pytest-mysql",
    "pytest-nunit", "pytest-opentelemetry", "pytest-order", "pytest-ordering",
    "pytest-picked", "pytest-playwright", "pytest-postgresql", "pytest-pretty",
    "pytest-profiling", "pytest-pylint", "pytest-qt", "pytest-random-order",
    "pytest-randomly", "pytest-recording", "pytest-regressions", "pytest-remotedata",
    "pytest-repeat", "pytest-reportlog", "pytest-reportportal", "pytest-rerunfailures",
    "pytest-retry", "pytest-runner", "pytest-selenium", "pytest-sftpserver", "pytest-shard",
    "pytest-snapshot", "pytest-socket", "pytest-split", "pytest-structlog",
    "pytest-subprocess", "pytest-subtests", "pytest-sugar", "pytest-test-groups",
    "pytest-testinfra", "pytest-testmon", "pytest-timeout", "pytest-timeouts",
    "pytest-timestamper", "pytest-unordered", "pytest-variables", "pytest-vcr",
    "pytest-watch", "pytest-watcher", "pytest-xdist", "pytest-xprocess",
})


def named_for_pytest(distribution: str) -> bool:
    """Is a (canonical) distribution name that of a pytest plugin, as such names go?"""
    return distribution.startswith("pytest-") or distribution.endswith("-pytest")


# The mark of each plugin that runs only the async tests marked for it (AT100's advice).
MARKS = {"anyio": "anyio", "pytest-trio": "trio"}
RUNNER_DISTRIBUTIONS = frozenset(p.distribution for p in KNOWN if p.runs_async_tests)
# Releases, sampled, to tell whether a project pins only releases before a given one
# (plugins.pins_before takes those from that one on, and also tries the versions a pin
# names): pytest-asyncio's, and pytest-aiohttp's from 1.0 on.
SAMPLED_RELEASES = {
    ASYNCIO: ("0.18.0", "0.18.3", "0.19.0", "0.20.3", "0.21.2", "0.23.8", "0.24.0", "0.25.3",
              "0.26.0", "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "2.0.0"),
    "pytest-aiohttp": ("1.0.0", "1.0.5", "1.1.0", "2.0.0"),
}
# First releases that changed what a rule reads:
# - 1.0 (both): pytest-asyncio's before it still have the `event_loop` fixture;
#   pytest-aiohttp's run unmarked async tests by themselves.
FIRST_1 = "1.0.0"
RAN_THEM_BEFORE_1 = frozenset({"pytest-aiohttp"})  # (and stopped at 1.0)
# - pytest-asyncio's first release that warns about its mark on a sync test: before it the
#   mark on a sync test gives that test the `event_loop` fixture and sets it as the
#   current loop (not an error, nor ignored).
WARNS_ON_SYNC_MARK = "0.18.0"
# - its first whose default mode is strict: before it (0.17, 0.18) the default was legacy,
#   which runs async fixtures under plain @pytest.fixture (with a DeprecationWarning), as
#   every release before modes did.
STRICT_BY_DEFAULT = "0.19.0"
# - its first that deprecates `pytest.mark.asyncio(scope=...)`, for `loop_scope=`, new in
#   the same release (0.23 had only `scope=`).
DEPRECATES_MARK_SCOPE = "0.24.0"
# - its first that deprecates overriding the `event_loop_policy` fixture, for its
#   `pytest_asyncio_loop_factories` hook, new in the same release.
DEPRECATES_POLICY = "1.4.0"
# Fixtures only those plugins give (a test that requests one, where the project defines no
# such fixture, has the plugin).
PLUGIN_FIXTURES = dict.fromkeys(
    ("aiohttp_client", "aiohttp_server", "aiohttp_raw_server", "aiohttp_unused_port",
     "aiohttp_client_cls"), "pytest-aiohttp")
# Every distribution known to run async tests, by itself or those marked for it.
ASYNC_DISTRIBUTIONS = frozenset(p.distribution for p in KNOWN)


def by_module(name: str) -> KnownPlugin | None:
    """The known plugin a module name (or one of its packages) belongs to."""
    for plugin in KNOWN:
        top = plugin.module.split(".")[0]
        if name == plugin.module or name == top or name.startswith(top + "."):
            return plugin
    return None


def by_entry_point(name: str) -> list[KnownPlugin]:
    return [p for p in KNOWN if p.entry_point == name]
