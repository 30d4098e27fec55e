"""`Optimizer`: parameter groups, per-parameter state, and an all-or-nothing ``step``.

Subclasses write one method, ``_compute(p, g, group, state, scratch)``, which reads the
parameter array ``p``, its gradient ``g`` and the parameter's current state (its Tensors'
arrays through `buffers.held`, ``step`` through `buffers.step_count`), and returns
``(delta, new_state)``: the amount to subtract from ``p`` and the state entries to replace.
It must not write into ``p`` or into ``state``; it writes its results into arrays taken from
``scratch`` (reused every step, so a step allocates nothing after the first).

``step`` runs ``_compute`` for every parameter first and only then commits: ``p -= delta``
in place on the parameter's own ndarray (never rebinding it: a static graph that captured the
array sees the update), and the new state copied into the state's Tensors. An exception while
computing - a gradient of the wrong shape, a failing closure - therefore leaves every parameter
and all optimizer state as it was. The price is memory: each state buffer exists twice, plus
one update buffer per parameter.

Groups, ``state``, ``state_dict`` and ``repr`` are PyTorch's (see `eager.optim.state_dict` for
the saved layout): ``optimizer.state[p]`` holds Tensors (``step`` a 0-d float32 one) that each
step updates in place, so code that reads or edits them (``state["momentum_buffer"].zero_()``)
works as with PyTorch's.

    >>> import eager, eager.nn as nn, eager.optim as optim
    >>> model = nn.Linear(3, 1)
    >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> model(eager.ones(2, 3)).sum().backward()
    >>> opt.step(); opt.zero_grad()
    >>> sorted(opt.state_dict()["state"][0])
    ['momentum_buffer']
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from shared_ops.complex_support import real_pairs

from ..autograd.grad_mode import enable_grad
from ..tensor import Tensor
from ..tensor_autograd import zero_grads
from . import state_dict as _state_dict
from .buffers import NO_STATE, commit_state, scratch_buffer
from .checks import typename
from .optimizer_hooks import (  # the global hooks, importable from here as from PyTorch's
    OptimizerHooks,
    register_optimizer_step_post_hook,  # noqa: F401
    register_optimizer_step_pre_hook,  # noqa: F401
)


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer(OptimizerHooks):
    """Base class for all optimizers: ``Optimizer(params, defaults)``.

    ``params`` is an iterable of Tensors, of ``(name, Tensor)`` pairs, or of dicts (parameter
    groups with their own options); ``defaults`` fills the options a group leaves out.
    ``param_groups`` is the list of those dicts, ``state`` maps a parameter to its state.
    """

    # The built-in optimizers compute on their state's arrays (see `_compute`): a state dict
    # loaded into one is checked against the parameters' shapes.
    _array_state = False
    # Group options that older state dicts may lack, filled in on load (as PyTorch's
    # ``__setstate__`` does per optimizer).
    _group_fallbacks: dict[str, Any] = {}

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._scratch: dict[Tensor, tuple[np.ndarray, dict[str, Any]]] = {}
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {typename(params)}")
        self.state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._scratch = {}  # scratch is tied to the arrays it was made for
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for key, value in self._group_fallbacks.items():
                group.setdefault(key, value)

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options (``defaults`` fill the rest).

        Like PyTorch, the dict given becomes the group (it is completed in place)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):  # named_parameters(): (name, tensor)
                names.append(param[0])
                param = param[1]
            tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        if len(tensors) != len({id(p) for p in tensors}):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in "
                          "future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if any(id(p) in seen for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop every gradient (default) or zero it in place."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()`` if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        plans = []
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if getattr(type(grad), "is_sparse", None) is True:  # a COO gradient
                    grad = self._densified(grad, group)
                arr, g = p._data, grad._data
                if arr.dtype.kind == "c":  # torch updates a complex parameter as real pairs
                    arr, g = real_pairs(arr), real_pairs(g)
                if g.shape != arr.shape:
                    raise RuntimeError(f"{type(self).__name__}.step: gradient of shape "
                                       f"{g.shape} for a parameter of shape {arr.shape}")
                held = self._scratch.get(p)
                if held is None or held[0] is not arr:
                    # Scratch buffers are made for one array, checked here once by identity
                    # rather than by shape and dtype at each use: a parameter given a new
                    # array (``to(dtype)``, ``load_state_dict(assign=True)``) gets new ones.
                    held = self._scratch[p] = (arr, {})
                scratch = held[1]
                if g.dtype != arr.dtype:
                    # Updates are computed in the parameter's dtype (PyTorch refuses a gradient
                    # of another): cast it once.
                    g = scratch_buffer(scratch, "grad_cast", arr)
                    np.copyto(g, grad._data)
                state = self.state.get(p)
                delta, new_state = self._compute(arr, g, group, state or NO_STATE, scratch)
                plans.append((p, arr, delta, state, new_state, scratch))
        # Commit: nothing below can fail on arrays whose shapes were checked above.
        for p, arr, delta, state, new_state, scratch in plans:
            if new_state:  # (PyTorch's SGD without momentum keeps no state at all)
                if state is None:
                    state = self.state[p] = {}
                commit_state(state, new_state, scratch)
            np.subtract(arr, delta, arr, casting="unsafe")
            p._bump_version()  # (after commit_state: this moves the write epoch for both)
        return loss

    def _densified(self, grad: Any, group: dict) -> Any:
        """The dense form of a sparse (COO) gradient, for an optimizer whose update on it is
        its dense update (SGD, Adagrad override this); the others refuse it, as torch's."""
        raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")

    def _compute(self, p: np.ndarray, g: np.ndarray, group: dict, state: dict,
                 scratch: dict) -> tuple[np.ndarray, dict[str, Any]]:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` as in
        PyTorch: the state entries are the optimizer's own (its Tensors, updated in place)."""
        return self._state_dict_with_hooks(
            lambda: _state_dict.pack(self.param_groups, self.state))

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and state saved by `state_dict` (or by PyTorch) into an optimizer
        with the same groups; raises PyTorch's ``ValueError`` when the groups differ."""
        self._load_with_hooks(state_dict, lambda sd: self.__setstate__(
            _state_dict.unpack(self.param_groups, sd, self._array_state)))
