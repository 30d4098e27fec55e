"""``eager.autograd.graph``, PyTorch's module of the same name: the graph's node type and
the hooks on the tensors it saves (`saved_hooks`), one hook over several gradients
(`multi_grad_hook`).

    >>> import eager
    >>> y = eager.ones(2, requires_grad=True) * 2
    >>> isinstance(y.grad_fn, Node), isinstance(y.grad_fn.next_functions[0][0], Node)
    (True, True)
"""

from __future__ import annotations

from .multi_grad_hook import register_multi_grad_hook
from .node_hooks import Node
from .saved_hooks import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks
from .versions import bump

__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
           "register_multi_grad_hook", "increment_version"]


def increment_version(tensor) -> None:
    """Record an in-place change to ``tensor`` (or to each tensor of an iterable) made behind
    autograd's back (through ``.numpy()``, say): a tape entry that saved it then raises at
    backward instead of computing a wrong gradient."""
    for t in (tensor,) if hasattr(tensor, "_version_counter") else tensor:
        bump(t._version_counter)
