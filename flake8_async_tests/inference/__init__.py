"""The astroid bridge: the one place that talks to astroid.

Everything here answers "don't know" (None) rather than guess: on any astroid error, on
Uninferable, on several candidates that disagree, and once a file has used up its
inference budget. astroid reads source only; nothing of the linted project is imported or
run (the import guard refuses the few imports astroid would do).

`session` runs one file's analysis (import path, settings, budget, guard, cache resets),
`guard` is the import guard, `building` builds astroid trees, `infer` asks for values,
and `names`, `classes` and `functions` answer the rules' questions about each.
"""

from .base import ERRORS, MANAGER, own
from .building import build_module, forget_module, node_in_file, warm_up
from .classes import (
    annotated_names, class_attribute_names, class_is_closed, class_mro, instance_attribute,
    member, owner_of, resolve_dotted, rewrites_subclasses, sets_attributes_dynamically,
)
from .functions import (
    coroutine_function, implicit_first, is_async_def, is_coroutine_function, plain_function,
    signature_of, surely_not_awaitable,
)
from .infer import safe_infer
from .names import dotted_name, is_class, is_module, qname
from .session import SETTINGS, analysis, new_run

__all__ = [
    "ERRORS", "MANAGER", "SETTINGS", "analysis", "annotated_names", "build_module",
    "class_attribute_names", "class_is_closed", "class_mro",
    "coroutine_function", "dotted_name", "forget_module", "implicit_first",
    "instance_attribute", "is_async_def", "is_class", "is_coroutine_function", "is_module",
    "member", "new_run", "node_in_file", "own", "owner_of", "plain_function", "qname",
    "resolve_dotted", "rewrites_subclasses", "safe_infer", "sets_attributes_dynamically",
    "signature_of", "surely_not_awaitable", "warm_up",
]
