"""The source a module's tree was parsed from, asked whether a statement's lines mention a
word before its expressions are walked (walking them costs most of an index build)."""

from __future__ import annotations

import ast
import bisect
import re


class Text:
    """Each word is looked for once per module; a statement then asks for a line in its
    range. Without the source (None), everything may be mentioned."""

    def __init__(self, source: bytes | None) -> None:
        if source is not None and b"\r" in source:  # line ends as the parser reads them
            source = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        self.source = source
        self._lines: dict[re.Pattern[bytes], list[int]] = {}

    def mentions(self, node: ast.stmt, pattern: re.Pattern[bytes]) -> bool:
        if self.source is None:
            return True
        lines = self._lines.get(pattern)
        if lines is None:
            lines, line, before = [], 1, 0
            for match in pattern.finditer(self.source):
                line += self.source.count(b"\n", before, match.start())
                before = match.start()
                lines.append(line)
            self._lines[pattern] = lines
        at = bisect.bisect_left(lines, node.lineno)
        return at < len(lines) and lines[at] <= (node.end_lineno or node.lineno)
