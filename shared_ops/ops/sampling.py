"""Random sampling: multinomial (composite, torch.multinomial) over multinomial_sample
(primitive, int64, no gradient).

As with dropout, the kernel is a pure function of an integer *seed input*
(``np.random.default_rng(seed)``), so one seed gives the same draw in every mode. Where the
seed comes from (see `seeds`): an explicit ``seed``; else a ``generator`` (a NumPy
``Generator``: the eager mode passes the one behind its ``torch.Generator``, one draw from
it per call); else the mode of the input (`fresh_seed`: eager's global generator, a static
graph's per-step seed node).

Eager tensors take PyTorch's own draw instead (its stream and algorithm, registered by the
eager mode with `seeds.register_draw`), unless a seed is given. The seeded kernel here follows
PyTorch's CPU algorithm, not its random stream: with replacement, the
inverse of each row's cumulative distribution at uniform draws; without, the
``num_samples`` largest of ``p / E`` with E exponential (the exponential-races trick, which
PyTorch uses too), so categories of probability 0 come last, after every possible one.
Rows need not sum to 1; they must be finite, non-negative and not all zero.

    >>> import numpy as np
    >>> multinomial(np.array([0.0, 1.0, 0.0]), 2, replacement=True, seed=0)
    array([1, 1])
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..errors import DTypeError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._types import Value
from .seeds import direct_draw, fresh_seed

_SEED_HIGH = 2**63 - 1


def _check(p: Aval, seed: Aval, num_samples, replacement) -> None:
    if p.dtype.kind != "f":
        raise DTypeError("multinomial", f"probabilities must be floating, got {p.dtype} (as "
                         f"PyTorch)", shapes=[p.shape], dtypes=[p.dtype])
    if p.ndim not in (1, 2):
        raise ShapeError("multinomial", f"probabilities must be 1-d or 2-d, got shape "
                         f"{describe_shapes(p.shape)}", shapes=[p.shape])
    if seed.shape != () or seed.dtype.kind not in "iu":
        raise DTypeError("multinomial", f"seed must be a 0-d integer, got {seed}",
                         shapes=[seed.shape], dtypes=[seed.dtype])
    if not isinstance(num_samples, int | np.integer) or isinstance(num_samples, bool) \
            or num_samples <= 0:
        raise OpValueError("multinomial", f"num_samples must be a positive int, got "
                           f"{num_samples!r}")
    n = p.shape[-1]
    if not replacement and n is not None and num_samples > n:
        raise OpValueError("multinomial", f"cannot draw {num_samples} samples from {n} "
                           f"categories without replacement", shapes=[p.shape])


def _sample_kernel(p, seed, num_samples, replacement=False):
    _check(Aval(p.shape, p.dtype), Aval(seed.shape, seed.dtype), num_samples, replacement)
    rows = p.reshape(-1, p.shape[-1]).astype(np.float64)
    if rows.size and not (np.isfinite(rows).all() and (rows >= 0).all()):
        raise OpValueError("multinomial", "probabilities must be finite and non-negative",
                           shapes=[p.shape])
    if rows.shape[0] and not (rows.sum(axis=1) > 0).all():
        raise OpValueError("multinomial", "every row needs a positive probability (a row "
                           "sums to 0)", shapes=[p.shape])
    rng = np.random.default_rng(int(seed))
    m, n = rows.shape
    if replacement:
        cdf = np.cumsum(rows, axis=1)
        cdf /= cdf[:, -1:]  # the last entry exactly 1
        # One searchsorted for every row at once: row r's values shifted into [r, r + 1].
        # NOTE: the shift costs log2(m) bits of the cdf's precision: exact for the batch
        # sizes sampling sees (m = 1e4 rounds at 2e-12).
        offset = np.arange(m, dtype=np.float64)[:, None]
        u = rng.random((m, num_samples))
        at = np.searchsorted((cdf + offset).reshape(-1), (u + offset).reshape(-1),
                             side="right").reshape(m, num_samples)
        out = np.clip(at - np.arange(m)[:, None] * n, 0, n - 1)
    else:
        keys = rows / rng.exponential(size=(m, n))
        # The largest keys first, ties (zero probabilities) by position: a stable sort of
        # the reversed keys, reversed.
        order = np.argsort(keys[:, ::-1], axis=1, kind="stable")[:, ::-1]
        out = (n - 1 - order)[:, :num_samples]
    return out.astype(dt.int64).reshape(p.shape[:-1] + (num_samples,))


def _sample_rule(p: Aval, seed: Aval, num_samples, replacement=False) -> Aval:
    _check(p, seed, num_samples, replacement)
    return Aval(tuple(p.shape[:-1]) + (int(num_samples),), dt.int64)


multinomial_sample = primitive(
    "multinomial_sample", _sample_kernel, _sample_rule, None, nondiff_inputs=(0, 1),
    differentiable_output=False,
    doc="``num_samples`` category indices per row of ``p`` (int64), drawn from "
        "``np.random.default_rng(seed)``; with or without replacement.")


def _no_source():
    raise OpValueError("multinomial", "no seed, no generator and no random source for plain "
                       "arrays: pass seed= (an int) or generator= (a numpy Generator)")


@composite
def multinomial(input: Value, num_samples: int, replacement: bool = False,  # noqa: A002
                generator=None, seed=None) -> Value:
    """``torch.multinomial(input, num_samples, replacement=False, *, generator=None)``:
    category indices drawn per row of the (unnormalized) probabilities ``input``. ``seed``
    (an int or 0-d integer value) fixes the draw; else ``generator`` (a NumPy Generator)
    supplies one; else the input's mode does. A mode that draws the op itself (eager:
    PyTorch's own stream, `seeds.register_draw`) does so when no ``seed`` is given."""
    if seed is None:
        draw = direct_draw("multinomial", input)
        result = None if draw is None else draw(input, num_samples, replacement, generator)
        if result is not None:
            return result
    if seed is None:
        if generator is not None:
            seed = int(generator.integers(0, _SEED_HIGH))
        else:
            seed = fresh_seed(input, default=_no_source)
    if isinstance(seed, int | np.integer):
        seed = np.asarray(int(seed), dtype=dt.int64)
    return multinomial_sample(input, seed, num_samples=num_samples, replacement=replacement)


__all__ = ["multinomial_sample", "multinomial"]
