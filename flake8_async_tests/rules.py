"""The registry of rules: the one place that names every code.

Messages, the README table, the doc pages and the tests all read this table.
A message is one sentence naming the problem, then the fix after a semicolon;
the plugin appends the rule's doc page.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS_BASE = "docs/rules"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case
    family: str  # module under flake8_async_tests/checks/
    summary: str  # one line for tables
    message: str  # str.format template, named fields only

    @property
    def doc(self) -> str:
        return f"{DOCS_BASE}/{self.code}.md"

    def format(self, **fields: object) -> str:
        return f"{self.code} {self.message.format(**fields)} [{self.doc}]"


RULES: tuple[Rule, ...] = (
    Rule(
        "AT000",
        "internal-error",
        "plugin",
        "A rule family failed on this file (reported only with --async-tests-report-errors).",
        "flake8-async-tests could not run its {family} rules on this file ({error}); "
        "the other rules still ran, please report this",
    ),
    # -- AT1xx: tests that never run, or run wrongly (checks/markers.py) --
    Rule(
        "AT100",
        "async-test-without-marker",
        "markers",
        "Async test with no async marker in strict mode: it never runs.",
        "async test {name!r} has no async marker, so pytest-asyncio in strict mode never runs "
        "it; add @pytest.mark.asyncio (or set asyncio_mode = auto)",
    ),
    Rule(
        "AT101",
        "async-test-on-sync-testcase",
        "markers",
        "Async test method on a unittest.TestCase without async support: passes, never runs.",
        "async test method {name!r} is on a unittest.TestCase subclass without async support, "
        "so it passes without running; inherit from unittest.IsolatedAsyncioTestCase",
    ),
    Rule(
        "AT102",
        "async-marker-on-sync-test",
        "markers",
        "The asyncio marker applies to a sync test.",
        "sync test {name!r} is marked asyncio{via}, which pytest-asyncio warns about; "
        "remove the mark from it or make the test async",
    ),
    Rule(
        "AT103",
        "async-marker-on-fixture",
        "markers",
        "An async marker on a fixture has no effect.",
        "pytest.mark.{mark} on fixture {name!r} has no effect (marks on fixtures are an error "
        "in pytest 9); mark the tests that use it instead",
    ),
    Rule(
        "AT104",
        "async-fixture-with-sync-decorator",
        "markers",
        "Async fixture under plain @pytest.fixture in strict mode.",
        "async fixture {name!r} uses @pytest.fixture, so in strict mode tests get an unawaited "
        "coroutine instead of its value; use @pytest_asyncio.fixture",
    ),
    Rule(
        "AT105",
        "async-xunit-hook",
        "markers",
        "Async setup/teardown hook that nobody awaits.",
        "async {hook!r} is called without await, so its body never runs; {fix}",
    ),
    Rule(
        "AT106",
        "removed-pytest-asyncio-api",
        "markers",
        "Removed or deprecated pytest-asyncio API.",
        "{problem}; {fix}",
    ),
    # -- AT2xx: coroutines never awaited, event loops misused (checks/coroutines.py) --
    Rule(
        "AT200",
        "coroutine-never-awaited",
        "coroutines",
        "Coroutine called and dropped or only truth-tested: its body never runs.",
        "coroutine {name!r} is {how} without being awaited, so its body never runs; add await",
    ),
    Rule(
        "AT201",
        "event-loop-inside-managed-loop",
        "coroutines",
        "An event loop is started where one is already running or managed by the test plugin.",
        "{call} starts an event loop inside {where}, where the test plugin already runs or "
        "manages one; {fix}",
    ),
    Rule(
        "AT202",
        "get-event-loop-in-sync-test-code",
        "coroutines",
        "asyncio.get_event_loop() called from sync test code.",
        "asyncio.get_event_loop() in sync test code is deprecated and depends on test order; "
        "use asyncio.run(), an async test, or asyncio.new_event_loop()",
    ),
    Rule(
        "AT203",
        "dangling-task",
        "coroutines",
        "The task from create_task()/ensure_future() is dropped.",
        "the task from {call} is dropped, so it can be garbage-collected mid-run or outlive "
        "the test; keep a reference and await it",
    ),
    Rule(
        "AT204",
        "blocking-sleep-in-async-code",
        "coroutines",
        "time.sleep() blocks the event loop in async test code.",
        "time.sleep() blocks the event loop in {where}; use await asyncio.sleep()",
    ),
    # -- AT3xx: mocks that lie about being async (checks/mocks.py) --
    Rule(
        "AT300",
        "await-on-sync-mock",
        "mocks",
        "await on a Mock/MagicMock that is not async.",
        "{name!r} is {what}, so {how} raises TypeError; {fix}",
    ),
    Rule(
        "AT301",
        "sync-mock-replaces-async",
        "mocks",
        "A sync Mock/MagicMock replaces an async callable.",
        "{target!r} is async but is replaced by a sync {kind}, so awaiting it raises TypeError; "
        "use AsyncMock (or let patch() choose)",
    ),
    Rule(
        "AT302",
        "async-mock-replaces-sync",
        "mocks",
        "An AsyncMock replaces a sync callable.",
        "{target!r} is sync but is replaced by an AsyncMock, so callers get a coroutine nobody "
        "awaits; use MagicMock",
    ),
    Rule(
        "AT303",
        "mock-through-pytest-namespace",
        "mocks",
        "A unittest.mock name reached through the pytest namespace.",
        "pytest has no attribute {name!r}, so this raises {error}; "
        "import {name} from unittest.mock",
    ),
    Rule(
        "AT304",
        "mock-spec-drift",
        "mocks",
        "A spec'd mock or patch target uses an attribute the spec does not have.",
        "{problem}; {fix}",
    ),
    Rule(
        "AT305",
        "mock-assertion-cannot-fail",
        "mocks",
        "A mock assertion that cannot fail.",
        "{problem}, so it asserts nothing; {fix}",
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(r.family for r in RULES if r.family != "plugin"))


def message(code: str, **fields: object) -> str:
    return BY_CODE[code].format(**fields)
