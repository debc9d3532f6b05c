"""The names an installed module defines and imports, read from the interpreter's own
bytecode cache (`__pycache__/*.pyc`) instead of its source: what the search of the modules
in reach (`reach.py`) needs of the many installed modules a test file reaches (pytest
alone brings about a hundred), for a small part of the cost of parsing them.

Nothing is run: the code objects are unmarshalled and their flags, names and import
instructions read. A cache file is used only where the interpreter itself would use it (this
version's magic number, and the source's mtime and size, or its hash) and only where the
answer is sure to be the one the source gives (`facts.build`); anywhere else, None, and the
source is parsed as before. What the compiler leaves out or adds is the reason for each
guard: branches of a test spelled as one literal (`if False:`, `if 2: ... else:`, `while
not __debug__:`), type aliases and type parameters (their lazy values are code objects
named like defs), a def loaded right before a jump (3.11 compiles `x = ping if c else a`
so), and a private name stored in a class. A def stored under another name in a
module's or class's code (`handler = ping`, `x = a or ping`: the search in reach counts
`handler` and `x` as defs) is read from the load and the store that follow each other,
as the parser reads the value's end (facts.value_ends).

What no guard sees: statements that can never run (after a `return`, `raise`, `break` or an
endless loop in the same block, or under a test the compiler folds from more than one
literal, such as `if 1 - 1:`) compile to nothing, so their defs and imports are not read
here, as they do not exist when the module runs; the parser counts them. The two readers
can differ only by what such dead code defines or imports: none of the 16,000 module
versions compared on CPython 3.10 to 3.13 (their standard libraries and installed packages)
did (tests/test_compiled.py).
"""

from __future__ import annotations

import dis
import importlib.util
import marshal
import os
import re
import sys
import types
from typing import NamedTuple

from .. import reads
from .facts import absolute

_IMPORT_NAME = dis.opmap["IMPORT_NAME"]
_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]
_LOAD_CONST = dis.opmap["LOAD_CONST"]
# `LOAD_NAME a` then `STORE_NAME b` (an EXTENDED_ARG may come between), found where they
# overlap other matches too
_ALIAS = re.compile(b"(?=%s(.)(?:%s(.))?%s(.))" % tuple(
    re.escape(bytes([dis.opmap[op]])) for op in ("LOAD_NAME", "EXTENDED_ARG", "STORE_NAME")),
    re.S)
# `LOAD_NAME a` then an unconditional `JUMP_FORWARD`
_JUMPED = re.compile(b"(?=%s(.)%s.)" % tuple(
    re.escape(bytes([dis.opmap[op]])) for op in ("LOAD_NAME", "JUMP_FORWARD")), re.S)
# `type X = ...` (3.12+): CALL_INTRINSIC_1 with INTRINSIC_TYPEALIAS
_TYPE_ALIAS = (bytes([dis.opmap["CALL_INTRINSIC_1"], 11]) if "CALL_INTRINSIC_1" in dis.opmap
               else None)
# A test the compiler folds to a constant, so that a branch compiles to nothing: `if`,
# `elif` or `while`, then only `not`, signs and brackets before one literal, then the colon,
# searched in the source with spaces and tabs left out; line breaks, comments and
# backslashes may come between (a bracketed test spread over lines). Any such text, in code
# or not (a string), and the module is parsed instead.
_GAP = rb"(?:(?:#[^\r\n]*)?[\r\n]|\\)*"
_CONSTANT_TEST = re.compile(
    rb"(if|while)" + _GAP + rb"((?:(?:not|[-+~(])" + _GAP + rb")*)"
    rb"(False|True|None|__debug__|\.\.\.|[0-9][0-9a-zA-Z_.]*"
    rb"|(?:[rRbBuU]{0,2}(?:\"[^\"]*\"|'[^']*'))+)" + _GAP + rb"(?:\)" + _GAP + rb")*:")
SUPPORTED = (sys.implementation.name == "cpython"
             and (3, 10) <= sys.version_info[:2] <= (3, 13))
_FUNCTION = 0x02  # CO_NEWLOCALS: a function's code, not a class body's
_ASYNC = 0x80 | 0x200  # CO_COROUTINE, CO_ASYNC_GENERATOR: an async def


# Opcodes that bind a module's name from inside a def or class (`global x; x = ...`).
_GLOBAL_STORES = (dis.opmap["STORE_GLOBAL"], dis.opmap["DELETE_GLOBAL"])
# Names through which code may bind any name of a module: `globals()`, `vars()`,
# `setattr(module, ...)`, `exec`, a module `__getattr__`, a module's `__dict__`.
_BINDS_ANY = frozenset({"globals", "vars", "setattr", "exec", "__getattr__", "__dict__"})


