"""Running an op's kernel on NumPy arrays, with errors that name the op, the values and the
user's line: `run_kernel` (the immediate path), `raise_kernel_error` (a mode's own kernel
call failed), `explain_failure` (a NumPy exception into an `OpError`).

Shared by `shared_ops.dispatch` (immediate calls), eager's op call and static's interpreter, so
a failing kernel reads the same whichever mode ran it.
"""

from __future__ import annotations

from typing import NoReturn

import numpy as np

from .aval import Aval
from .errors import OpError, describe_shapes, user_location
from .limits import SizeLimitError


def run_kernel(op, arrays, attrs: dict):
    """Run ``op.kernel``; any failure becomes an `OpError` naming op, shapes and user line."""
    try:
        out = op.kernel(*arrays, **attrs)
    except Exception as e:
        raise_kernel_error(op, arrays, attrs, e)
    # NumPy returns scalars (np.float64...) from 0-d ufuncs and full reductions; a scalar fed
    # to the next op would count as a weak Python scalar and lose its dtype (f64 -> f32).
    return out if type(out) is np.ndarray else np.asarray(out)


def raise_kernel_error(op, arrays, attrs: dict, error: Exception) -> NoReturn:
    """Raise what ``error``, raised by ``op``'s kernel, becomes: an `OpError` of the op's own
    with the user's line added; anything else (NumPy's words) explained, chained to NumPy's
    exception."""
    if isinstance(error, OpError):
        raise error.with_location(user_location()) from None
    raise explain_failure(op, arrays, attrs, error) from error


def explain_failure(op, arrays, attrs: dict, error: Exception) -> OpError:
    """Turn a kernel's raw exception into an `OpError`.

    The shape rule usually knows what went wrong and says it better; when it accepts the
    inputs, the NumPy message is kept, prefixed with the op, shapes and dtypes.
    """
    avals = [Aval(tuple(a.shape), a.dtype) for a in arrays]
    try:
        op.shape_rule(*avals, **attrs)
    except OpError as e:
        return e.with_location(user_location())
    shapes = [a.shape for a in avals]
    detail = (f"failed on shapes {describe_shapes(*shapes)} "
              f"(dtypes {', '.join(str(a.dtype) for a in avals)}): "
              f"{type(error).__name__}: {error}")
    # Out of memory stays catchable as MemoryError (SizeLimitError is one), op named.
    kind = SizeLimitError if isinstance(error, MemoryError) else OpError
    return kind(op.name, detail, shapes=shapes, dtypes=[a.dtype for a in avals],
                location=user_location())
