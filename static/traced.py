"""What tracing makes and takes: `TensorSpec` (an input's shape and dtype) and `Traced` (a
traced graph with its inputs, outputs and their structures).

Inputs and outputs may be nested tuples, lists, dicts and None (`static.pytree`):
``trace(model, (TensorSpec(...), TensorSpec(...)))`` makes a placeholder per spec and gives
the function the same structure of nodes; calling the `Traced` with that structure of arrays
feeds them, and the outputs come back in the structure the function returned.

    >>> import numpy as np, static
    >>> t = static.trace(lambda s: {"sum": s[0] + s[1], "none": None},
    ...                  (TensorSpec((None, 2)), TensorSpec((None, 2))))
    >>> t((np.ones((1, 2), np.float32), np.ones((1, 2), np.float32)))
    {'sum': array([[2., 2.]], dtype=float32), 'none': None}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from shared_ops import dtypes as dt

from .graph import Graph, Node
from .pytree import flatten, unflatten


class TensorSpec(NamedTuple):
    """The shape (dims may be ``None``) and dtype of a traced input, like ``tf.TensorSpec``.

        >>> TensorSpec((None, 10))
        TensorSpec(shape=(None, 10), dtype=dtype('float32'), name=None)
    """

    shape: tuple
    dtype: np.dtype = dt.float32
    name: str | None = None

    @classmethod
    def of(cls, value: Any, name: str | None = None) -> TensorSpec:
        """The spec of an array (or Tensor, or Node): its exact shape and dtype."""
        return cls(tuple(value.shape), np.dtype(value.dtype), name)

    def matches(self, value: Any) -> bool:
        """Whether an array fits: same dtype and rank, every known dim equal."""
        return (np.dtype(value.dtype) == self.dtype and len(value.shape) == len(self.shape)
                and all(d is None or d == s for d, s in zip(self.shape, value.shape, strict=True)))


def as_spec(value: Any) -> TensorSpec | None:
    """A `TensorSpec` from a spec, a ``(shape, dtype)`` tuple or an array; None otherwise."""
    if isinstance(value, TensorSpec):
        return TensorSpec(tuple(value.shape), dt.as_dtype(value.dtype, op="TensorSpec"),
                          value.name)
    if (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple | list)
            and all(d is None or isinstance(d, int) for d in value[0])
            and isinstance(value[1], str | np.dtype | type)):
        return TensorSpec(tuple(value[0]), dt.as_dtype(value[1], op="TensorSpec"))
    if is_array_like(value):
        return TensorSpec.of(value)
    return None


def is_array_like(value: Any) -> bool:
    """NumPy arrays and array-backed tensors of other modes (they have shape, dtype and
    ``__array__``); static Nodes are not (they have no value yet)."""
    return (isinstance(value, np.ndarray)
            or (not isinstance(value, Node) and hasattr(value, "__array__")
                and hasattr(value, "shape") and hasattr(value, "dtype")
                and not hasattr(value, "size_expression")))  # a graph's SymbolicSize


def is_spec_leaf(value: Any) -> bool:
    """Whether an input is one spec (a leaf of the inputs' structure): a `TensorSpec`, a
    ``(shape, dtype)`` tuple or an array, not a tuple of specs."""
    return isinstance(value, TensorSpec) or (isinstance(value, tuple)
                                             and as_spec(value) is not None)


@dataclass(frozen=True)
class Traced:
    """A traced graph with its inputs (placeholders), outputs and variables (the captured
    parameters first, then any the function made, such as optimizer slots).

    ``effects`` are the state updates the function made (``assign``s, train ops from
    ``minimize``): like tf.function, every run executes them too, so a traced training step
    trains. Calling a Traced runs the graph on arrays (one `Session` kept per Traced) and
    returns the outputs' arrays: ``t(*arrays)`` with one array per input, or with the
    arguments' structure as traced (``t(x, state=(h, c))``); the outputs come back in the
    structure the function returned. ``in_template``/``in_slots`` (which leaves of the
    arguments are inputs) and ``out_template`` describe the structures (None: flat).
    """

    graph: Graph
    inputs: tuple[Node, ...]
    outputs: tuple[Node, ...]
    variables: tuple[Node, ...]
    effects: tuple[Node, ...] = ()
    in_template: Any = None
    in_slots: tuple[int, ...] | None = None
    out_template: Any = None

    @property
    def output(self) -> Node:
        """The one output (an error when the function returned several)."""
        if len(self.outputs) != 1:
            raise ValueError(f"the traced function has {len(self.outputs)} outputs; use .outputs")
        return self.outputs[0]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .session import Session

        arrays = self._input_arrays(args, kwargs)
        session = self.__dict__.get("_session")
        if session is None:
            session = Session(self.graph)
            object.__setattr__(self, "_session", session)
        feeds = {n: np.asarray(a) for n, a in zip(self.inputs, arrays, strict=True)}
        values = session.run([*self.outputs, *self.effects], feeds)[:len(self.outputs)]
        if self.out_template is not None:
            return unflatten(self.out_template, iter(values))
        return values[0] if len(values) == 1 else tuple(values)

    def _input_arrays(self, args: tuple, kwargs: dict) -> list:
        """The array for each input: one per input in order, or picked from the arguments'
        structure as traced."""
        if not kwargs and len(args) == len(self.inputs) and all(
                not isinstance(a, list | tuple | dict) for a in args):
            return list(args)
        if self.in_template is not None:
            leaves: list[Any] = []
            if flatten((args, dict(sorted(kwargs.items()))), leaves) == self.in_template:
                return [leaves[i] for i in self.in_slots]
        names = ", ".join("%" + n.name for n in self.inputs)
        raise TypeError(f"traced graph takes {len(self.inputs)} inputs ({names}): one array "
                        "each, or the arguments in the structure they were traced with")


