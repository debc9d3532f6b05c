"""The source a module's tree was parsed from, asked whether a statement's lines mention a
word before its expressions are walked (walking them costs most of an index build)."""

from __future__ import annotations

import ast
import bisect
import re
from typing import Any


class Text:
    """Each word is looked for once per module; a statement then asks for a line in its
    range. Without the source (None), everything may be mentioned. The source is bytes
    (as the index reads a module) or text (as flake8 hands the linted file), the patterns
    alike."""

    def __init__(self, source: bytes | str | None) -> None:
        # (line ends as the parser reads them)
        if isinstance(source, str):
            source, self.newline = source.replace("\r\n", "\n").replace("\r", "\n"), "\n"
        elif source is not None:
            source, self.newline = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), b"\n"
        self.source = source
        self._lines: dict[re.Pattern[Any], list[int]] = {}

    def mentions(self, node: ast.stmt, pattern: re.Pattern[Any]) -> bool:
        return self.within(node.lineno, node.end_lineno or node.lineno, pattern)

    def within(self, first: int, last: int, pattern: re.Pattern[Any]) -> bool:
        """Does a match of `pattern` start on a line from `first` to `last`?"""
        if self.source is None:
            return True
        lines = self._lines.get(pattern)
        if lines is None:
            lines, line, before = [], 1, 0
            for match in pattern.finditer(self.source):
                line += self.source.count(self.newline, before, match.start())
                before = match.start()
                lines.append(line)
            self._lines[pattern] = lines
        at = bisect.bisect_left(lines, first)
        return at < len(lines) and lines[at] <= last
