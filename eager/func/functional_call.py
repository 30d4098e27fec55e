"""``torch.func.functional_call`` and ``stack_module_state``: run a Module with tensors other
than its own, and stack the state of several models for ``vmap``.

    >>> import eager
    >>> from eager import nn
    >>> m = nn.Linear(2, 1)
    >>> zeros = {k: eager.zeros_like(v) for k, v in m.named_parameters()}
    >>> functional_call(m, zeros, (eager.ones(1, 2),))
    tensor([[0.]])

The given tensors are swapped into the module's tables (a parameter's slot, a buffer's slot,
or a plain attribute) for the one call, and the module's own are put back in a ``finally``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..functions_shape import stack
from ..tensor import Tensor

__all__ = ["functional_call", "stack_module_state"]

_MISSING = object()


def _merge(parameter_and_buffer_dicts: Any) -> dict:
    if isinstance(parameter_and_buffer_dicts, Mapping):
        return dict(parameter_and_buffer_dicts)
    if not isinstance(parameter_and_buffer_dicts, list | tuple) or not all(
            isinstance(d, Mapping) for d in parameter_and_buffer_dicts):
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         f"dicts, but got {type(parameter_and_buffer_dicts)}")
    merged: dict = {}
    for d in parameter_and_buffer_dicts:
        repeated = [k for k in d if k in merged]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        merged.update(d)
    return merged


def _tie(module: Any, given: dict) -> dict:
    """``given`` with every name of a tied tensor filled in from the name given for it
    (PyTorch's ``tie_weights=True``): two names of one Parameter take one replacement."""
    groups: dict[int, list[str]] = {}
    for table in (module.named_parameters, module.named_buffers):
        for name, t in table(remove_duplicate=False):
            groups.setdefault(id(t), []).append(name)
    out = dict(given)
    for names in groups.values():
        if len(names) < 2:
            continue
        present = [n for n in names if n in given]
        if not present:
            continue
        values = {id(given[n]) for n in present}
        if len(values) > 1:
            raise ValueError(f"functional_call got multiple values for keys {present}, which "
                             "are tied. Consider using tie_weights=False")
        for n in names:
            out[n] = given[present[0]]
    return out


def _check_strict(module: Any, given: dict) -> None:
    expected = [n for table in (module.named_parameters, module.named_buffers)
                for n, _ in table(remove_duplicate=False)]
    unexpected = [k for k in given if k not in expected]
    missing = [k for k in expected if k not in given]
    if unexpected or missing:
        lines = [f"Error(s) in reparametrizing for {type(module).__name__}:"]
        if unexpected:
            lines.append("\tUnexpected key(s): " + ", ".join(repr(k) for k in unexpected) + ".")
        if missing:
            lines.append("\tMissing key(s): " + ", ".join(repr(k) for k in missing) + ".")
        raise RuntimeError("\n".join(lines))


def _owner(module: Any, path: str) -> tuple[Any, str]:
    *parts, attr = path.split(".")
    for part in parts:
        child = getattr(module, part, None)
        if child is None:
            raise AttributeError(f"{type(module).__name__} has no attribute `{part}`")
        module = child
    return module, attr


def _swap(owner: Any, attr: str, value: Any) -> Any:
    """Put ``value`` in the slot ``attr`` of ``owner`` and return what was there (or
    ``_MISSING``). Writing the tables directly keeps a plain Tensor in a parameter's slot, as
    PyTorch does, without the checks ``setattr`` makes for a Parameter."""
    for table in (owner._parameters, owner._buffers):
        if attr in table:
            old = table[attr]
            table[attr] = value
            return old
    # Anything else: a plain attribute, or a property such as a parametrized tensor's (its
    # setter runs, and restoring sets the value read here back through it).
    old = getattr(owner, attr, _MISSING)
    if value is _MISSING:
        owner.__dict__.pop(attr, None)
    else:
        object.__setattr__(owner, attr, value)
    return old


def functional_call(module: Any, parameter_and_buffer_dicts: Any, args: Any = None,
                    kwargs: dict | None = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """``module(*args, **kwargs)`` with the parameters and buffers named in
    ``parameter_and_buffer_dicts`` (a dict, or a list/tuple of dicts with distinct keys)
    replaced by the given tensors for this call; the module is left as it was.

    ``tie_weights``: a replacement for one name of a tied tensor serves every name of it.
    ``strict``: every parameter and buffer must be given, and nothing else.
    """
    given = _merge(parameter_and_buffer_dicts)
    for value in given.values():
        if not isinstance(value, Tensor):
            raise TypeError(f"{value} is not an instance of eager.Tensor")
    if tie_weights:
        given = _tie(module, given)
    if strict:
        _check_strict(module, given)
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    restore: list[tuple[Any, str, Any]] = []
    try:
        for path, value in given.items():
            owner, attr = _owner(module, path)
            restore.append((owner, attr, _swap(owner, attr, value)))
        return module(*args, **(kwargs or {}))
    finally:
        for owner, attr, old in reversed(restore):
            _swap(owner, attr, old)


def stack_module_state(models: Sequence[Any]) -> tuple[dict, dict]:
    """``(params, buffers)``: each model's parameters (and buffers) stacked along a new first
    dimension, by name, for ``vmap(functional_call...)`` over an ensemble. The stacked
    parameters are new leaves that require grad when the originals do."""
    models = list(models)
    if not models:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or not any(m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same "
                           "training/eval mode.")
    if any(type(m) is not type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    params = [dict(m.named_parameters()) for m in models]
    buffers = [dict(m.named_buffers()) for m in models]
    return ({k: _stacked_leaf([p[k] for p in params], k) for k in params[0]},
            {k: _stacked_leaf([b[k] for b in buffers], k) for k in buffers[0]})


def _stacked_leaf(tensors: list, name: str) -> Tensor:
    flags = {t.requires_grad for t in tensors}
    if len(flags) > 1:
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = stack([t.detach() for t in tensors])
    return result.requires_grad_(True) if flags == {True} else result
