"""The ``out=`` oracle shared by tests/eager/outkw: a call written over a library (``lambda L:
...``) is run through eager and torch with an ``out`` given to one of its functions, and the
outcomes compared."""

from __future__ import annotations

import contextlib
import functools
import warnings

import pytest
from test_torch_functions import plain, same

import eager

torch = pytest.importorskip("torch")


class _WithOut:
    """A library whose function ``name`` (``"linalg.det"``: in a submodule) is called with
    ``out=out``."""

    def __init__(self, library, name, out):
        self.library, self.name, self.out = library, name, out

    def __getattr__(self, attr):
        value = getattr(self.library, attr)
        if attr == self.name:
            return functools.partial(value, out=self.out)
        head, _, rest = self.name.partition(".")
        return _WithOut(value, rest, self.out) if rest and attr == head else value


def _outs(library, result, kind):
    """An ``out`` for ``result``: of its dtype, another floating one, or an integer one."""
    def one(dtype_name):
        if kind == "other float":
            dtype_name = "float32" if dtype_name == "float64" else "float64"
        elif kind == "integer":
            dtype_name = "bool" if dtype_name == "int64" else "int64"
        return library.empty(0, dtype=getattr(library, dtype_name))

    if isinstance(result, tuple):
        return tuple(one(str(r.dtype).split(".")[1]) for r in result)
    return one(str(result.dtype).split(".")[1])


def _outcome(library, call, name, out):
    library.manual_seed(0)
    try:
        with warnings.catch_warnings(), _warn_always():
            warnings.simplefilter("ignore")  # deprecations of the older spellings
            result = call(_WithOut(library, name, out))
    except Exception as error:  # noqa: BLE001 -- the exception is the outcome compared
        return ("error", type(error).__name__, str(error).split(" (Triggered internally")[0])
    same_object = result is out if not isinstance(out, tuple) else \
        all(r is o for r, o in zip(result, out, strict=True))
    return ("value", same_object, plain(result))


@contextlib.contextmanager
def _warn_always():
    """torch's warn-once deprecations (cholesky, qr...) keep their one warning for the tests
    that compare warnings: with warn_always on, torch does not spend it."""
    before = torch.is_warn_always_enabled()
    torch.set_warn_always(True)
    try:
        yield
    finally:
        torch.set_warn_always(before)


def differences(calls, name, values=True):
    """Where eager's outcomes differ from torch's, for each of ``calls`` and each kind of out
    given to the function ``name``; ``values=False``: random draws, compared by shape and
    dtype only."""
    found = []
    for i, call in enumerate(calls):
        torch.manual_seed(0)
        with warnings.catch_warnings(), _warn_always():
            warnings.simplefilter("ignore")
            base = call(torch)
        if not isinstance(base, torch.Tensor | tuple) or isinstance(base, tuple) and not all(
                isinstance(r, torch.Tensor) for r in base):
            continue
        for kind in ("result's dtype", "other float", "integer"):
            ours = _outcome(eager, call, name, _outs(eager, base, kind))
            theirs = _outcome(torch, call, name, _outs(torch, base, kind))
            if ours[0] != theirs[0] or ours[0] == "error" and ours != theirs:
                found.append((i, kind, ours, theirs))
                continue
            if ours[0] == "value":
                try:
                    assert ours[1] and theirs[1]
                    if not values:
                        assert ours[2][:3] == theirs[2][:3] if ours[2][0] == "tensor" else \
                            [o[:3] for o in ours[2][1]] == [t[:3] for t in theirs[2][1]]
                    else:
                        same(ours[2], theirs[2])
                except AssertionError as error:
                    found.append((i, kind, "values", str(error)[:200]))
    return found
