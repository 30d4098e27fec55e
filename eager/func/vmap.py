"""``torch.func.vmap`` (and ``eager.vmap``): map a function over a dimension of its inputs.

Eager has no batching rules, so ``vmap`` runs ``func`` once per index of the mapped dimension
and stacks the results at ``out_dims``: what users see (results, shapes, structures, errors)
is torch's, only the speed is a loop's. Because slicing and stacking are recorded ops,
``vmap`` composes with the other transforms both ways (``vmap(grad(f))`` for per-sample
gradients, ``grad`` of a vmapped function).

    >>> import eager
    >>> vmap(eager.dot)(eager.ones(2, 3), eager.ones(2, 3))
    tensor([3., 3.])

Randomness: ``"same"`` restores the global generator before each call (every entry draws
what one unbatched call draws, as in torch); ``"different"`` lets the calls draw one after
another (torch draws the batch in one call: the same numbers for ``rand``, other numbers for a
``randn`` of 16 values or more, whose vectorized path depends on the total size); ``"error"``
raises torch's RuntimeError when a call has drawn from the global
generator (detected after the call, by comparing the generator's state).
An ``out_dims`` entry of None requires every call to return an equal value (that is how a
loop tells an unbatched output), else torch's ValueError. A function torch's batching rules
refuse (``.item()``, Python control flow on a mapped value) runs here, once per entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ..functions_shape import stack
from ..random.state import get_rng_state, set_rng_state
from ..tensor import Tensor
from .jacobians import check_randomness
from .pytree import TreeSpec, broadcast_prefix, flatten
from .tape_level import func_name

__all__ = ["vmap"]


def vmap(func: Callable, in_dims: int | tuple | None = 0, out_dims: Any = 0,
         randomness: str = "error", *, chunk_size: int | None = None) -> Callable:
    """``func`` mapped over dimension ``in_dims`` of its positional inputs (an int for all,
    or a tuple matching the arguments' structure, None for an argument not mapped); the
    results are stacked at ``out_dims``. Keyword arguments are passed unmapped."""
    check_randomness(randomness)
    if chunk_size is not None and not chunk_size > 0:
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got "
                         f"{chunk_size})")

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        name = func_name(func)
        flat, spec, dims, size = _mapped_inputs(name, in_dims, args)
        results = _run(func, flat, spec, dims, size, kwargs, randomness)
        return _stack_outputs(name, out_dims, results)

    return wrapped


def _mapped_inputs(name: str, in_dims: Any, args: tuple) -> tuple:
    """The flattened arguments, their structure, one normalized in_dim each, and the size of
    the mapped dimension, after torch's checks."""
    where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
    if not args:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add "
                         "inputs, or you are trying to vmap over a function with no inputs. "
                         "The latter is unsupported.")
    if not (isinstance(in_dims, int | tuple)) or isinstance(in_dims, bool):
        raise ValueError(f"{where}: expected `in_dims` to be int or a (potentially nested) "
                         "tuple matching the structure of inputs, got: "
                         f"{type(in_dims)}.")
    flat, spec = flatten(args)
    dims = broadcast_prefix(in_dims, spec)
    if dims is None:
        raise ValueError(f"{where}: in_dims is not compatible with the structure of `inputs`. "
                         f"in_dims has structure {flatten(in_dims)[1]!r} but inputs has "
                         f"structure {spec!r}.")
    sizes = []
    for i, (arg, dim) in enumerate(zip(flat, dims, strict=True)):
        if dim is None:
            continue
        if not isinstance(dim, int) or isinstance(dim, bool):
            raise ValueError(f"{where}: Got in_dim={dim} for an input but in_dim must be "
                             "either an integer dimension or None.")
        if not isinstance(arg, Tensor):
            raise ValueError(f"{where}: Got in_dim={dim} for an input but the input is of "
                             f"type {type(arg)}. We cannot vmap over non-Tensor arguments, "
                             "please use None as the respective in_dim")
        ndim = arg.dim()
        if not -ndim <= dim < ndim:
            raise ValueError(f"{where}: Got in_dim={dim} for some input, but that input is a "
                             f"Tensor of dimensionality {ndim} so expected in_dim to satisfy "
                             f"-{ndim} <= in_dim < {ndim}.")
        dims[i] = dim % ndim
        sizes.append(arg.shape[dims[i]])
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                         f"dimension, got sizes {sizes} for the mapped dimension")
    return flat, spec, dims, sizes[0]


