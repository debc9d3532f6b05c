"""Every name of the astroid bridge, imported together (see the package's docstring)."""

from .base import ERRORS, MANAGER, own
from .building import build_body, build_module, forget_module, node_in_file, warm_up
from .classes import (
    annotated_names, class_attribute_names, class_is_closed, class_mro, instance_attribute,
    member, member_opening, owner_of, resolve_dotted, rewrites_subclasses,
    sets_attributes_dynamically,
)
from .functions import (
    coroutine_function, implicit_first, is_async_def, is_coroutine_function, plain_function,
    signature_of, surely_not_awaitable,
)
from .infer import safe_infer
from .names import dotted_name, is_class, is_module, qname
from .session import SETTINGS
from .session import analysis as session_analysis

__all__ = [
    "ERRORS", "MANAGER", "SETTINGS", "annotated_names", "build_body", "build_module",
    "class_attribute_names", "class_is_closed", "class_mro",
    "coroutine_function", "dotted_name", "forget_module", "implicit_first",
    "instance_attribute", "is_async_def", "is_class", "is_coroutine_function", "is_module",
    "member", "member_opening", "node_in_file", "own", "owner_of", "plain_function", "qname",
    "resolve_dotted", "rewrites_subclasses", "safe_infer", "sets_attributes_dynamically",
    "session_analysis", "signature_of", "surely_not_awaitable", "warm_up",
]
