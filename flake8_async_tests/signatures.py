"""A function's signature as plain data, and whether a call's arguments fit it: one
definition for signatures read by the index (from `ast`) and by astroid."""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    posonly: tuple[str, ...]  # positional-only parameters
    args: tuple[str, ...]  # the other positional parameters
    defaults: int  # how many of the last positional parameters have a default
    vararg: bool  # *args
    kwonly: tuple[str, ...]
    kw_required: tuple[str, ...]  # keyword-only parameters without a default
    kwarg: bool  # **kwargs

    def to_json(self) -> list:
        return [list(self.posonly), list(self.args), self.defaults, self.vararg,
                list(self.kwonly), list(self.kw_required), self.kwarg]

    @classmethod
    def from_json(cls, data: list) -> Signature:
        posonly, args, defaults, vararg, kwonly, kw_required, kwarg = data
        return cls(tuple(posonly), tuple(args), int(defaults), bool(vararg), tuple(kwonly),
                   tuple(kw_required), bool(kwarg))

    @classmethod
    def of(cls, args: ast.arguments) -> Signature:
        """The signature an `ast` function definition declares."""
        return cls(tuple(a.arg for a in args.posonlyargs), tuple(a.arg for a in args.args),
                   len(args.defaults), args.vararg is not None,
                   tuple(a.arg for a in args.kwonlyargs),
                   tuple(a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None),
                   args.kwarg is not None)


def call_binds(sig: Signature, args: list[ast.expr], keywords: list[ast.keyword],
               implicit: int) -> bool | None:
    """Do a call's arguments fit the signature (after `implicit` leading parameters, self
    or cls)? None when the call unpacks *args or **kwargs (it may or may not fit)."""
    if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in keywords):
        return None
    names = [*sig.posonly, *sig.args]
    if implicit > len(names) and not sig.vararg:
        return False  # self or cls has nowhere to go
    required = set(names[implicit:len(names) - sig.defaults]) | set(sig.kw_required)
    positional = names[implicit:]
    if len(args) > len(positional) and not sig.vararg:
        return False  # too many positional arguments
    given = set(positional[:len(args)])
    for keyword in keywords:
        name = keyword.arg
        if name in given:
            return False  # got multiple values
        if (name in positional and name not in sig.posonly) or name in sig.kwonly:
            given.add(name)
        elif not sig.kwarg:
            return False  # unexpected keyword (or a positional-only one given by name)
    return required <= given
