"""The registry of rules: the one place that names every code and says every sentence.

A rule has one message or several named variants. Each message is a whole template: the
problem, then the fix after a semicolon; its fields carry names and places, never prose
(a field limited to a few fixed words declares them in `choices`). Checks report a code, a
variant and fields; `Rule.family` says which module under flake8_async_tests/checks/
reports the code. Messages, the README table, the doc pages and the tests all read this
table. The plugin appends the rule's doc page to each message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .templates import Variant

DOCS_BASE = "docs/rules"
ONLY = ""  # the variant name of a code's only message


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case
    family: str  # the module under flake8_async_tests/checks/ that reports it ("plugin": AT000)
    summary: str  # one line for tables
    variants: tuple[Variant, ...]

    @property
    def doc(self) -> str:
        return f"{DOCS_BASE}/{self.code}.md"

    def variant(self, name: str) -> Variant:
        for variant in self.variants:
            if variant.name == name:
                return variant
        raise KeyError(f"{self.code} has no variant {name!r}")

    def format(self, variant: str, fields: Mapping[str, object]) -> str:
        return f"{self.code} {self.variant(variant).format(fields)} [{self.doc}]"

    def parse(self, text: str) -> tuple[str, dict[str, str]] | None:
        """(variant, fields) of a message this rule printed (with or without the code in
        front, as flake8's %(text)s shows it), or None."""
        prefix, suffix = f"{self.code} ", f" [{self.doc}]"
        if text.startswith(prefix):
            text = text[len(prefix):]
        if not text.endswith(suffix):
            return None
        body = text[:len(text) - len(suffix)]
        for variant in self.variants:
            found = variant.parse(body)
            if found is not None:
                return variant.name, found
        return None


def _rule(code: str, name: str, family: str, summary: str, message: str = "",
          variants: Mapping[str, str] | None = None,
          choices: Mapping[str, tuple[str, ...]] | None = None) -> Rule:
    """A rule with one `message`, or with named `variants` (name -> template)."""
    templates = dict(variants) if variants else {ONLY: message}
    made = []
    for key, template in templates.items():
        fields = Variant(key, template).fields
        made.append(Variant(key, template, {k: v for k, v in (choices or {}).items()
                                            if k in fields}))
    return Rule(code, name, family, summary, tuple(made))


_NEVER_RUNS = "async {hook!r} is called without await, so its body never runs; "
_NO_ATTRIBUTE = ("so {access} {mock}.{attr} on the spec'd mock raises AttributeError; "
                 "use an attribute the spec has, or update the spec")
_ACCESS = ("reading", "setting")
SCOPES = ("function", "class", "module", "package", "session")  # pytest's, narrowest first
_ROLES = ("async test", "async fixture", "async hook", "coroutine", "async generator")
_ASSERTS_NOTHING = ", so it asserts nothing; "

RULES: tuple[Rule, ...] = (
    _rule(
        "AT000", "internal-error", "plugin",
        "A rule family failed on this file (reported only with --async-tests-report-errors).",
        "flake8-async-tests could not run its {family} rules on this file ({error}); "
        "the other rules still ran, please report this",
    ),
    # -- AT1xx: tests that never run, or run wrongly (checks/markers.py) --
    _rule(
        "AT100", "async-test-without-marker", "markers",
        "Async test with no async marker in strict mode: it never runs.",
        variants={
            # (mode: strict, or legacy where pytest-asyncio before 0.19 or its setting has it)
            "asyncio": "async test {name!r} has no async marker, so pytest-asyncio in {mode} "
                       "mode never runs it; add @pytest.mark.asyncio (or set asyncio_mode = auto)",
            # the module's marked async tests all carry one other runner's mark
            "module-marker": "async test {name!r} has no async marker, so it never runs; add "
                             "@pytest.mark.{mark}, the only runner mark of the module's async "
                             "tests",
            # no async test of the module is marked; the project declares that plugin only
            "declared-plugin": "async test {name!r} has no async marker, so it never runs; "
                               "add @pytest.mark.{mark}, the mark of {plugin}, which the "
                               "project declares (and not pytest-asyncio)",
            # no async test of the module is marked; the project declares pytest and no
            # plugin that runs async tests, and loads none
            "no-plugin": "async test {name!r} has no async marker and the project declares "
                         "no async test plugin, so nothing runs it (pytest 8.4 and later fail "
                         "it); add pytest-asyncio to the test dependencies and mark the test "
                         "@pytest.mark.asyncio",
        },
        choices={"mark": ("anyio", "trio"), "plugin": ("anyio", "pytest-trio")},
    ),
    _rule(
        "AT101", "async-test-on-sync-testcase", "markers",
        "Async test method on a unittest.TestCase without async support: passes, never runs.",
        "async test method {name!r} is on a unittest.TestCase subclass without async support, "
        "so it passes without running; inherit from unittest.IsolatedAsyncioTestCase",
    ),
    _rule(
        "AT102", "async-marker-on-sync-test", "markers",
        "The asyncio marker applies to a sync test.",
        variants={
            variant: f"sync test {{name!r}} is marked asyncio{via}, which pytest-asyncio warns "
                     "about; remove the mark from it or make the test async"
            for variant, via in (("function", ""), ("class", " through its class"),
                                 ("module", " through the module's pytestmark"),
                                 ("base-class", " through a base class"))
        },
    ),
    _rule(
        "AT103", "async-marker-on-fixture", "markers",
        "A mark on a fixture: it has no effect, and pytest 9 refuses it.",
        "pytest.mark.{mark} on fixture {name!r} has no effect (marks on fixtures are an error "
        "in pytest 9); mark the tests that use it instead",
    ),
    _rule(
        "AT104", "async-fixture-with-sync-decorator", "markers",
        "Async fixture under plain @pytest.fixture in strict mode.",
        "async fixture {name!r} uses @{decorator}, so in strict mode tests get an unawaited "
        "coroutine instead of its value; use @pytest_asyncio.fixture",
    ),
    _rule(
        "AT105", "async-xunit-hook", "markers",
        "Async setup/teardown hook that nobody awaits.",
        variants={
            "module-hook": _NEVER_RUNS + (
                "make it sync, or use an async fixture with "
                "@pytest_asyncio.fixture(scope='module', autouse=True)"),
            "class-hook": _NEVER_RUNS + (
                "make it sync, or use an autouse async fixture "
                "(@pytest_asyncio.fixture(autouse=True))"),
            "unittest-rename": _NEVER_RUNS + "rename it to {rename}",
            "unittest-base": _NEVER_RUNS + (
                "inherit from unittest.IsolatedAsyncioTestCase and rename it to {rename}"),
            "unittest-class-hook": _NEVER_RUNS + (
                "make it sync (asyncio.run() inside), or use asyncSetUp/asyncTearDown"),
        },
    ),
    _rule(
        "AT106", "removed-pytest-asyncio-api", "markers",
        "Removed or deprecated pytest-asyncio API.",
        variants={
            "mark-scope": "the 'scope' argument of pytest.mark.asyncio is deprecated; "
                          "use loop_scope= instead",
            "event-loop-fixture": "pytest-asyncio 1.0 removed the 'event_loop' fixture, so this "
                                  "override is never used; set loop_scope on the mark or "
                                  "fixture, or customise loops with the "
                                  "pytest_asyncio_loop_factories hook",
            "event-loop-policy": "overriding the 'event_loop_policy' fixture is deprecated in "
                                 "pytest-asyncio; use the pytest_asyncio_loop_factories hook "
                                 "to customise event loops",
        },
    ),
    _rule(
        "AT107", "async-fixture-scope-wider-than-loop", "markers",
        "Async fixture whose scope is wider than its event loop's: every test using it errors.",
        "async fixture {name!r} has scope {scope!r} but runs on a {loop_scope!r}-scoped event "
        "loop, so pytest-asyncio fails every test that uses it (ScopeMismatch); set "
        "loop_scope={scope!r} on it, or widen asyncio_default_fixture_loop_scope",
        choices={"scope": SCOPES, "loop_scope": SCOPES},
    ),
    _rule(
        "AT108", "async-test-in-uncollected-class", "markers",
        "Async test in a class pytest does not collect: it never runs.",
        variants={
            "init": "async test {name!r} is in class {cls!r}, which defines __init__, so pytest "
                    "does not collect the class (it only warns) and the test never runs; "
                    "remove __init__ and set things up in a fixture or setup_method",
            "class-name": "async test {name!r} is in class {cls!r}, which python_classes does "
                          "not match, so pytest never collects it and the test never runs; "
                          "rename the class to match python_classes (Test* by default)",
        },
    ),
    # -- AT2xx: coroutines never awaited (checks/awaits.py), event loops misused (checks/loops.py),
    # blocking sleeps (checks/sleeps.py)
    _rule(
        "AT200", "coroutine-never-awaited", "awaits",
        "Coroutine called and dropped or only truth-tested: its body never runs.",
        variants={
            **{variant: f"coroutine {{name!r}} is {how} without being awaited, so its body "
                        "never runs; add await"
               for variant, how in (("dropped", "called and dropped"),
                                    ("truth-value", "used only as a truth value"))},
            "stored": "coroutine {name!r} is stored in {target!r} but never awaited (only "
                      "truth-tested or compared), so its body never runs; add await",
        },
    ),
    _rule(
        "AT201", "event-loop-inside-managed-loop", "loops",
        "An event loop is started where one is already running: it raises RuntimeError.",
        variants={
            "async-code": "{call} inside {role} {function!r} raises RuntimeError, since an "
                          "event loop is already running there; await the coroutine instead",
            "sync-helper": "{call} inside {function!r}, which {role} {caller!r} calls, raises "
                           "RuntimeError, since an event loop is already running there; make "
                           "{function!r} a coroutine and await it",
        },
        choices={"role": _ROLES},
    ),
    _rule(
        "AT202", "get-event-loop-in-sync-test-code", "loops",
        "asyncio.get_event_loop() called from sync test code.",
        "asyncio.get_event_loop() in sync test code is deprecated and depends on test order; "
        "use asyncio.run(), an async test, or asyncio.new_event_loop()",
    ),
    _rule(
        "AT203", "dangling-task", "loops",
        "The task from create_task()/ensure_future() is dropped, or cannot be created.",
        variants={
            "dropped": "the task from {call} is dropped, so it can be garbage-collected mid-run "
                       "or outlive the test; keep a reference and await it",
            "no-running-loop": "asyncio.create_task() in {role} {function!r} raises "
                               "RuntimeError (no running event loop), so no task is created; "
                               "create it in async code, such as an async fixture or test",
        },
        choices={"role": ("sync test", "sync fixture", "sync hook")},
    ),
    _rule(
        "AT204", "blocking-sleep-in-async-code", "sleeps",
        "time.sleep() blocks the event loop in async test code.",
        variants={
            "async-code": "time.sleep() blocks the event loop in {role} {function!r}; "
                          "use await {sleep}()",
            "side-effect": "time.sleep() blocks the event loop in a function used as an "
                           "AsyncMock side_effect, which runs on the loop; "
                           "use await {sleep}()",
        },
        choices={"role": _ROLES, "sleep": ("asyncio.sleep", "trio.sleep", "anyio.sleep")},
    ),
    # -- AT3xx: mocks that lie about being async (checks/mocks.py) --
    _rule(
        "AT300", "await-on-sync-mock", "mocks",
        "await on a Mock/MagicMock that is not async.",
        variants={
            "await": "{name!r} is a plain {kind}, not an AsyncMock, so awaiting it raises "
                     "TypeError; configure it as AsyncMock",
            "async-protocol": "{name!r} is a plain {kind}, without async magic methods, so "
                              "using it in '{statement}' raises TypeError; "
                              "use MagicMock (or AsyncMock)",
            "spec-child": "{name!r} is a {kind} child of a mock spec'd on a class whose "
                          "{attr!r} is a sync method, so awaiting its result raises TypeError; "
                          "configure it as AsyncMock",
        },
        choices={"statement": ("async with", "async for")},
    ),
    _rule(
        "AT301", "sync-mock-replaces-async", "mocks",
        "A sync Mock/MagicMock replaces an async callable.",
        "{target!r} is async but is replaced by a sync {kind}, so awaiting it raises TypeError; "
        "use AsyncMock (or let patch() choose)",
    ),
    _rule(
        "AT302", "async-mock-replaces-sync", "mocks",
        "An AsyncMock replaces a sync callable.",
        "{target!r} is sync but is replaced by an AsyncMock, so callers get a coroutine nobody "
        "awaits; use MagicMock",
    ),
    _rule(
        "AT303", "mock-through-pytest-namespace", "mocks",
        "A unittest.mock name reached through the pytest namespace.",
        variants={
            variant: f"pytest has no attribute {{name!r}}, so this raises {error}; "
                     "import {name} from unittest.mock"
            for variant, error in (("attribute", "AttributeError"), ("import", "ImportError"))
        },
    ),
    _rule(
        "AT304", "mock-spec-drift", "mocks",
        "A spec'd mock or patch target uses an attribute the spec does not have.",
        variants={
            "spec-list": "{attr!r} is not an attribute of the spec list, " + _NO_ATTRIBUTE,
            "spec-class": "{attr!r} is not an attribute of class {cls!r}, " + _NO_ATTRIBUTE,
            "spec-instance-only": "{attr!r} is not an attribute of class {cls!r} (it is set "
                                  "only on instances, in __init__), " + _NO_ATTRIBUTE,
            "patch-target": "{owner} has no attribute {attr!r}, so this patch raises "
                            "AttributeError when it starts; patch a name that exists (or pass "
                            "create=True on purpose)",
            "missing-module": "package {owner} has no module or attribute {attr!r}, so this "
                              "patch cannot find its target and raises when it starts; patch "
                              "the name where it is defined now",
            "instance-target": "{owner} is an instance of {cls}, which sets no attribute "
                               "{attr!r} (on the class or on self), so this patch raises "
                               "AttributeError when it starts; patch a name that exists (or "
                               "pass create=True on purpose)",
        },
        choices={"access": _ACCESS},
    ),
    _rule(
        "AT305", "mock-assertion-cannot-fail", "mocks",
        "A mock assertion that cannot fail.",
        variants={
            "not-called": "{attr} is referenced but never called" + _ASSERTS_NOTHING
                          + "call it: .{attr}()",
            "fake-assert": "{attr}() is not a mock assertion: calling it makes a child mock "
                           "before Python 3.12 (AttributeError after)" + _ASSERTS_NOTHING
                           + "call assert_{attr}() instead, without assert",
            "fake-await-assert": "{attr}() is not a mock assertion: calling it makes a child "
                                 "mock" + _ASSERTS_NOTHING
                                 + "call assert_{attr}() instead, without assert",
        },
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def message(code: str, variant: str = ONLY, **fields: object) -> str:
    return BY_CODE[code].format(variant, fields)


# -- silences: why a rule looked at a place and said nothing (--async-tests-explain) ----------

@dataclass(frozen=True)
class Silence:
    """One reason a rule stays silent. Its text is a template like a message's; the codes
    are those that give it. Rule pages list them (docs are generated from this table)."""

    name: str  # kebab-case, unique in SILENCES
    codes: tuple[str, ...]
    template: str
    about: str = ""  # for the docs, where the template is mostly fields

    @property
    def text(self) -> Variant:
        return Variant(self.name, self.template)


_RUNNERS = ("AT100", "AT104")  # unmarked async tests and fixtures: who runs them
_DYNAMIC = ("AT100", "AT104", "AT106", "AT202")  # a plugin or hook may run, mark or set up tests
_CONFIG = "unmarked async tests run: {option} in {config}"

SILENCES: tuple[Silence, ...] = (
    # what runs the tests: the runner model (model/runner.py, model/plugins.py, model/hooks.py)
    Silence("mode-option", _RUNNERS, "unmarked async tests run: --async-tests-mode=auto"),
    Silence("auto-mode", _RUNNERS, _CONFIG),
    Silence("mark-unwarned", ("AT102",),
            "the project pins pytest-asyncio before {first}, which takes the asyncio mark on "
            "a sync test without a warning (it gives the test its event_loop)"),
    Silence("legacy-mode", ("AT104",),
            "{how} legacy mode, which runs async fixtures under plain @pytest.fixture",
            "pytest-asyncio 0.17 and 0.18 default to legacy mode (earlier releases had no "
            "modes and ran every async fixture), and `asyncio_mode = legacy` chooses it "
            "until 0.21: such fixtures run, with a DeprecationWarning; tests still need a "
            "mark (AT100 says so)"),
    Silence("asyncio-switched-off", _RUNNERS,
            "pytest-asyncio is switched off (-p no:asyncio in {config})"),
    # a plugin the project loads (model/plugins.py), named with where it is loaded
    Silence("runner-plugin", _DYNAMIC, "async tests run by {plugin} ({where})"),
    Silence("plugin-runner-hook", _DYNAMIC,
            "async tests may run by the {hook} hook of plugin {plugin} ({where})"),
    Silence("plugin-not-found", _DYNAMIC,
            "async tests may run under plugin {plugin}, which cannot be found ({where})"),
    Silence("plugin-compiled", _DYNAMIC,
            "async tests may run under plugin {plugin}, a compiled module ({where})"),
    Silence("plugin-unreadable", _DYNAMIC,
            "async tests may run under plugin {plugin}, which cannot be parsed ({where})"),
    Silence("plugin-too-deep", _DYNAMIC,
            "async tests may run under plugin {plugin}, loaded through too many plugins "
            "to follow ({where})"),
    Silence("plugins-not-written-out", _DYNAMIC,
            "async tests may run under plugins that {module} loads without naming them "
            "({where})"),
    Silence("declared-plugin-unknown", _DYNAMIC,
            "the project declares {plugin}, a pytest plugin {how}: it may run async tests"),
    Silence("undeclared-plugin-fixture", _DYNAMIC,
            "{where} requests {fixture}, a fixture of {plugin}, which the project does not "
            "declare: its releases before {version} run every async test"),
    # a hook of a conftest.py or of the test module (model/hooks.py), with where it is
    Silence("hook-runs-coroutines", _DYNAMIC, "{hook} may run coroutines ({where})"),
    Silence("hook-adds-async-mark", _DYNAMIC, "{hook} adds the {mark} mark ({where})"),
    Silence("hook-adds-computed-mark", _DYNAMIC, "{hook} adds a mark it computes ({where})"),
    Silence("hook-changes-marks", _DYNAMIC,
            "{hook} changes {holder} of items directly ({where})"),
    Silence("hook-sets-attributes", _DYNAMIC,
            "{hook} sets attributes with setattr() ({where})"),
    Silence("hook-hands-items-on", _DYNAMIC,
            "{hook} hands items to {callee}, which may mark them ({where})"),
    Silence("unknown-decorator", ("AT100", "AT101", "AT104", "AT105"),
            "a decorator of unknown effect may run it"),
    Silence("bases-unknown", ("AT100", "AT101", "AT105"),
            "the bases of class {cls!r} are unknown"),
    Silence("pytestmark-in-block", ("AT100",),
            "pytestmark is set at line {line} in a block that may not run",
            "pytest reads the value it has once the module (or class) has run: an `if`, "
            "`try` or loop may or may not have given it an async mark"),
    Silence("pytestmark-changed", ("AT100",), "pytestmark is changed at line {line}: {how}",
            "a change that may add a mark other than `=`, `+=`, `.append()`, `.extend()` or "
            "`.insert()`: an item set by index, another method"),
    Silence("pytestmark-unread", ("AT100",),
            "pytestmark at line {line} holds {value}, which cannot be read as pytest marks",
            "a name bound elsewhere, a call or a conditional expression: it may hold an "
            "async mark"),
    # any code: a finding in a branch that never runs (model/branches.py), dropped
    Silence("never-runs", tuple(rule.code for rule in RULES if rule.code != "AT000"),
            "in a branch that never runs: {test} is always {value} ({where})"),
    Silence("zero-sleep", ("AT204",), "time.sleep(0) sleeps no time: it blocks nothing",
            "outside a loop only: in a `for` or `while`, time.sleep(0) is a busy wait that "
            "never lets the event loop run, and is reported"),
    Silence("in-pytest-raises", ("AT201", "AT203", "AT204"),
            "inside pytest.raises (line {line}): the test expects an exception there"),
    Silence("conftest-unparsed", tuple(rule.code for rule in RULES if rule.code not in (
        "AT000", "AT303", "AT304", "AT305")),
            "{conftest} does not parse with this Python: the fixtures, hooks and plugins it "
            "defines are unknown",
            "a project written for a newer Python: run the linter on the Python it uses"),
    Silence("after-exit", tuple(rule.code for rule in RULES if rule.code != "AT000"),
            "never runs: it follows {what} at line {line}"),
    Silence("module-stops", tuple(rule.code for rule in RULES if rule.code != "AT000"),
            "never runs: the module's import stops at line {line} ({what}), so pytest "
            "collects nothing from it"),
    Silence("skipped-test", tuple(rule.code for rule in RULES if rule.code != "AT000"),
            "never runs: test {test} is skipped unconditionally ({mark})",
            "`pytest.mark.skip`, or `skipif` with a condition that is a literal truth, on the "
            "test, a class around it or in a `pytestmark`; unittest's `skip`, or `skipIf` / "
            "`skipUnless` with a literal condition, on the test or its unittest class: "
            "pytest never calls it, as if it began with `pytest.skip()`"),
    Silence("refused-with", tuple(rule.code for rule in RULES if rule.code != "AT000"),
            "never runs: the plain `with` at line {line} enters {what}, an async context "
            "manager, and raises before its body",
            "`with` on what an `asynccontextmanager` function returns raises TypeError "
            "(AttributeError before Python 3.11): a test may expect that in pytest.raises"),
    # AT100: an async test with no mark
    Silence("skipped", ("AT100",),
            "skipped unconditionally ({mark}): it never runs by design",
            "`pytest.mark.skip`, or `skipif` with a condition that is a literal truth, on the "
            "test, a class around it or in a `pytestmark`; unittest's `skip`, `skipIf` or "
            "`skipUnless` that skips as written, on the test"),
    Silence("trio-module", ("AT100",),
            "a trio test module (it imports trio, not asyncio): pytest-trio's to run"),
    Silence("async-generator", ("AT100",), "an async generator, not a coroutine test"),
    Silence("anyio-backend", ("AT100", "AT104"),
            "it takes anyio_backend: anyio's plugin runs it"),
    Silence("fixture-param-marks", ("AT100",),
            "fixture {fixture} ({where}) marks the tests it parametrizes through its "
            "params: {marks}"),
    Silence("fixture-params-unread", ("AT100",),
            "the params of fixture {fixture} ({where}) cannot be read: they may give the "
            "test an async mark"),
    Silence("anyio-through-fixture", ("AT100", "AT104"),
            "fixture {fixture} ({where}) requests anyio_backend: anyio's plugin runs it",
            "a fixture the test (or fixture) requests, at any depth, requests anyio_backend: "
            "anyio's plugin runs every coroutine test, and async fixture, whose fixtures "
            "include it"),
    Silence("anyio-autouse", ("AT100", "AT104"),
            "an autouse fixture is or requests anyio_backend ({where}): anyio's plugin runs "
            "async tests and fixtures here"),
    # AT101, AT105: unittest classes
    Silence("async-base", ("AT101",), "{cls} derives from {base}, which runs async tests"),
    Silence("async-base-gen-test", ("AT101",),
            "{cls} derives from {base}, which runs async tests decorated with @gen_test and "
            "fails the others with TypeError: never a silent pass",
            "tornado's AsyncTestCase wraps each test method, and raises TypeError when one "
            "returns a coroutine (an async test without @gen_test): the test errors, loudly"),
    Silence("async-generator-method", ("AT101",),
            "an async generator: unittest never calls it as a test, with or without a loop"),
    Silence("async-hooks-base", ("AT105",),
            "{cls} derives from {base}, which may run async hooks"),
    # AT104, AT106, AT108: fixtures and classes
    Silence("anyio-or-trio", ("AT104",),
            "anyio or trio is used here: their plugins run async fixtures"),
    Silence("pytest-asyncio-before-1", ("AT106",), "the project pins pytest-asyncio below 1.0"),
    Silence("pytest-asyncio-before-0-24", ("AT106",),
            "the project pins pytest-asyncio below 0.24, whose asyncio mark takes scope= "
            "(loop_scope= came with its deprecation)"),
    Silence("pytest-asyncio-before-1-4", ("AT106",),
            "the project pins pytest-asyncio below 1.4, where overriding event_loop_policy "
            "is not deprecated"),
    Silence("autouse-event-loop", ("AT106",),
            "an autouse fixture: it runs for every test, as a plain fixture"),
    Silence("nested-class", ("AT108",), "class {cls!r} is nested in another"),
    Silence("class-used-here", ("AT108",),
            "class {cls!r} is used in this module, perhaps as a base of test classes"),
    Silence("class-used-elsewhere", ("AT108",),
            "class {cls!r} may be a base of test classes in other modules"),
    Silence("decorated-non-test", ("AT108",),
            "{test!r} or class {cls!r} has a decorator of unknown effect: it may be no "
            "pytest test (a workflow or a handler definition)"),
    # AT200: calls of coroutine functions
    Silence("self-or-cls", ("AT200",), "cannot tell whether {callee} gets self or cls"),
    Silence("unpacked-arguments", ("AT200",),
            "*args or **kwargs may or may not fit the signature of {callee}"),
    Silence("arguments-do-not-fit", ("AT200",), "the arguments do not fit the signature of "
                                                "{callee}: it raises TypeError first"),
    Silence("decorated-class", ("AT200",),
            "class {cls} has a class decorator of unknown effect"),
    Silence("unknown-value", ("AT200", "AT301", "AT304"),
            "value of {name} is unknown: {why}",
            "the value model cannot tell what a fixture argument, a `self` attribute or a "
            "local holds: a parametrized or plugin fixture, an attribute set twice..."),
    Silence("no-single-value", ("AT200",), "astroid finds no single value of {callee}",
            "an async def of that name is in reach, but inferring what the call calls gives "
            "no value, several that disagree (a name defined twice, a helper whose result "
            "is made in several ways) or an error"),
    Silence("unknown-ancestry", ("AT200",), "not every ancestor of {cls} can be followed: "
            "one may override {callee}",
            "the callee is an async def of a base class, and a base of the instance's class "
            "cannot be inferred (or there are more than 60): a sync method of that name "
            "there would win"),
    Silence("budget-used-up", ("AT200",), "the file's inference budget is used up",
            "the file asked astroid too many questions, or for too long: the rest of its "
            "calls are left alone"),
    # AT201, AT202, AT203: where a loop runs
    Silence("forks", ("AT201",),
            "the function forks: a forked child runs no loop of its parent's"),
    Silence("loop-fixture", ("AT202",), "a loop fixture argument sets the current loop"),
    Silence("sets-loop-first", ("AT202",),
            "{how} sets the current loop first (line {line})",
            "the function calls `asyncio.set_event_loop()` before it asks for the loop, or a "
            "function or context manager of the module that does"),
    Silence("fixture-sets-loop", ("AT202",),
            "fixture {fixture} sets the current loop: {how}",
            "a fixture the code requests, directly or through other fixtures (read from the "
            "class, the file and its conftest.py files), requests a loop fixture or calls "
            "asyncio.set_event_loop()"),
    Silence("other-plugin-sets-loop", ("AT202",),
            "pytest-asyncio is switched off: another plugin may set the loop"),
    Silence("shared-default-loop", ("AT202",),
            "pytest-asyncio keeps its shared default loop (wider than a test) current"),
    Silence("wide-loop", ("AT202",),
            "pytest-asyncio's {scope}-scoped loop ({where}) may be current here, after the "
            "tests that use it"),
    Silence("loop-scope-unknown", ("AT202",),
            "a loop of pytest-asyncio whose scope is not written out ({where}) may be "
            "current here"),
    Silence("decorator-sets-loop", ("AT202",),
            "a decorator or usefixtures mark may set the loop"),
    Silence("autouse-sets-loop", ("AT202",), "an autouse fixture sets or provides the loop"),
    Silence("module-fixtures-set-loop", ("AT202",),
            "the module's pytestmark requests fixtures that may set the loop"),
    Silence("class-nested-or-metaclass", ("AT202",), "class {cls!r} is nested or has a metaclass"),
    Silence("class-marks-set-loop", ("AT202",),
            "class {cls!r} has decorators or marks that may set the loop"),
    Silence("base-sets-loop", ("AT202",), "a base class of {cls!r} may set the loop"),
    Silence("class-sets-loop", ("AT202",), "class {cls!r} calls asyncio.set_event_loop()"),
    Silence("runs-in-thread", ("AT204",),
            "{function} runs on a loop of its own in a worker thread: {how}"),
    Silence("at-import", ("AT203",),
            "at module level: it runs when pytest imports the file, where no event loop runs",
            "such a task is made while pytest collects, not while a test runs: it never outlives "
            "one"),
    Silence("future-not-task", ("AT203",),
            "ensure_future() is handed a future ({what}), which it returns: no task is made"),
    Silence("task-joined-by-owner", ("AT203",),
            "the task runs {task}, and line {line} awaits {other}, which may end it or wait "
            "for it"),
    Silence("task-cancels-awaited", ("AT203",),
            "the task runs {task}, and line {line} awaits {other} expecting it to be "
            "cancelled, which that task may do",
            "in `pytest.raises(asyncio.CancelledError)`: only another task can cancel what "
            "the test awaits there"),
    Silence("task-run-elsewhere", ("AT203",),
            "{what}: what runs this code, and on which loop, is unknown",
            "a framework may run it on a loop of its own that keeps its tasks (a workflow "
            "engine's)"),
    Silence("task-settles-future", ("AT203",),
            "the task settles or cancels {future} last, and line {line} returns or "
            "awaits it",
            "whoever awaits the future resumes only once the task has ended"),
    Silence("loop-checked", ("AT203",),
            "the code checks for a running loop or expects RuntimeError"),
    # AT300, AT304: mocks
    Silence("bound-twice", ("AT300",),
            "value of {name} is unknown: bound differently at lines {lines}"),
    Silence("bulk-configured", ("AT300",), "{cls} configures mocks in bulk (configure_mock)"),
    Silence("subclass-sets-up", ("AT300",),
            "a subclass of {cls} may set self.{attr} otherwise"),
    Silence("mock-handed-on", ("AT300",),
            "self.{attr} is handed to other code, which may configure it"),
    Silence("instance-handed-on", ("AT304",), "{owner} is assigned to or handed to other code "
                                              "in this function, which may set {attr}"),
    Silence("scheduler-replaced", ("AT301",),
            "the test also replaces {scheduler} (line {line}), which may take the coroutine "
            "without awaiting it",
            "the code under test may hand the replaced function's result to "
            "`asyncio.create_task` or the like, which the test replaces too: a sync mock may "
            "be on purpose"),
    Silence("replacement-not-called", ("AT301",),
            "the test asserts the replacement is never called ({mock}.assert_not_called() "
            "at line {line})"),
    Silence("owner-patched", ("AT304",),
            "{owner} is patched at line {line}, before this: the name is looked up on "
            "what replaced it"),
    Silence("module-unparsed", ("AT304",),
            "module {module} is there, but does not parse with this Python: what it holds "
            "is unknown",
            "a module written for a newer Python (`type X = ...`, `except A, B:`), or one "
            "that cannot be decoded: run the linter on the Python the project uses"),
    Silence("attributes-open", ("AT301", "AT302", "AT304"),
            "whether {owner} has {attr} cannot be read from source: {why}",
            "the module or class may have attributes its source does not show: a module "
            "`__getattr__`, a star import, `setattr()` or `globals()`; a class with a "
            "metaclass or class decorator, `__slots__` that are computed, a base that cannot "
            "be inferred, compiled code, or (for an instance) a `__getattr__` or "
            "`__getattribute__`; or the name is only annotated"),
)
_SILENCE_NAMES = {silence.name: silence for silence in SILENCES}


def explain(name: str, **fields: object) -> str:
    """The text of the registered silence `name` with its fields (checked as a message's)."""
    return _SILENCE_NAMES[name].text.format(fields)


def silences_of(code: str) -> list[Silence]:
    return [silence for silence in SILENCES if code in silence.codes]


def silence_of(code: str, text: str) -> Silence | None:
    """The registered silence of `code` that printed `text` (the first that parses it)."""
    return next((s for s in silences_of(code) if s.text.parse(text) is not None), None)