def _entry(arg: Any, dim: int | None, b: int | None) -> Any:
    """Input ``arg`` at index ``b`` of its mapped dimension (a recorded, differentiable
    index); with ``b`` None, a zero example of that shape (used for an empty batch)."""
    if dim is None:
        return arg
    if b is None:
        shape = tuple(arg.shape[:dim]) + tuple(arg.shape[dim + 1:])
        return arg.detach().new_zeros(shape)
    return arg[(slice(None),) * dim + (b,)]


def _run(func: Callable, flat: list, spec: TreeSpec, dims: list, size: int, kwargs: dict,
         randomness: str) -> list:
    """``func``'s result for each index of the mapped dimension (for an empty batch, one
    result on zero examples, marked by the list being wrapped in a tuple)."""
    def call(b: int | None) -> Any:
        return func(*spec.unflatten([_entry(a, d, b) for a, d in zip(flat, dims,
                                                                     strict=True)]), **kwargs)

    start = get_rng_state() if randomness != "different" else None
    results = []
    for b in range(size) if size else [None]:
        if randomness == "same" and b:
            set_rng_state(start)  # every entry draws what the first one drew
        results.append(call(b))
        if randomness == "error" and not np.array_equal(get_rng_state().numpy(),
                                                        start.numpy()):
            raise RuntimeError("vmap: called random operation while in randomness error mode. "
                               "Please either use the 'same' or 'different' randomness flags "
                               "on vmap or perform the randomness operation out of vmap")
    return results if size else (results[0],)


def _stack_outputs(name: str, out_dims: Any, results: list | tuple) -> Any:
    empty = isinstance(results, tuple)
    flats = [flatten(r) for r in results]
    leaves, out_spec = flats[0]
    if not isinstance(out_dims, int | tuple | list | dict) and out_dims is not None \
            or isinstance(out_dims, bool):
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an int, "
                         "None or a python collection of ints representing where in the "
                         "outputs the vmapped dimension should appear.")
    if isinstance(out_dims, tuple) and len(out_dims) == 1 and out_spec.is_leaf():
        dims = [out_dims[0]]  # torch accepts (d,) for a single output
    else:
        dims = broadcast_prefix(out_dims, out_spec)
    if dims is None:
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
                         "compatible with the structure of `outputs`. out_dims has structure "
                         f"{flatten(out_dims)[1]!r} but outputs has structure {out_spec!r}.")
    out = []
    for i, dim in enumerate(dims):
        column = [f[0][i] for f in flats]
        if dim is None:
            out.append(_unbatched(name, column))
            continue
        first = column[0]
        if not isinstance(first, Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(first)}. Did you mean to set out_dims= to None for "
                             "output?")
        rank = first.dim() + 1
        if not -rank <= dim < rank:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, "
                             f"{rank - 1}], but got {dim})")
        if empty:
            out.append(first.unsqueeze(dim).narrow(dim % rank, 0, 0))
        else:
            out.append(stack(column, dim))
    return out_spec.unflatten(out)


def _unbatched(name: str, column: list) -> Any:
    """An output with out_dim None: the calls must agree (it does not depend on the mapped
    inputs), else torch's error about a batched value."""
    first = column[0]
    if isinstance(first, Tensor):
        ref = first.detach().numpy()
        for other in column[1:]:
            if not (isinstance(other, Tensor) and other.shape == first.shape
                    and np.array_equal(other.detach().numpy(), ref, equal_nan=True)):
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor "
                                 "when out_dim is None")
    return first
