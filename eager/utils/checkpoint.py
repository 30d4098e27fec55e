"""Activation checkpointing, ``torch.utils.checkpoint.checkpoint``: run a piece of a model
without keeping its intermediate values, and run it again during ``backward``.

``use_reentrant=True`` (PyTorch's default, with a warning when not passed) is PyTorch's
reentrant form: the piece runs under ``no_grad``, one ``CheckpointFunctionBackward`` entry is
recorded, and its backward re-runs the piece with the random state of the forward restored (so
dropout draws the same mask) and backpropagates through that; as in PyTorch, the output
requires grad only when an input does, and the parameters the piece reads get their gradients
from the recomputation. ``use_reentrant=False`` is PyTorch's non-reentrant form, which frees
intermediate values through saved-tensor hooks that eager does not have: the piece runs as a
plain call, so values, gradients and ``grad_fn`` are PyTorch's but no memory is traded.

    >>> import eager
    >>> from eager.utils.checkpoint import checkpoint
    >>> layer = eager.nn.Linear(2, 1)
    >>> x = eager.ones(3, 2, requires_grad=True)
    >>> checkpoint(layer, x, use_reentrant=True).grad_fn.name()
    'CheckpointFunctionBackward'
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from .. import autograd
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential"]


class CheckpointFunction(autograd.Function):
    """The reentrant checkpoint: forward without a tape, backward by recomputation."""

    @staticmethod
    def forward(ctx: Any, run_function: Callable, preserve_rng_state: bool, *args: Any) -> Any:
        ctx.run_function = run_function
        ctx.rng_state = get_rng_state() if preserve_rng_state else None
        ctx.tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.inputs = list(args)
        ctx.save_for_backward(*(args[i] for i in ctx.tensor_positions))
        return run_function(*args)

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> tuple:
        inputs = list(ctx.inputs)
        for position, saved in zip(ctx.tensor_positions, ctx.saved_tensors, strict=True):
            inputs[position] = saved.detach().requires_grad_(saved.requires_grad)
        after = get_rng_state()
        if ctx.rng_state is not None:
            set_rng_state(ctx.rng_state)
        try:
            with autograd.enable_grad():
                outputs = ctx.run_function(*inputs)
        finally:
            set_rng_state(after)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs, strict=False)
                 if isinstance(o, Tensor) and o.requires_grad and g is not None]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not "
                               "necessary")
        autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
        grads = tuple(inp.grad if isinstance(inp, Tensor) else None for inp in inputs)
        return (None, None, *grads)


def checkpoint(function: Callable, *args: Any, use_reentrant: bool | None = None,
               context_fn: Callable | None = None, determinism_check: str = "default",
               debug: bool = False, preserve_rng_state: bool = True, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, checkpointed (see the module docstring for the two
    forms). ``context_fn``, ``determinism_check`` and ``debug`` belong to PyTorch's
    non-reentrant form and are accepted with its defaults only."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: the use_reentrant parameter should be passed "
                      "explicitly. Starting in PyTorch 2.9, calling checkpoint without "
                      "use_reentrant will raise an exception. use_reentrant=False is "
                      "recommended, but if you need to preserve the current default behavior, "
                      "you can pass use_reentrant=True. Refer to docs for more details on the "
                      "differences between the two variants.", UserWarning, stacklevel=2)
        use_reentrant = True
    if use_reentrant:
        if context_fn is not None or debug:
            raise ValueError("Passing `context_fn` or `debug` is only supported when "
                             "use_reentrant=False.")
        if kwargs:
            raise ValueError("Unexpected keyword arguments: " + ",".join(kwargs))
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                          UserWarning, stacklevel=2)
        return CheckpointFunction.apply(function, preserve_rng_state, *args)
    if context_fn is not None or determinism_check != "default" or debug:
        raise NotImplementedError("checkpoint(use_reentrant=False): context_fn, "
                                  "determinism_check and debug need saved-tensor hooks, which "
                                  "eager does not have")
    return function(*args, **kwargs)


def checkpoint_sequential(functions: Any, segments: int, input: Any,  # noqa: A002
                          use_reentrant: bool | None = None, **kwargs: Any) -> Any:
    """Run a Sequential (or list of modules) in ``segments`` checkpointed pieces; the last
    piece runs plainly, as PyTorch's does."""
    modules = list(functions.children()) if hasattr(functions, "children") else list(functions)
    size = len(modules) // segments
    end = -1

    def run(start: int, stop: int) -> Callable:
        def forward(x: Any) -> Any:
            for module in modules[start:stop + 1]:
                x = module(x)
            return x
        return forward

    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant,  # noqa: A001
                           **kwargs)
    return run(end + 1, len(modules) - 1)(input)
