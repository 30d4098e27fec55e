"""`RemovableHandle`: what registering a hook returns, so the caller can take it off again;
`add_hook` registers one (Module and optimizer hooks alike)."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable

_ids = itertools.count()


class RemovableHandle:
    """Removes one hook from the dict it was registered in.

        >>> handle = module.register_forward_hook(print_shapes)
        >>> handle.remove()  # the hook runs no more

    Also a context manager: ``with module.register_forward_hook(h): ...``.
    """

    def __init__(self, hooks: dict):
        self.hooks = hooks
        self.id = next(_ids)

    def remove(self) -> None:
        self.hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def add_hook(hooks: OrderedDict, hook: Callable, prepend: bool = False) -> RemovableHandle:
    """Put ``hook`` in ``hooks`` (last, or first when ``prepend``) and return its handle."""
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle
