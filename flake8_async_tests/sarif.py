"""`--format=async-tests-sarif`: SARIF 2.1.0 for code scanning (GitHub and others).

A flake8 report plugin: every finding of the run becomes a result, and each rule that
reported is described from the registry (its name, its summary, its page as help).
flake8's own codes (E902, E999) and other plugins' codes get a bare rule entry.
"""

from __future__ import annotations

import json
import os
from typing import Any

from flake8.formatting.base import BaseFormatter

from . import __version__
from .rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_BY_CODE = {rule.code: rule for rule in RULES}


def _rule(code: str) -> dict[str, Any]:
    rule = _BY_CODE.get(code)
    if rule is None:
        return {"id": code}
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary} See {rule.doc}, or run: "
                         f"flake8-async-tests rule {code}"},
        "properties": {"tags": ["async", "tests"]},
    }


def _uri(path: str) -> str:
    path = os.path.normpath(path)
    if os.path.isabs(path):
        try:
            path = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            return path.replace(os.sep, "/")
    return path.replace(os.sep, "/")


class SarifFormatter(BaseFormatter):
    """Collects the run's findings and writes one SARIF document when the run ends."""

    def after_init(self) -> None:
        self.results: list[Any] = []

    def handle(self, error: Any) -> None:
        self.results.append(error)

    def format(self, error: Any) -> str | None:
        return None

    def show_statistics(self, statistics: Any) -> None:
        pass

    def show_benchmarks(self, benchmarks: Any) -> None:
        pass

    def document(self) -> dict[str, Any]:
        codes = sorted({error.code for error in self.results})
        return {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "flake8-async-tests", "version": __version__,
                                    "rules": [_rule(code) for code in codes]}},
                "results": [{
                    "ruleId": error.code,
                    "ruleIndex": codes.index(error.code),
                    "level": "error",
                    "message": {"text": error.text},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": _uri(error.filename)},
                        "region": {"startLine": max(error.line_number, 1),
                                   "startColumn": max(error.column_number, 1)},
                    }}],
                } for error in self.results],
            }],
        }

    def stop(self) -> None:
        self._write(json.dumps(self.document(), indent=2))
        super().stop()
