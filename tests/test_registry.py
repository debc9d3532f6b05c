"""The registry in rules.py is complete and is the only source of what the plugin says.

Every code once; every message a whole template whose fields carry names, not prose; every
code reported by exactly the checks module its rule names; every checks module registered;
every code and variant met by a fixture; every code with a doc page, a runtime-truth pair
and a CHANGELOG entry.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from flake8_async_tests import checks
from flake8_async_tests.rules import BY_CODE, ONLY, RULES, Rule
from harness import FIXTURES, expected

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "flake8_async_tests"
CHECKS = PACKAGE / "checks"
RUNTIME_TRUTH = Path(__file__).parent / "runtime_truth"
# AT000 reports a failure of the plugin itself: no input triggers it, so it has no fixture
# and no runtime-truth pair; test_failure_policy.py checks its message and fields.
INTERNAL = {"AT000"}
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def fixture_expectations():
    files = sorted(FIXTURES.glob("*.py"))
    for project in sorted((FIXTURES / "projects").iterdir()):
        files += sorted(project.rglob("*.py"))
    found = []
    for path in files:
        found.extend(expected(path, FIXTURES))
    return found


def reported_codes(path: Path) -> list[tuple[str, int]]:
    """(code, line) of every Finding(...) and message("AT...") call in a module. A Finding's
    code must be a string literal, so that this scan sees every one (message() also formats
    the findings the families made)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        position = {"Finding": 2, "message": 0}.get(node.func.id)
        if position is None:
            continue
        code = node.args[position] if len(node.args) > position else None
        literal = isinstance(code, ast.Constant) and isinstance(code.value, str)
        assert literal or node.func.id == "message", \
            f"{path.name}:{node.lineno}: the code of Finding() must be a literal"
        if literal:
            found.append((code.value, node.lineno))
    return found


def test_codes_names_and_variants_are_unique_and_well_formed():
    codes = [rule.code for rule in RULES]
    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"AT\d{3}", code) for code in codes)
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names)) and all(KEBAB.match(n) for n in names)
    for rule in RULES:
        variants = [v.name for v in rule.variants]
        assert len(variants) == len(set(variants)), rule.code
        if len(variants) == 1:
            assert variants == [ONLY], f"{rule.code}: a single message has no variant name"
        else:
            assert all(KEBAB.match(v) for v in variants), (rule.code, variants)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_message_reads_back_as_itself(rule: Rule):
    """Formatting then parsing gives the same variant and fields, for every choice: no two
    templates of a code can be confused, and `parse` is what the fixtures rely on."""
    for variant in rule.variants:
        assert variant.template.strip() == variant.template
        assert ";" in variant.template, f"{rule.code}.{variant.name}: problem; fix"
        assert set(variant.choices) <= set(variant.fields)
        assert not re.search(r"\{[^}]*[^}!r\w][^}]*\}", variant.template), variant.template
        for choice in range(max([len(c) for c in variant.choices.values()] or [1])):
            fields = {name: f"name_{name}.x()" for name in variant.fields}
            for name, allowed in variant.choices.items():
                fields[name] = allowed[choice % len(allowed)]
            text = rule.format(variant.name, fields)
            assert text.startswith(f"{rule.code} ") and text.endswith(f" [{rule.doc}]")
            assert rule.parse(text) == (variant.name, fields), text
            assert rule.parse(text[len(rule.code) + 1:]) == (variant.name, fields)


def test_a_wrong_field_or_choice_is_refused():
    with pytest.raises(ValueError, match="takes fields"):
        BY_CODE["AT101"].format(ONLY, {"name": "x", "extra": 1})
    with pytest.raises(ValueError, match="must be one of"):
        BY_CODE["AT304"].format("spec-list", {"attr": "a", "mock": "m", "access": "poking"})
    with pytest.raises(KeyError):
        BY_CODE["AT304"].format("nope", {})


def test_every_checks_module_is_registered():
    modules = {p.stem for p in CHECKS.glob("*.py") if p.stem != "__init__"}
    families = checks.families()
    assert {f.__module__.rsplit(".", 1)[1] for f in families} == modules
    assert all(f.name == f.__module__.rsplit(".", 1)[1] for f in families)
    assert {r.family for r in RULES} == modules | {"plugin"}


def test_each_code_is_reported_by_exactly_the_module_its_rule_names():
    by_module = {p.stem: reported_codes(p) for p in CHECKS.glob("*.py")}
    by_module["plugin"] = reported_codes(PACKAGE / "plugin.py")
    for path in PACKAGE.glob("*.py"):  # nothing else reports findings
        if path.stem != "plugin":
            assert reported_codes(path) == [], path.name
    for rule in RULES:
        reporters = {module for module, found in by_module.items()
                     if any(code == rule.code for code, _ in found)}
        assert reporters == {rule.family}, (rule.code, reporters)
    unknown = {code for found in by_module.values() for code, _ in found} - set(BY_CODE)
    assert unknown == set()


def test_every_code_and_variant_is_met_by_a_fixture():
    met = {(e.code, e.variant) for e in fixture_expectations()}
    wanted = {(rule.code, variant.name) for rule in RULES if rule.code not in INTERNAL
              for variant in rule.variants}
    assert wanted - met == set(), "no fixture expects these"


def test_fixture_fields_are_names_not_prose():
    """A field holds a name or a piece of the user's code; sentences are a template's job
    (fields limited to a few fixed words are declared as choices)."""
    for expectation in fixture_expectations():
        variant = BY_CODE[expectation.code].variant(expectation.variant)
        for key, value in expectation.fields.items():
            if key not in variant.choices:
                ast.parse(value, mode="eval")  # SyntaxError: prose


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_code_has_its_page_runtime_pair_and_changelog_entry(rule: Rule):
    assert (REPO / rule.doc).is_file()
    if rule.code not in INTERNAL:
        for side in ("bad", "good"):
            assert list((RUNTIME_TRUTH / rule.code / side).glob("test_*.py")), side
        assert (RUNTIME_TRUTH / rule.code / "expect.txt").is_file()
    assert re.search(rf"\b{rule.code}\b", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
