"""Random programs written as test modules never crash the plugin (a short, repeatable run;
scripts/fuzz.py runs a long one)."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzzing import projects
from harness import places, run_flake8

EXAMPLES = 60


def generate(count: int) -> list[dict[str, str]]:
    """`count` projects, the same ones every run (derandomized, no example database)."""
    found: list[dict[str, str]] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(st.data())
    def collect(data):
        found.append(data.draw(projects(helpers=f"fuzz_helpers_{len(found)}")))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings from compiling odd programs
        collect()
    return found


def test_generated_test_modules_never_crash_the_plugin(tmp_path):
    examples = generate(EXAMPLES)
    assert len(examples) >= EXAMPLES // 2
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    for number, modules in enumerate(examples):
        for name, source in modules.items():
            filename = f"test_fuzz_{number}.py" if name == "test_fuzz" else f"{name}.py"
            (tmp_path / filename).write_text(source, encoding="utf-8")
    found, proc = run_flake8(tmp_path, ["--async-tests-report-errors", "-j", "2"])
    found = places(found)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    crashed = sorted(path for path, _, code in found if code == "AT000")
    assert not crashed, [(path, (tmp_path / path).read_text(encoding="utf-8"))
                         for path in crashed]
    # The rules did run on the generated tests.
    assert {code for _, _, code in found} & {"AT100", "AT200", "AT300", "AT301"}, found
