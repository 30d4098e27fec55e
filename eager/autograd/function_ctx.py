"""The ``ctx`` of a custom `Function`: also its tape entry, as in PyTorch.

PyTorch's ``ctx`` *is* the ``grad_fn`` of the function's outputs: an instance of a class made
per Function (``MyFnBackward``), so ``y.grad_fn.saved_tensors`` and ``y.grad_fn.constant`` read
what ``forward`` stored. `BackwardCFunction` is that class here: a `TapeNode` whose op runs the
user's ``backward`` (the engine walks it like any recorded op) and which keeps arbitrary
attributes.

Saved tensors are checked when they are read back (``ctx.saved_tensors``), as in PyTorch: a
saved tensor modified in place since the forward raises PyTorch's RuntimeError there; inputs
that were not saved may change freely (the engine's own version check is skipped for these
entries, see `BackwardCFunction.epoch`).

    >>> import eager
    >>> class Cube(eager.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * g
    >>> y = Cube.apply(eager.tensor(2.0, requires_grad=True))
    >>> y.grad_fn.name(), y.grad_fn.needs_input_grad
    ('CubeBackward', (True,))
"""

from __future__ import annotations

from . import recording
from .engine import SECOND_TIME_MESSAGE
from .inplace_errors import modified_message
from .tape_node import TapeNode
from .versions import epoch as current_epoch


class BackwardCFunction(TapeNode):
    """``ctx`` and ``grad_fn`` of one call of a custom `Function` (subclassed per Function
    as ``<Name>Backward``). Arbitrary attributes may be set on it (``ctx.constant = 3``)."""

    # No __slots__: a __dict__ holds what forward stores (ctx.constant, ...).
    _forward_cls: type | None = None
    masks_grad_inputs = False

    def __init__(self) -> None:  # noqa: D107 (TapeNode's fields are filled by Function.apply)
        self.attrs = {"ctx": self}
        self.inputs = ()
        self.hooks = None
        self.location = None
        self.needs_input_grad: tuple = ()
        self.to_save: tuple = ()
        self.saved = None  # (tensor, version) pairs once forward has returned
        self.non_differentiable: tuple = ()
        self.dirty_tensors: tuple = ()
        self.materialize_grads = True
        self.freed = False

    # --- what forward/setup_context call -------------------------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep ``tensors`` (or None) for ``backward``, read back as ``ctx.saved_tensors``."""
        for i, t in enumerate(tensors):
            if t is not None and not _is_tensor(t):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is not a Variable (got {type(t).__name__})")
        self.to_save = tensors

    def save_for_forward(self, *tensors) -> None:
        """Keep ``tensors`` for ``jvp`` (forward-mode AD), read there as ``saved_tensors``."""
        self.to_save_forward = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Outputs in ``tensors`` do not require grad; backward still gets a (zero) gradient
        for each of them."""
        self.non_differentiable = tensors

    def mark_dirty(self, *tensors) -> None:
        """Inputs in ``tensors`` were modified in place by forward (and must be returned)."""
        self.dirty_tensors = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, gradients of outputs that got none reach backward as None, not zeros."""
        self.materialize_grads = bool(value)

    # --- what backward reads -------------------------------------------------------------------
    @property
    def saved_tensors(self) -> tuple:
        """What forward saved, checked against in-place changes since."""
        if self.__dict__.get("in_jvp"):  # jvp reads what save_for_forward kept
            return tuple(self.__dict__.get("to_save_forward", ()))
        if self.freed:
            raise RuntimeError(SECOND_TIME_MESSAGE)
        if self.saved is None:  # still inside forward: the raw tuple, as PyTorch
            return tuple(self.to_save)
        for t, version in self.saved:
            if t is not None and t._version_counter[0] != version:
                raise RuntimeError(_modified_message(t, version))
        packed = self.__dict__.get("packed")
        if packed is not None:  # saved under saved_tensors_hooks: what unpack returns
            unpack, values = packed
            return tuple(None if v is None else recording.call_unhooked(unpack, v)
                         for v in values)
        return tuple(t for t, _ in self.saved)

    def record_saved(self) -> None:
        """Freeze the saved tensors and their versions (Function.apply, after forward); the
        innermost open saved_tensors_hooks of this thread pack them."""
        self.saved = tuple((t, None if t is None else t._version_counter[0])
                           for t in self.to_save)
        self.to_save = ()
        stack = recording.hook_state.stack
        if stack:
            pack, unpack = stack[-1]
            self.packed = (unpack, tuple(None if t is None else recording.call_unhooked(pack, t)
                                         for t, _ in self.saved))

    # --- the engine's view ---------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        """Always current: the engine never compares this entry's input versions (PyTorch
        checks only saved tensors, when ``saved_tensors`` is read)."""
        return current_epoch()

    @epoch.setter
    def epoch(self, value: int) -> None:
        pass

    @property
    def arrays(self):
        """The inputs' arrays (None once freed: the engine's "second backward" test)."""
        return None if self.freed else tuple(t._data for t in self.inputs)

    @arrays.setter
    def arrays(self, value) -> None:
        # The engine sets None once backward has used this entry (no retain_graph): free what
        # forward saved, as PyTorch does.
        if value is None:
            self.freed = True
            self.saved = ()
            self.__dict__.pop("packed", None)

    def name(self) -> str:
        """``MyFnBackward``: PyTorch's name for the entry of ``MyFn``."""
        return type(self).__name__

    def __repr__(self) -> str:
        cls = type(self)
        return f"<{cls.__module__}.{cls.__qualname__} object at {id(self):#x}>"


def _is_tensor(t) -> bool:
    return hasattr(t, "_version_counter") and hasattr(t, "_data")


def _modified_message(t, expected: int) -> str:
    producer = t.grad_fn.name() if t.grad_fn is not None else None
    return modified_message(t._data, producer, t._version_counter[0], expected)
