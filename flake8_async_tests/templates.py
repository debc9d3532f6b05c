"""A message template with named fields (`str.format` syntax): formatting it with checked
fields, and reading the fields back from a message it produced (tests and tools read
flake8's output through the registry)."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variant:
    name: str  # kebab-case; ONLY for a code's only message
    template: str  # str.format template, named fields only (`!r` allowed)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for _, name, _, _ in _parts(self.template) if name))

    def format(self, fields: Mapping[str, object]) -> str:
        if set(fields) != set(self.fields):
            raise ValueError(f"variant {self.name!r} takes fields {self.fields}, "
                             f"got {tuple(fields)}")
        for key, allowed in self.choices.items():
            if fields[key] not in allowed:
                raise ValueError(f"field {key!r} must be one of {allowed}, got {fields[key]!r}")
        return self.template.format(**fields)

    def parse(self, text: str) -> dict[str, str] | None:
        """The fields of `text` if this template produced it (values as strings).

        The answer is checked by formatting it again. A field shown both quoted and plain
        is read from its quoted form, which has clear ends, then the rest is read again."""
        known: dict[str, str] = {}
        for _ in range(2):
            found = _match(_fill(self.template, known), self.choices, text)
            if found is None:
                return None
            found.update(known)
            if self.template.format(**found) == text:
                return found
            quoted = {name for _, name, _, conversion in _parts(self.template) if conversion}
            known = {name: value for name, value in found.items() if name in quoted}
            if not known:
                return None
        return None


def _fill(template: str, known: Mapping[str, str]) -> str:
    """`template` with the `known` fields written in (as format() would write them)."""
    out = []
    for literal, name, _, conversion in _parts(template):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if name in known:
            value = repr(known[name]) if conversion == "r" else known[name]
            out.append(value.replace("{", "{{").replace("}", "}}"))
        else:
            out.append(f"{{{name}{'!r' if conversion == 'r' else ''}}}")
    return "".join(out)


def _match(template: str, choices: Mapping[str, tuple[str, ...]], text: str,
           ) -> dict[str, str] | None:
    match = _pattern(template, choices).fullmatch(text)
    if match is None:
        return None
    return {group[:-3] if group.endswith("__r") else group:
            str(ast.literal_eval(value)) if group.endswith("__r") else value
            for group, value in match.groupdict().items()}


def _pattern(template: str, choices: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    """A field's first appearance is a named group; a repeat in the same form must be the
    same text, in another form any text (format() then decides)."""
    pattern = _PATTERNS.get(template)
    if pattern is None:
        out, groups = [], {}
        for literal, name, _, conversion in _parts(template):
            out.append(re.escape(literal))
            if name is None:
                continue
            if name in choices:
                value = "|".join(re.escape(repr(c) if conversion == "r" else c)
                                 for c in choices[name])
            elif conversion == "r":
                value = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
            else:
                value = r".+?"
            if (name, conversion) in groups:
                out.append(f"(?P={groups[name, conversion]})")
            elif any(key[0] == name for key in groups):
                out.append(f"(?:{value})")
            else:
                group = groups[name, conversion] = f"{name}__r" if conversion == "r" else name
                out.append(f"(?P<{group}>{value})")
        pattern = _PATTERNS[template] = re.compile("".join(out), re.S)
    return pattern


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return list(string.Formatter().parse(template))
