"""Lazy modules, as PyTorch's: layers whose input size is learned from the first call.

A lazy layer starts with `UninitializedParameter` weights (and `UninitializedBuffer`
statistics). A forward pre-hook runs once, on the first call: ``initialize_parameters(input)``
reads the input's size, *materializes* each uninitialized tensor in place (same object, now a
plain `Parameter` or `Tensor` of the right shape) and resets it the way the ordinary layer
would (the same draws from the random stream, so a seeded program gets PyTorch's numbers);
then the module turns into its ordinary class (`LazyLinear` -> `Linear`). As in PyTorch, build
the optimizer after that first (dry) call: ``parameters()`` before it lists the empty
placeholders.

    >>> import eager
    >>> layer = LazyLinear(3)
    >>> layer
    LazyLinear(in_features=0, out_features=3, bias=True)
    >>> layer.has_uninitialized_params()
    True
    >>> layer(eager.ones(2, 5)).shape
    torch.Size([2, 3])
    >>> layer
    Linear(in_features=5, out_features=3, bias=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from ._factory import param_dtype
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .conv import Conv2d
from .conv1d import Conv1d
from .conv3d import Conv3d, ConvTranspose3d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .linear import Linear
from .parameter import Parameter

_SHAPE_ERROR = ("Can't access the shape of an uninitialized parameter or buffer. This error "
                "usually happens in `load_state_dict` when trying to load an uninitialized "
                "parameter into an initialized one. Call `forward` to initialize the "
                "parameters before accessing their attributes.")


class UninitializedTensorMixin:
    """What an uninitialized parameter or buffer does: no shape until `materialize`."""

    __slots__ = ()
    cls_to_become: type = Tensor

    def materialize(self, shape: Any, device: Any = None, dtype: Any = None) -> None:
        """Give this tensor storage of ``shape`` (zeros, for the layer's reset to fill) and
        turn it, in place, into its ``cls_to_become``."""
        dtype = self._data.dtype if dtype is None else param_dtype(dtype, device)
        shape = (int(shape),) if isinstance(shape, int | np.integer) else tuple(shape)
        self._data = np.zeros(shape, dtype=dtype)  # type: ignore[attr-defined]
        self.__class__ = self.cls_to_become

    @property
    def shape(self) -> Any:
        raise RuntimeError(_SHAPE_ERROR)

    def size(self, dim: Any = None) -> Any:
        raise RuntimeError(_SHAPE_ERROR)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet: ``UninitializedParameter(requires_grad=True,
    device=None, dtype=None)``; a lazy layer materializes it on its first call."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None):
        super().__init__(np.empty((0,), dtype=param_dtype(dtype, device)), requires_grad)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer (running statistics) whose shape is not known yet."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None):
        super().__init__(np.empty((0,), dtype=param_dtype(dtype, device)),
                         requires_grad=requires_grad)


def is_lazy(param: Any) -> bool:
    """Whether ``param`` is an uninitialized parameter or buffer."""
    return isinstance(param, UninitializedTensorMixin)


class LazyModuleMixin:
    """The lazy machinery: a subclass lists its ordinary class as ``cls_to_become``, names the
    attribute that is 0 until materialized (``size_attr``), and writes
    ``initialize_parameters(input)``."""

    cls_to_become: type | None = None
    size_attr = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(  # type: ignore[attr-defined]
            type(self)._infer_parameters)

    def has_uninitialized_params(self) -> bool:
        """Whether any own parameter or buffer still waits for its shape."""
        tables = (self._parameters, self._buffers)  # type: ignore[attr-defined]
        return any(is_lazy(t) for table in tables for t in table.values())

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Materialize the parameters from the first call's inputs (each lazy layer's own)."""
        raise NotImplementedError(f"initialize_parameters is not implemented for "
                                  f"{type(self).__name__}")

    def reset_parameters(self) -> None:
        # The ordinary layer's constructor calls this before anything is known: skip it then,
        # as PyTorch's lazy layers do.
        if not self.has_uninitialized_params() and getattr(self, self.size_attr) != 0:
            super().reset_parameters()  # type: ignore[misc]

    def _infer_parameters(self, args: tuple) -> None:
        self.initialize_parameters(*args)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {type(self).__name__} has not been fully initialized")
        self._initialize_hook.remove()
        del self._initialize_hook
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become


def _lazy_parameters(module: Any, dtype: Any, bias: bool) -> None:
    """Give ``module`` an uninitialized ``weight`` and, when ``bias``, ``bias``."""
    module.weight = UninitializedParameter(dtype=dtype)
    if bias:
        module.bias = UninitializedParameter(dtype=dtype)


# --- LazyLinear ------------------------------------------------------------------------------
class LazyLinear(LazyModuleMixin, Linear):
    """``LazyLinear(out_features, bias=True, device=None, dtype=None)``: a `Linear` whose
    ``in_features`` is the last dim of its first input."""

    cls_to_become = Linear
    size_attr = "in_features"

    def __init__(self, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, 0, False, device, dtype)
        self.out_features = out_features
        _lazy_parameters(self, dtype, bias)

    def initialize_parameters(self, input: Any) -> None:
        if self.has_uninitialized_params():
            self.in_features = int(input.shape[-1])
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()
        if self.in_features == 0:  # materialized by load_state_dict: PyTorch reads the input
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(f"The in_features inferred from input: {input.shape[-1]} "
                                     "is not equal to in_features from self.weight: "
                                     f"{self.weight.shape[-1]}")
            self.in_features = int(input.shape[-1])


# --- lazy convolutions -----------------------------------------------------------------------
class LazyConvMixin(LazyModuleMixin):
    """A lazy (transposed) convolution: ``in_channels`` from dim 1 of a batched input (dim 0
    of an unbatched one)."""

    size_attr = "in_channels"

    def _lazy_setup(self, out_channels: int, bias: bool, dtype: Any) -> None:
        self.out_channels = out_channels
        _lazy_parameters(self, dtype, bias)

    def _in_channels(self, input: Any) -> int:
        spatial = len(self.kernel_size)  # type: ignore[attr-defined]
        if input.ndim not in (spatial + 1, spatial + 2):
            raise RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D "
                               f"(batched) input to {type(self).__name__}, but got input of "
                               f"size: torch.Size({list(input.shape)})")
        return int(input.shape[1] if input.ndim == spatial + 2 else input.shape[0])

    def initialize_parameters(self, input: Any, *args: Any) -> None:
        if not self.has_uninitialized_params():
            return
        self.in_channels = self._in_channels(input)
        g, k = self.groups, self.kernel_size  # type: ignore[attr-defined]
        if self.in_channels % g:
            raise ValueError("in_channels must be divisible by groups")
        lead = (self.in_channels, self.out_channels // g) \
            if self.transposed else (self.out_channels, self.in_channels // g)  # type: ignore
        self.weight.materialize(lead + tuple(k))  # type: ignore[attr-defined]
        if self.bias is not None:  # type: ignore[attr-defined]
            self.bias.materialize((self.out_channels,))  # type: ignore[attr-defined]
        self.reset_parameters()


def _lazy_conv(base: type, doc: str) -> type:
    """The lazy form of the convolution layer ``base``: ``Lazy<base>(out_channels,
    kernel_size, ...)`` with ``base``'s other arguments and defaults."""

    def __init__(self, out_channels: int, kernel_size: Any, *args: Any, bias: bool = True,
                 device: Any = None, dtype: Any = None, **kwargs: Any) -> None:
        base.__init__(self, 0, 0, kernel_size, *args, bias=False, device=device, dtype=dtype,
                      **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(type(self)._infer_parameters)
        self._lazy_setup(out_channels, bias, dtype)

    name = "Lazy" + base.__name__
    return type(name, (LazyConvMixin, base), {"__init__": __init__, "__doc__": doc,
                                              "cls_to_become": base, "__module__": __name__,
                                              "__qualname__": name})


LazyConv1d = _lazy_conv(Conv1d, "A `Conv1d` whose ``in_channels`` comes from its first input.")
LazyConv2d = _lazy_conv(Conv2d, "A `Conv2d` whose ``in_channels`` comes from its first input.")
LazyConv3d = _lazy_conv(Conv3d, "A `Conv3d` whose ``in_channels`` comes from its first input.")
LazyConvTranspose1d = _lazy_conv(ConvTranspose1d, "A `ConvTranspose1d` whose ``in_channels`` "
                                 "comes from its first input.")
LazyConvTranspose2d = _lazy_conv(ConvTranspose2d, "A `ConvTranspose2d` whose ``in_channels`` "
                                 "comes from its first input.")
LazyConvTranspose3d = _lazy_conv(ConvTranspose3d, "A `ConvTranspose3d` whose ``in_channels`` "
                                 "comes from its first input.")


# --- lazy batch normalization ----------------------------------------------------------------
class LazyBatchNormMixin(LazyModuleMixin):
    """A lazy batch normalization: ``num_features`` from dim 1 of the first input."""

    size_attr = "num_features"

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None
                 ) -> None:
        super().__init__(0, eps, momentum, False, False, device, dtype)
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.register_buffer("running_mean", UninitializedBuffer(dtype=dtype))
            self.register_buffer("running_var", UninitializedBuffer(dtype=dtype))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))

    def initialize_parameters(self, input: Any) -> None:
        if not self.has_uninitialized_params():
            return
        self.num_features = int(input.shape[1] if input.ndim > 1 else input.shape[0])
        for name in ("weight", "bias", "running_mean", "running_var"):
            value = getattr(self, name)
            if is_lazy(value):
                value.materialize((self.num_features,))
        self.reset_parameters()


def _lazy_batch_norm(base: type) -> type:
    name = "Lazy" + base.__name__
    doc = f"A `{base.__name__}` whose ``num_features`` comes from its first input."
    return type(name, (LazyBatchNormMixin, base), {"__doc__": doc, "cls_to_become": base,
                                                   "__module__": __name__,
                                                   "__qualname__": name})


LazyBatchNorm1d = _lazy_batch_norm(BatchNorm1d)
LazyBatchNorm2d = _lazy_batch_norm(BatchNorm2d)
LazyBatchNorm3d = _lazy_batch_norm(BatchNorm3d)

__all__ = ["UninitializedParameter", "UninitializedBuffer", "is_lazy", "LazyModuleMixin",
           "LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d",
           "LazyConvTranspose2d", "LazyConvTranspose3d", "LazyBatchNorm1d", "LazyBatchNorm2d",
           "LazyBatchNorm3d"]