class Names(NamedTuple):
    """What the search of the modules in reach reads of one module."""
    defs: frozenset[str]
    async_defs: frozenset[str]
    modules: tuple[str, ...]  # imported at module level


def names(path: str, name: str) -> Names | None:
    """The names module `name` at `path` defines (def, async def, at any depth) and the
    modules it imports at module level, from its bytecode cache; None when there is no
    usable one, or its code holds anything the source would read otherwise."""
    if not SUPPORTED:
        return None
    try:
        code = _code(path)
        if code is None:
            return None
        modules = _imports(code, name, os.path.basename(path) == "__init__.py")
    except (OSError, ValueError, EOFError, TypeError, IndexError, KeyError,
            NotImplementedError):
        return None
    if modules is None:
        return None
    defs: set[str] = set()
    async_defs: set[str] = set()
    stack = [code]
    while stack:
        outer = stack.pop()
        if _TYPE_ALIAS is not None and _found(outer.co_code, _TYPE_ALIAS):
            return None
        own: tuple[set[str], set[str]] = (set(), set())  # this code's defs, async defs
        for const in outer.co_consts:
            if isinstance(const, types.CodeType):
                if const.co_name.startswith("<generic parameters of "):
                    return None
                if const.co_flags & _FUNCTION and not const.co_name.startswith("<"):
                    own[bool(const.co_flags & _ASYNC)].add(const.co_name)
                stack.append(const)  # (lambdas, comprehensions, class bodies: entered)
        if not outer.co_flags & _FUNCTION:  # a module's or a class's code
            pairs = _alias_pairs(outer, own[0] | own[1], outer is not code)
            if pairs is None:
                return None  # (only the parser tells these apart)
            for name, other in pairs:  # `name = other`: another name for a def
                if other in own[0]:
                    defs.add(name)
                if other in own[1]:
                    async_defs.add(name)
        defs.update(own[0])
        async_defs.update(own[1])
    return Names(frozenset(defs), frozenset(async_defs), tuple(modules))


def _alias_pairs(code: types.CodeType, defs: set[str],
                 in_class: bool) -> list[tuple[str, str]] | None:
    """The (name, other) pairs where a module's or class's code stores a def of its own
    (`other`, in `defs`) under another name: `LOAD_NAME other` followed at once by
    `STORE_NAME name`, which is how `name = other`, and the end of `name = a or other` or
    `name = a if c else other`, compile (facts.value_ends reads the same from source).
    None where only the source tells: a def loaded right before a jump (3.11 compiles
    `name = other if c else a` so), and a private (mangled) name in a class. (A name
    declared `global` anywhere is stored and loaded with other opcodes, as the parser
    leaves it out.) A class body's first pair, `__module__ = __name__`, is the
    compiler's. (Neither opcode has inline cache entries in 3.10 to 3.13.)"""
    if not defs:
        return []
    raw = code.co_code
    for found in _JUMPED.finditer(raw):
        if found.start() % 2 == 0 and code.co_names[
                found.group(1)[0] | _extended(raw, found.start())] in defs:
            return None
    pairs = []
    for found in _ALIAS.finditer(raw):
        at = found.start()
        if at % 2:
            continue  # (an argument byte, not an opcode)
        load, extended, store = found.group(1, 2, 3)
        other = code.co_names[load[0] | _extended(raw, at)]
        name = code.co_names[store[0] | (extended[0] << 8 if extended else 0)]
        if other in defs and name != "__module__":
            pairs.append((name, other))
    if in_class and any(_private(n, code.co_name) for pair in pairs for n in pair):
        return None
    return pairs


def _private(name: str, cls: str) -> bool:
    """A private name as the code of class `cls` holds it: mangled (`_Cls__x`), or as
    written (`__x`) where the class's name is only underscores."""
    return (name.startswith(f"_{cls.lstrip('_')}__")
            or name.startswith("__") and not name.endswith("__"))


def _extended(raw: bytes, at: int) -> int:
    """The high bits the EXTENDED_ARG instructions before offset `at` give its argument."""
    value, shift = 0, 8
    while at >= 2 and raw[at - 2] == _EXTENDED_ARG:
        at -= 2
        value |= raw[at + 1] << shift
        shift += 8
    return value


def bindings(path: str) -> frozenset[str] | None:
    """Every name the module at `path` may bind in its namespace, from its bytecode cache:
    the names its module-level code uses (a def, class, import or assignment binds through
    them), and every name of a def or class that stores or deletes a global. A name not
    among them is bound by no statement of the module. None when there is no usable cache
    file, or the module star-imports, or any of its code uses a name that may bind any
    (`globals`, `setattr`, `exec`, `__getattr__`...). The cache file joins the reads the
    answer rests on, also where it is missing or stale (made later, it gives an answer)."""
    if not SUPPORTED:
        return None
    try:
        reads.file(importlib.util.cache_from_source(path))
        code = _code(path)
    except (OSError, ValueError, EOFError, TypeError, NotImplementedError):
        return None
    if code is None or ("*",) in code.co_consts:  # (`from m import *` loads that fromlist)
        return None
    found = set(code.co_names)
    stack = [code]
    while stack:
        outer = stack.pop()
        if not _BINDS_ANY.isdisjoint(outer.co_names):
            return None
        if outer is not code and any(_found(outer.co_code, bytes([op]))
                                     for op in _GLOBAL_STORES):
            found.update(outer.co_names)
        stack.extend(c for c in outer.co_consts if isinstance(c, types.CodeType))
    return frozenset(found)


