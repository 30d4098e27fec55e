"""A tensor's earlier grad_fns: `rebase` keeps them, `grad_fn_at` finds the one a tape
entry used (`history` explains why; `TapeNode.next_functions` shows those edges too).

    >>> class T:  # anything with ``grad_fn`` and ``_extra``
    ...     grad_fn, _extra = None, None
    >>> t = T()
    >>> class N:
    ...     def __init__(self, seq): self.seq = seq
    >>> old, new = N(1), N(5)
    >>> t.grad_fn = old
    >>> rebase(t, new)
    >>> grad_fn_at(t, 3) is old, grad_fn_at(t, 6) is new
    (True, True)
"""

from __future__ import annotations

# The number (`TapeNode.seq`) of the newest node any tensor was rebased onto: a graph whose
# entries are all newer has no edge to resolve (the backward walk's fast path, engine._graph).
_newest = [-1]


def rebase(t, node) -> None:
    """Make ``node`` the ``grad_fn`` of ``t``, keeping its previous one in its history."""
    extra = t._extra
    if extra is None:
        t._extra = extra = {}
    extra.setdefault("history", []).append(t.grad_fn)
    t.grad_fn = node
    if node.seq > _newest[0]:
        _newest[0] = node.seq


def newest_rebase() -> float:
    """The number of the newest node a tensor was rebased onto (-1: none yet)."""
    return _newest[0]


def grad_fn_at(t, seq: float):
    """``t``'s grad_fn when the entry numbered ``seq`` was recorded (None: a leaf then)."""
    fn = t.grad_fn
    if fn is None or fn.seq < seq:
        return fn
    history = t._extra.get("history") if t._extra else None
    if not history:
        return fn  # never rebased: its grad_fn is the one it was made with
    for old in reversed(history):
        if old is None or old.seq < seq:
            return old
    return history[0]
