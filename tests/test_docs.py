"""Every registered code has a doc page whose examples do what the page says.

Each page's Example, linted alone as test_example.py beside a strict-mode pytest.ini,
gives exactly that code; its Use instead gives nothing. The rule tables in README.md and
docs/README.md match the registry; rewrite both with `python tests/test_docs.py --write`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_async_tests.fix import FIXES, UNSAFE
from flake8_async_tests.rules import RULES, Rule, silences_of
from harness import lint

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs" / "rules"
HEADINGS = ["What it does", "Why is this bad?", "Fix", "Messages", "Silences", "Example",
            "Use instead", "Options", "References"]
STRICT_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
# AT000 reports a failure of the plugin itself: no code triggers it on purpose.
NOT_RUNNABLE = {"AT000"}
CODES = [rule.code for rule in RULES]
REFERENCE_SITES = ("docs.pytest.org", "pytest-asyncio.readthedocs.io", "docs.python.org",
                   "flake8.pycqa.org")
TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"


def sections(text: str) -> tuple[str, dict[str, str], list[str]]:
    """(title line, heading -> body, headings in order) of a page."""
    title = text.splitlines()[0] if text else ""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    order = [h.strip() for h in parts[1::2]]
    return title, dict(zip(order, parts[2::2])), order


def python_blocks(body: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", body, flags=re.M | re.S)


def page(code: str) -> str:
    path = DOCS / f"{code}.md"
    assert path.exists(), f"{code} has no page at docs/rules/{code}.md"
    return path.read_text(encoding="utf-8")


def rules_table(link_prefix: str) -> str:
    rows = ["| Code | Name | What it finds |", "| --- | --- | --- |"]
    for rule in RULES:
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| [{rule.code}]({link_prefix}{rule.code}.md) | `{rule.name}` | {summary} |")
    return "\n".join(rows)


def docs_index() -> str:
    return (
        "# Rules\n\n"
        "One page per code. Each page's examples are linted by the test suite: the Example\n"
        "gives that code, the Use instead gives nothing.\n\n"
        f"{rules_table('rules/')}\n"
    )


def messages_section(rule: Rule) -> str:
    """The Messages section of a rule's page: every variant's template, from the registry."""
    lines = []
    if len(rule.variants) > 1:
        lines += [f"{rule.code} has {len(rule.variants)} messages, one for each case below; "
                  "`{...}` stands for a name from your code.", ""]
    for variant in rule.variants:
        text = re.sub(r"\{(\w+)!r\}", r"'{\1}'", variant.template)
        name = f"{rule.code}.{variant.name}" if variant.name else rule.code
        lines.append(f"- `{name}`: {text}")
        for key, allowed in variant.choices.items():
            lines.append(f"  (`{{{key}}}` is one of: {', '.join(allowed)})")
    return "\n".join(lines) + "\n"


def with_section(text: str, heading: str, content: str) -> str:
    """The page with a generated section (re)written; a new one goes before the Example."""
    body = f"## {heading}\n{content}\n"
    if f"\n## {heading}\n" in text:
        return re.sub(rf"^## {heading}\n.*?(?=^## )", lambda _: body, text, flags=re.M | re.S)
    return text.replace("\n## Example\n", "\n" + body + "## Example\n", 1)


def silences_section(rule: Rule) -> str:
    """The Silences section of a rule's page: every reason of rules.SILENCES it gives."""
    found = silences_of(rule.code)
    if not found:
        return (f"{rule.code} prints no reasons: it reports what it can read, and says nothing "
                "where it cannot.\n")
    lines = [f"Where {rule.code} looks at code and says nothing, `--async-tests-explain` prints "
             "one of these reasons beside the line; `{...}` stands for a name, a place or a "
             "reason the plugin read from your project.", ""]
    for silence in found:
        text = re.sub(r"\{(\w+)!r\}", r"'{\1}'", silence.template)
        lines.append(f"- `{silence.name}`: {text}")
        if silence.about:
            lines.append(f"  ({silence.about})")
    return "\n".join(lines) + "\n"


def fix_line(rule: Rule) -> str:
    """The first line of a page's Fix section, from the fix registry (flake8_async_tests.fix);
    sentences after it are the page's own."""
    fix = FIXES.get(rule.code)
    if fix is None:
        return "No automatic fix."
    scope = ""
    if fix.variants is not None:
        scope = " of " + ", ".join(f"`{rule.code}.{v}`" for v in fix.variants)
    if fix.safety == UNSAFE:
        return (f"Unsafe fix{scope} (`flake8-async-tests --fix --unsafe-fixes`): {fix.does}")
    return f"Safe fix{scope} (`flake8-async-tests --fix`): {fix.does}"


def with_fix(text: str, rule: Rule) -> str:
    """The page with the Fix section's first line (re)written, the section before Messages."""
    if "\n## Fix\n" not in text:
        return text.replace("\n## Messages\n", f"\n## Fix\n{fix_line(rule)}\n\n## Messages\n", 1)
    return re.sub(r"^## Fix\n[^\n]*\n", lambda _: f"## Fix\n{fix_line(rule)}\n", text,
                  count=1, flags=re.M)


def readme_table(readme: str) -> str | None:
    match = re.search(re.escape(TABLE_START) + r"(.*?)" + re.escape(TABLE_END), readme, re.S)
    return match.group(1).strip("\n") if match else None


