"""Call signatures of `static.compile`: which trace a call runs, and why a call retraces.

A key is ``(structure, leaves, flags)``: the arguments' nesting, one `CallArg` per leaf
(an array's shape and dtype, dims ``None`` where dynamic, or a Python value), and the flags
(each submodule's training mode, each parameter's requires_grad). A call *matches* a key
when everything agrees and every known dim is equal; `generalize` decides which dims a new
trace leaves unknown; `reason_for` says why a call matched no trace.
"""

from __future__ import annotations

from typing import Any

from ..trace_signature import CallArg, why

__all__ = ["generalize", "matches", "reason_for"]


def matches(key: tuple, structure: Any, call_args: tuple, flags: tuple) -> bool:
    """Whether a call with these leaves and flags can run the trace of ``key``."""
    s, leaves, f = key
    if s != structure or f != flags or len(leaves) != len(call_args):
        return False
    for old, new in zip(leaves, call_args, strict=True):
        if old.shape is None or new.shape is None:
            if old != new:
                return False
        elif old.dtype != new.dtype or len(old.shape) != len(new.shape) or any(
                d is not None and d != n for d, n in zip(old.shape, new.shape, strict=True)):
            return False
    return True


def generalize(structure: Any, call_args: tuple, flags: tuple, dynamic: bool | None,
               known: list[tuple]) -> tuple:
    """The leaves with dims made unknown: dim 0 of every array with ``dynamic=True``; with
    None, the dims that differ from a ``known`` key of the same structure, dtypes and ranks
    (torch's automatic dynamic shapes); none with False."""
    if dynamic is False:
        return call_args
    unknown: set[tuple[int, int]] = set()
    if dynamic:
        unknown |= {(k, 0) for k, a in enumerate(call_args) if a.shape}
    else:
        for s, old, f in known:
            if s != structure or f != flags or len(old) != len(call_args):
                continue
            for k, (o, a) in enumerate(zip(old, call_args, strict=True)):
                if o.shape is not None and a.shape is not None and o.dtype == a.dtype \
                        and len(o.shape) == len(a.shape):
                    pairs = enumerate(zip(o.shape, a.shape, strict=True))
                    unknown |= {(k, d) for d, (p, q) in pairs if p != q}
    return tuple(CallArg(a.name, tuple(None if (k, d) in unknown else n
                                       for d, n in enumerate(a.shape)), a.dtype)
                 if a.shape is not None else a for k, a in enumerate(call_args))


def reason_for(key: tuple, known: list[tuple]) -> str:
    """Why the call of ``key`` (its concrete leaves) matched none of the ``known`` keys."""
    if not known:
        return "first call"
    same = [k for k in known if k[2] == key[2]]
    if not same:
        if all(k[2][0] != key[2][0] for k in known):
            return "training mode changed (train()/eval() of a submodule)"
        return "requires_grad of a parameter changed"
    return why(key[:2], [k[:2] for k in same])
