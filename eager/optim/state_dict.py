"""An optimizer's state dict in PyTorch's layout, and loading one back.

    {"state": {0: {"step": tensor(5.), "exp_avg": tensor([...]), ...}, 1: {...}},
     "param_groups": [{"lr": 0.01, ..., "params": [0, 1]}, {..., "params": [2]}]}

Parameters are numbered in group order, first appearance (PyTorch's ``pack_group``); a
parameter that has no state yet has no entry. The built-in optimizers keep their state as
NumPy arrays and a float ``step``: `pack` hands out Tensor copies (a float32 0-d Tensor for
``step``, as PyTorch's), `unpack` turns Tensors (ours or read from PyTorch's files) back into
arrays of the parameter's dtype. Other optimizers' state passes through as PyTorch's does.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from itertools import chain
from typing import Any

import numpy as np

from shared_ops import dtypes as dt

from ..tensor import Tensor
from ..tensor_base import wrap_array


def _step_dtype() -> np.dtype:
    """PyTorch's ``_get_scalar_dtype()``: float64 when that is the default dtype, else float32."""
    return dt.float64 if dt.float64 == dt.DEFAULT_FLOAT else dt.float32


def pack(param_groups: list[dict[str, Any]], state: dict[Any, dict[str, Any]],
         array_state: bool) -> dict[str, Any]:
    """``optimizer.state_dict()`` from its ``param_groups`` and ``state``: groups with
    parameter indices, state by index (``array_state``: the built-in optimizers' arrays)."""
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
    export = _export if array_state else dict
    packed_state = {(index[id(k)] if isinstance(k, Tensor) else k): export(v)
                    for k, v in state.items()}
    return {"state": packed_state, "param_groups": groups}


def _export(entries: dict[str, Any]) -> dict[str, Any]:
    # Copies: the optimizer writes into its buffers again on the next steps.
    out = {}
    for key, value in entries.items():
        if isinstance(value, np.ndarray):
            value = wrap_array(value.copy())
        elif key == "step" and isinstance(value, float | int):
            value = wrap_array(np.array(value, dtype=_step_dtype()))
        out[key] = value
    return out


def unpack(groups: list[dict[str, Any]], state_dict: dict[str, Any],
           array_state: bool) -> dict[str, Any]:
    """What ``optimizer.load_state_dict(state_dict)`` installs, for an optimizer with these
    param ``groups``: ``{"state", "param_groups"}``.

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
    cast = _import_arrays if array_state else _import_tensors
    state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
    for k, v in state_dict["state"].items():
        if k in id_map:
            state[id_map[k]] = cast(id_map[k], k, v)
        else:  # kept as PyTorch keeps it
            state[k] = v
    for group, saved in zip(groups, saved_groups, strict=True):
        saved["params"] = group["params"]
        if "param_names" in group and "param_names" not in saved:
            saved["param_names"] = group["param_names"]
    return {"state": state, "param_groups": saved_groups}


def _import_arrays(param: Tensor, index: Any, entries: dict[str, Any]) -> dict[str, Any]:
    out = {}
    like = param._data
    for key, value in entries.items():
        if isinstance(value, Tensor | np.ndarray) and np.ndim(value) > 0:
            dtype = like.dtype if like.dtype.kind == "f" else None
            arr = np.array(value, dtype=dtype, order="C")  # a copy the optimizer may write
            if arr.shape != like.shape:
                # PyTorch would fail at the next step; the update here assumes the shape.
                raise ValueError(f"loaded state dict has state {key!r} of shape {arr.shape} "
                                 f"for parameter {index} of shape {like.shape}")
            out[key] = arr
        elif isinstance(value, Tensor | np.ndarray | np.generic):
            out[key] = value.item()
        else:
            out[key] = copy.deepcopy(value)
    return out


def _import_tensors(param: Tensor, index: Any, value: Any, key: Any = None) -> Any:
    # PyTorch's ``_cast``: tensors in the parameter's (floating) dtype, "step" as saved.
    if isinstance(value, Tensor):
        if key == "step" or param.dtype.kind != "f":
            return value
        return wrap_array(np.array(value._data, dtype=param.dtype))
    if isinstance(value, dict):
        return {k: _import_tensors(param, index, v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_import_tensors(param, index, v) for v in value)
    return value