def _found(raw: bytes, instruction: bytes) -> bool:
    """Does bytecode hold this instruction (an opcode, with its argument or not) at an
    instruction's offset?"""
    at = raw.find(instruction)
    while at != -1:
        if at % 2 == 0:
            return True
        at = raw.find(instruction, at + 1)
    return False


def _code(path: str) -> types.CodeType | None:
    """The module's code from the cache file the interpreter would use for `path`, if it
    holds for the source as it is now."""
    cached = importlib.util.cache_from_source(path)
    stat = reads.stat(path)  # the answer rests on the source, as a parse's would
    if reads.racy(stat):
        return None  # changed within the mtime's resolution: the cache file may predate it
    with open(cached, "rb") as handle:
        data = handle.read()
    if data[:4] != importlib.util.MAGIC_NUMBER or len(data) < 16:
        return None
    flags = int.from_bytes(data[4:8], "little")
    if flags == 0:  # stamped with the source's mtime and size
        if (int.from_bytes(data[8:12], "little") != int(stat.st_mtime) & 0xFFFFFFFF
                or int.from_bytes(data[12:16], "little") != stat.st_size & 0xFFFFFFFF):
            return None
    elif flags != 0b11:  # a hash never checked: it may not match the source
        return None
    with open(path, "rb") as handle:
        source = handle.read()
    if flags == 0b11 and importlib.util.source_hash(source) != data[8:16]:
        return None
    if _folds_a_test(source.translate(None, b" \t\f\v")):
        return None
    code = marshal.loads(data[16:])
    return code if isinstance(code, types.CodeType) else None


def _folds_a_test(squeezed: bytes) -> bool:
    """May the compiler drop a branch of this source (spaces and tabs left out)? Any
    constant `if` test (one branch or the other goes), and a `while` test that is false (its
    body goes); a true `while` drops only what follows an endless loop, which no guard sees
    (see the module's docstring)."""
    for found in _CONSTANT_TEST.finditer(squeezed):
        if found[1] == b"if" or b"~" in found[2]:
            return True
        value = _truth(found[3])
        negated = re.sub(rb"#[^\r\n]*", b"", found[2]).count(b"not") % 2 == 1
        if value is None or value == negated:
            return True  # false (or not known): the body compiles to nothing
    return False


def _truth(literal: bytes) -> bool | None:
    """The truth of one literal as `_CONSTANT_TEST` finds it (spaces left out); None when
    it cannot tell."""
    if literal in (b"False", b"None"):
        return False
    if literal in (b"True", b"__debug__", b"..."):
        return True
    if literal[:1].isdigit():
        for kind in (int, float, complex):
            try:
                return bool(kind(literal.decode().replace("_", ""), 0) if kind is int
                            else kind(literal.decode().replace("_", "")))
            except ValueError:
                continue
        return None
    return any(len(part) > 2 for part in re.findall(rb"\"[^\"]*\"|'[^']*'", literal))


def _imports(code: types.CodeType, name: str, package: bool) -> list[str] | None:
    """The modules module-level code imports (as the index names them from source);
    None when an import is not spelled as the compiler spells a statement."""
    found: dict[str, None] = {}
    raw = code.co_code
    consts: list[object] = []  # the last constants loaded: an import's level and names
    extended = 0
    for at in range(0, len(raw), 2):
        op, arg = raw[at], raw[at + 1] | extended
        if op == _EXTENDED_ARG:
            extended = arg << 8
            continue
        extended = 0
        if op == _LOAD_CONST:
            consts = [*consts[-1:], code.co_consts[arg]]
        elif op == _IMPORT_NAME:
            if len(consts) != 2 or not isinstance(consts[0], int):
                return None
            level, fromlist = consts
            module = code.co_names[arg]
            if fromlist is None:
                found[module] = None  # `import a.b`
            elif isinstance(fromlist, tuple):
                base = absolute(module or None, level, name, package)
                if base:
                    found[base] = None
                found.update(dict.fromkeys(f"{base}.{alias}" if base else alias
                                           for alias in fromlist if alias != "*"))
            else:
                return None
            consts = []
        elif op != 0:  # (0: an inline cache entry, 3.11+)
            consts = []
    return list(found)