def write() -> None:
    (REPO / "docs" / "README.md").write_text(docs_index(), encoding="utf-8")
    for rule in RULES:
        path = DOCS / f"{rule.code}.md"
        text = with_section(path.read_text(encoding="utf-8"), "Messages", messages_section(rule))
        text = with_fix(with_section(text, "Silences", silences_section(rule)), rule)
        path.write_text(text, encoding="utf-8")
    readme_path = REPO / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    if readme_table(readme) is None:
        raise SystemExit(f"README.md has no {TABLE_START} ... {TABLE_END} block")
    start = readme.index(TABLE_START) + len(TABLE_START)
    end = readme.index(TABLE_END)
    readme_path.write_text(readme[:start] + "\n" + rules_table("docs/rules/") + "\n"
                           + readme[end:], encoding="utf-8")


@pytest.fixture(scope="session")
def flake8_options() -> set[str]:
    """The --async-tests-* options the real flake8 knows."""
    proc = subprocess.run([sys.executable, "-m", "flake8", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = set(re.findall(r"--async-tests-[a-z-]+[a-z]", proc.stdout))
    assert found, proc.stdout
    return found


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
    """Lint every page's two examples in one flake8 run: (code, 'bad'|'good') -> findings."""
    root = tmp_path_factory.mktemp("doc-examples")
    targets = []
    for code in CODES:
        path = DOCS / f"{code}.md"
        if code in NOT_RUNNABLE or not path.exists():
            continue
        _, body, _ = sections(path.read_text(encoding="utf-8"))
        for kind, heading in (("bad", "Example"), ("good", "Use instead")):
            blocks = python_blocks(body.get(heading, ""))
            if len(blocks) != 1:
                continue
            project = root / code / kind
            project.mkdir(parents=True)
            (project / "pytest.ini").write_text(STRICT_INI, encoding="utf-8")
            (project / "test_example.py").write_text(blocks[0], encoding="utf-8")
            targets.append(f"{code}/{kind}")
    run = lint(root, [], targets)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    runs: dict[tuple[str, str], list[tuple[int, str, str]]] = {
        tuple(t.split("/")): [] for t in targets}
    for finding in run.found:
        owner, kind, _ = finding.path.split("/", 2)
        runs[(owner, kind)].append((finding.line, finding.code, finding.text))
    return runs


@pytest.mark.parametrize("code", CODES)
def test_page_has_the_format(code, flake8_options):
    rule: Rule = next(r for r in RULES if r.code == code)
    title, body, order = sections(page(code))
    assert title == f"# {code}: {rule.name}"
    assert order == HEADINGS
    assert all(body[h].strip() for h in HEADINGS), "empty section"
    options = set(re.findall(r"--async-tests-[a-z-]+[a-z]", body["Options"]))
    assert options <= flake8_options, options - flake8_options
    assert options or body["Options"].strip() == "None."
    links = re.findall(r"\]\((https://[^)\s]+)\)", body["References"])
    assert any(site in link for link in links for site in REFERENCE_SITES), links


@pytest.mark.parametrize("heading", ["Messages", "Silences"])
@pytest.mark.parametrize("code", CODES)
def test_generated_sections_match_the_registry(code, heading):
    """Messages and Silences list every template of the registry for the code."""
    rule: Rule = next(r for r in RULES if r.code == code)
    _, body, _ = sections(page(code))
    made = messages_section(rule) if heading == "Messages" else silences_section(rule)
    assert body[heading].strip("\n") == made.strip("\n"), \
        "regenerate with: python tests/test_docs.py --write"


@pytest.mark.parametrize("code", CODES)
def test_page_says_what_fix_the_registry_has(code):
    rule: Rule = next(r for r in RULES if r.code == code)
    _, body, _ = sections(page(code))
    assert body["Fix"].strip("\n").split("\n")[0] == fix_line(rule), \
        "regenerate with: python tests/test_docs.py --write"


def test_no_page_without_a_rule():
    assert sorted(p.stem for p in DOCS.glob("*.md") if p.stem not in CODES) == []


@pytest.mark.parametrize("code", [c for c in CODES if c not in NOT_RUNNABLE])
def test_example_gives_exactly_its_code(code, example_runs):
    _, body, _ = sections(page(code))
    assert len(python_blocks(body["Example"])) == 1, "Example needs one ```python block"
    found = example_runs[(code, "bad")]
    assert found, f"the Example of {code} gives no finding"
    assert {c for _, c, _ in found} == {code}, found
    for _, _, text in found:  # the message tells the user where to read more
        assert text.endswith(f"[docs/rules/{code}.md]"), text


@pytest.mark.parametrize("code", [c for c in CODES if c not in NOT_RUNNABLE])
def test_use_instead_gives_nothing(code, example_runs):
    _, body, _ = sections(page(code))
    assert len(python_blocks(body["Use instead"])) == 1, "Use instead needs one ```python block"
    assert example_runs[(code, "good")] == []


def test_internal_error_page_is_not_runnable():
    """AT000 has no trigger in code: its page shows the output line instead of examples."""
    _, body, _ = sections(page("AT000"))
    assert python_blocks(body["Example"]) == []
    assert python_blocks(body["Use instead"]) == []
    assert "AT000 " in body["Example"] and "[docs/rules/AT000.md]" in body["Example"]
    assert "--async-tests-report-errors" in body["Options"]


def test_docs_index_matches_the_registry():
    text = (REPO / "docs" / "README.md").read_text(encoding="utf-8")
    assert text == docs_index(), "regenerate with: python tests/test_docs.py --write"


def test_readme_table_matches_the_registry():
    table = readme_table((REPO / "README.md").read_text(encoding="utf-8"))
    assert table == rules_table("docs/rules/"), "regenerate with: python tests/test_docs.py --write"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write()
    else:
        raise SystemExit("usage: python tests/test_docs.py --write")
