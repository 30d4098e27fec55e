"""Hooks on the tensors the graph saves for backward, as PyTorch's
``torch.autograd.graph.saved_tensors_hooks``, ``save_on_cpu`` and
``disable_saved_tensors_hooks``.

Inside ``with saved_tensors_hooks(pack, unpack):`` every value a recorded op saves is handed
to ``pack`` when the op runs, and what ``pack`` returned goes to ``unpack`` when backward needs
the value; the gradient is computed from what ``unpack`` returns. An entry saves its Tensor
inputs when its gradient rule reads them and its output when the rule reads that (see
`output_reads`; PyTorch's nodes save per op, so an op whose rule reads its inputs only for
their shapes, such as ``add``, packs them here where PyTorch packs nothing). A custom
Function's ``ctx.save_for_backward`` tensors are packed the same way.

    >>> import eager
    >>> x = eager.ones(2, requires_grad=True)
    >>> with saved_tensors_hooks(lambda t: t * 2, lambda t: t):  # pack a doubled copy
    ...     y = x.exp()
    >>> y.sum().backward()
    >>> x.grad  # exp's gradient is its output, as packed
    tensor([5.4366, 5.4366])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import recording

__all__ = ["saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks"]


class saved_tensors_hooks:  # noqa: N801 (PyTorch's name)
    """Context manager: ``pack_hook(tensor) -> anything`` when a value is saved,
    ``unpack_hook(packed) -> tensor`` when backward uses it (this thread only)."""

    def __init__(self, pack_hook: Callable[[Any], Any],
                 unpack_hook: Callable[[Any], Any]) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        state = recording.hook_state
        if state.disabled:
            raise RuntimeError(state.disabled[-1])
        state.stack.append((self.pack_hook, self.unpack_hook))
        recording.count_hooks(+1)

    def __exit__(self, *exc: Any) -> None:
        recording.hook_state.stack.pop()
        recording.count_hooks(-1)


class save_on_cpu(saved_tensors_hooks):  # noqa: N801 (PyTorch's name)
    """Saved tensors are kept on the CPU and moved back to their device for backward (every
    eager tensor is on the CPU already: the values pass through unchanged)."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack_to_cpu(tensor):
            return (tensor.device, tensor.cpu())

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


class disable_saved_tensors_hooks:  # noqa: N801 (PyTorch's name)
    """Context manager: opening a ``saved_tensors_hooks`` block inside raises RuntimeError
    with ``error_message``, as does opening this one inside such a block."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        state = recording.hook_state
        if state.stack:
            raise RuntimeError(self.error_message)
        state.disabled.append(self.error_message)

    def __exit__(self, *exc: Any) -> None:
        recording.hook_state.disabled.pop()
