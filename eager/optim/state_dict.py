"""An optimizer's state dict in PyTorch's layout, and loading one back.

    {"state": {0: {"step": tensor(5.), "exp_avg": tensor([...]), ...}, 1: {...}},
     "param_groups": [{"lr": 0.01, ..., "params": [0, 1]}, {..., "params": [2]}]}

Parameters are numbered in group order, first appearance (PyTorch's ``pack_group``); a
parameter that has no state yet has no entry. As PyTorch's, `pack` hands out the optimizer's
own state dicts (their Tensors are updated in place by later steps) and `unpack` casts loaded
Tensors to the parameter's (floating) dtype, ``step`` as saved, without copying one that
already has it (an optimizer loaded from a live one's state dict shares its Tensors, as
PyTorch's does).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from itertools import chain
from typing import Any

from ..tensor import Tensor
from ..tensor_base import wrap_array


def pack(param_groups: list[dict[str, Any]],
         state: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """``optimizer.state_dict()`` from its ``param_groups`` and ``state``: groups with
    parameter indices, state by index."""
    index: dict[int, int] = {}
    start = 0
    groups = []
    for group in param_groups:
        packed = {k: v for k, v in group.items() if k != "params"}
        for i, p in enumerate(group["params"], start):
            index.setdefault(id(p), i)
        packed["params"] = [index[id(p)] for p in group["params"]]
        start += len(packed["params"])
        groups.append(packed)
    packed_state = {(index[id(k)] if isinstance(k, Tensor) else k): v
                     for k, v in state.items()}
    return {"state": packed_state, "param_groups": groups}


def unpack(groups: list[dict[str, Any]], state_dict: dict[str, Any],
           array_state: bool) -> dict[str, Any]:
    """What ``optimizer.load_state_dict(state_dict)`` installs, for an optimizer with these
    param ``groups``: ``{"state", "param_groups"}`` (``array_state``: a built-in optimizer,
    whose state Tensors must have their parameter's shape).

    Checks the group layout with PyTorch's errors; the saved groups' options replace the
    optimizer's, its own parameters stay."""
    saved_groups = copy.deepcopy(state_dict["param_groups"])
    if len(groups) != len(saved_groups):
        raise ValueError("loaded state dict has a different number of parameter groups")
    if any(len(g["params"]) != len(s["params"])
           for g, s in zip(groups, saved_groups, strict=True)):
        raise ValueError("loaded state dict contains a parameter group that doesn't match the "
                         "size of optimizer's group")
    id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                      chain.from_iterable(g["params"] for g in groups), strict=True))
    state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
    for k, v in state_dict["state"].items():
        if k in id_map:
            state[id_map[k]] = _import_tensors(id_map[k], k, v)
            if array_state:
                _check_shapes(id_map[k], k, state[id_map[k]])
        else:  # kept as PyTorch keeps it
            state[k] = v
    for group, saved in zip(groups, saved_groups, strict=True):
        saved["params"] = group["params"]
        if "param_names" in group and "param_names" not in saved:
            saved["param_names"] = group["param_names"]
    return {"state": state, "param_groups": saved_groups}


def _check_shapes(param: Tensor, index: Any, entries: dict[str, Any]) -> None:
    # PyTorch would fail at the next step; the built-in updates assume the parameter's shape.
    for key, value in entries.items():
        if isinstance(value, Tensor) and value.ndim > 0 and value.shape != param.shape:
            raise ValueError(f"loaded state dict has state {key!r} of shape "
                             f"{tuple(value.shape)} for parameter {index} of shape "
                             f"{tuple(param.shape)}")


def _import_tensors(param: Tensor, index: Any, value: Any, key: Any = None) -> Any:
    # PyTorch's ``_cast``: tensors in the parameter's (floating) dtype, "step" as saved.
    if isinstance(value, Tensor):
        if key == "step" or param.dtype.kind != "f" or value.dtype == param.dtype:
            return value
        return wrap_array(value._data.astype(param.dtype))
    if isinstance(value, dict):
        return {k: _import_tensors(param, index, v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_import_tensors(param, index, v) for v in value)
    return value
