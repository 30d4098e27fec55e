"""Which module call recorded each eager tape entry, so the tape diagram gets module frames.

`module_calls` records every call of every submodule while the model runs (forward hooks);
`entry_modules` then gives each tape entry the innermost call whose outputs reach it and whose
inputs do not (the entries the call recorded). Static graphs get the same tags while tracing
(`static.module_scopes`); the tape is recorded eagerly, so it is told afterwards.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import eager


@contextlib.contextmanager
def module_calls(model: Any) -> Iterator[list]:
    """Record every module call as (path, type name, input tensors, output), inner calls
    first (the order they finish)."""
    paths = {id(m): p for p, m in model.named_modules()}
    calls: list = []

    def post(module, args, output):
        calls.append((paths[id(module)], type(module).__name__, args, output))

    handles = [m.register_forward_hook(post) for _, m in model.named_modules()]
    try:
        yield calls
    finally:
        for h in handles:
            h.remove()


def _tensors(value: Any) -> list:
    if isinstance(value, eager.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _tensors(v)]
    return []


def entry_modules(calls: list) -> dict[int, tuple[str, str]]:
    """id(tape entry) -> (module path, type): the entries a call recorded are those its
    outputs reach but its inputs do not; the innermost call claims an entry first."""
    def reach(tensors: list) -> set[int]:
        roots = [t.grad_fn for t in tensors if t.grad_fn is not None]
        return {id(e) for e in eager.autograd.engine.topological_order(roots)} if roots else set()

    owner: dict[int, tuple[str, str]] = {}
    for path, kind, args, output in calls:
        if not path:  # the model itself: its own ops stay outside any frame
            continue
        for entry in reach(_tensors(output)) - reach(_tensors(args)):
            owner.setdefault(entry, (path, kind))
    return owner
