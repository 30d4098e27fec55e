"""`Optimizer`: parameter groups, per-parameter state, and an all-or-nothing ``step``.

Subclasses write one method, ``_compute(p, g, group, state, scratch)``, which reads the
parameter array ``p``, its gradient ``g`` and the parameter's current state, and returns
``(delta, new_state)``: the amount to subtract from ``p`` and the state entries to replace.
It must not write into ``p`` or into ``state``; it writes its results into arrays taken from
``scratch`` (reused every step, so a step allocates nothing after the first).

``step`` runs ``_compute`` for every parameter first and only then commits: ``p -= delta``
in place on the parameter's own ndarray (never rebinding it: a static graph that captured the
array sees the update), and the new state buffers swapped in (the old ones become next
step's scratch). An exception while computing - a gradient of the wrong shape, a failing
closure - therefore leaves every parameter and all optimizer state as it was. The price is
memory: each state buffer exists twice, plus one update buffer per parameter.

    >>> import eager, eager.nn as nn, eager.optim as optim
    >>> model = nn.Linear(3, 1)
    >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> model(eager.ones(2, 3)).sum().backward()
    >>> opt.step(); opt.zero_grad()
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any

import numpy as np

from ..autograd.grad_mode import enable_grad
from ..autograd.versions import bump
from ..tensor import Tensor, _wrap
from ..tensor_autograd import zero_grads


class _Required:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()
# What `_compute` reads as the state of a parameter that has none yet (read-only: `_compute`
# must not write into state, and one shared empty mapping saves a dict per parameter per step).
_NO_STATE = MappingProxyType({})


def _scratch(scratch: dict, key: str, like: np.ndarray) -> np.ndarray:
    """A reusable array like the parameter's array ``like`` (allocated on first use).

    Nothing is checked here: `Optimizer.step` keeps every array in a parameter's scratch
    shaped and typed like its current array.
    """
    buf = scratch.get(key)
    if buf is None:
        buf = scratch[key] = np.empty_like(like)
    return buf


def _constant(scratch: dict, key: str, value: Any, like: np.ndarray) -> Any:
    """``value`` as a 0-d array of the parameter's dtype (``like`` is the parameter's array).

    Why: a ufunc converts a Python number argument on every call, which costs more (~0.6 us)
    than the arithmetic on a small parameter; a 0-d array of the operands' dtype is used as
    is. The result is the same: NumPy casts a Python number to the array operand's dtype
    anyway (NEP 50), and every operand has the parameter's dtype (`Optimizer.step` casts a
    gradient of another). Cached in ``scratch`` under ``key`` until ``value`` changes (the
    scratch is renewed when the parameter's array is, so the dtype stays right).

        >>> lr = _constant({}, "lr", 0.1, np.ones(3, np.float32))
        >>> lr.dtype, float(lr) == float(np.float32(0.1))
        (dtype('float32'), True)
    """
    if type(value) not in (float, int):  # a NumPy scalar or array has its own dtype: as given
        return value
    cached = scratch.get(key)
    if cached is None or cached[0] != value:
        cached = scratch[key] = (value, np.array(value, dtype=like.dtype))
    return cached[1]


def _swap_in(state: dict, new_state: dict, scratch: dict) -> None:
    """Commit ``new_state`` into ``state``; a replaced array becomes the scratch buffer that
    the next step writes its new value into (unless it no longer fits the parameter, whose
    array was replaced since: then the next step allocates one)."""
    for key, value in new_state.items():
        if scratch.get(key) is value:
            old = state.get(key)
            if isinstance(old, np.ndarray) and old.shape == value.shape \
                    and old.dtype == value.dtype:
                scratch[key] = old
            else:
                del scratch[key]
        state[key] = value


class Optimizer:
    """Base class: holds ``param_groups`` (list of dicts with ``params`` and hyperparameters)
    and ``state`` (dict from parameter to its state: NumPy arrays such as ``exp_avg`` and a
    float ``step``; `state_dict` hands out Tensor copies)."""

    def __init__(self, params: Iterable, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self._scratch: dict[Tensor, tuple[np.ndarray, dict[str, Any]]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {type(params).__name__}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (defaults fill the rest)."""
        group = dict(param_group)
        params = group["params"]
        group["params"] = [params] if isinstance(params, Tensor) else list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if not p.requires_grad:
                raise ValueError("optimizing a parameter that doesn't require gradients")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

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
                arr, g = p._data, grad._data
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
                if g.dtype != arr.dtype or (not g.flags.c_contiguous and arr.flags.c_contiguous):
                    # Updates are computed in the parameter's dtype (PyTorch refuses a gradient
                    # of another). A transposed gradient (a Linear weight's, as the matmul rule
                    # makes it) would make every ufunc mixing it with the C-ordered parameter
                    # walk one of them against its layout (~40x slower at 784x256). Either way:
                    # cast or reorder it once.
                    g = _scratch(scratch, "grad_c", arr)
                    np.copyto(g, grad._data)
                state = self.state.get(p)
                delta, new_state = self._compute(arr, g, group, state or _NO_STATE, scratch)
                plans.append((p, arr, delta, state, new_state, scratch))
        # Commit: nothing below can fail on arrays whose shapes were checked above.
        for p, arr, delta, state, new_state, scratch in plans:
            if delta is not None:
                np.subtract(arr, delta, arr, casting="unsafe")
                bump(p._vc)  # p._bump_version(), one call less per parameter
            if state is None:
                state = self.state[p] = {}
            if new_state:
                _swap_in(state, new_state, scratch)
        return loss

    def _compute(self, p: np.ndarray, g: np.ndarray, group: dict, state: dict,
                 scratch: dict) -> tuple[np.ndarray | None, dict[str, Any]]:
        raise NotImplementedError

    # --- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` as in
        PyTorch; arrays are copied into Tensors (the optimizer reuses its own buffers)."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            packed = {k: v for k, v in group.items() if k != "params"}
            groups.append({**copy.deepcopy(packed), "params": ids})
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    state[index[id(p)]] = {
                        k: _wrap(v.copy()) if isinstance(v, np.ndarray) else v
                        for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by `state_dict` (same parameter layout)."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for mine, theirs in zip(self.param_groups, groups, strict=True):
            if len(mine["params"]) != len(theirs["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
        by_index = {}
        for mine, theirs in zip(self.param_groups, groups, strict=True):
            for p, i in zip(mine["params"], theirs["params"], strict=True):
                by_index[i] = p
        saved = {int(k): v for k, v in state_dict["state"].items()}
        new_state: dict[Tensor, dict[str, Any]] = {}
        for i, entries in saved.items():
            p = by_index[i]
            new_state[p] = {}
            for key, value in entries.items():
                if isinstance(value, Tensor | np.ndarray) and np.ndim(value) > 0:
                    arr = np.array(value, dtype=p._data.dtype)  # a copy in the param's dtype
                    if arr.shape != p._data.shape:
                        raise ValueError(f"state {key!r} of parameter {i} has shape {arr.shape}"
                                         f", the parameter has {p._data.shape}")
                    new_state[p][key] = arr
                else:
                    new_state[p][key] = value.item() if hasattr(value, "item") else value
        for mine, theirs in zip(self.param_groups, groups, strict=True):
            mine.update({k: copy.deepcopy(v) for k, v in theirs.items() if k != "params"})
        self.state = new_state
        self._scratch = {}

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"
