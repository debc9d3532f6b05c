"""Inference proper: every value a node may have, or its single certain value."""

from __future__ import annotations

import astroid
from astroid import nodes, util
from astroid.context import InferenceContext

from . import lazy, session
from .base import ERRORS, MANAGER, own


def infer_all(node: nodes.NodeNG) -> list[nodes.NodeNG] | None:
    """All values `node` may have, or None if any is unknown or inference fails.

    astroid may fail a question whose inference builds modules and answer it once they
    are built (tests/test_determinism.py has such a project): a question's answer would
    depend on which files a `-j` worker analysed first. So a question that finds no
    answer and built a module (or a function body: lazy.py) is asked once more, without
    what astroid kept from the first attempt, as a later file would ask it."""
    if not session.allows():
        return None
    built = len(MANAGER.astroid_cache), lazy.built
    kept = InferenceContext().inferred
    before = len(kept)
    values = _values(node)
    if values is None and (len(MANAGER.astroid_cache), lazy.built) != built \
            and session.allows():
        for key in list(kept)[before:]:  # (insertion order: what the first attempt kept)
            kept.pop(key, None)
        values = _values(node)
    return values


def _values(node: nodes.NodeNG) -> list[nodes.NodeNG] | None:
    context = InferenceContext()  # (no cap on the values it infers: session.CONTEXT)
    try:
        values = []
        for value in node.infer(context=context):
            if isinstance(value, util.UninferableBase):
                return None
            values.append(value)
            if len(values) > MANAGER.max_inferable_values:
                return None
        return values or None
    except ERRORS as exc:
        own(exc)
        return None


def same(a: nodes.NodeNG, b: nodes.NodeNG) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (nodes.FunctionDef, nodes.ClassDef, nodes.Module)):
        return a.qname() == b.qname()
    if isinstance(a, astroid.Instance) and isinstance(b, astroid.Instance):
        return a._proxied is b._proxied
    if isinstance(a, astroid.BoundMethod) and isinstance(b, astroid.BoundMethod):
        return a._proxied is b._proxied
    return False


def safe_infer(node: nodes.NodeNG) -> nodes.NodeNG | None:
    """The single value of `node`, or None when unsure (none, several that disagree, errors)."""
    values = infer_all(node)
    if not values:
        return None
    first = values[0]
    if all(same(first, other) for other in values[1:]):
        return first
    return None
