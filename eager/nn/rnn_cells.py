"""Recurrent cells `RNNCell`, `GRUCell`, `LSTMCell`: one time step, PyTorch's equations,
parameter names (``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``) and gate order.

Gates are computed as one matrix product each for the input and the hidden state and then cut
into chunks along the feature axis (PyTorch's layout: ``weight_ih`` stacks the gates' rows)::

    RNNCell:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
    LSTMCell: i, f, g, o = chunks;  c' = sigma(f) c + sigma(i) tanh(g);  h' = sigma(o) tanh(c')
    GRUCell:  r, z = sigma(chunks of both);  n = tanh(x_n + r (h_n));  h' = (1 - z) n + z h
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from . import functional as F
from . import init
from ._factory import empty_parameter, param_dtype
from .module import Module


def _chunk(x: Any, k: int, size: int) -> Any:
    """Columns ``k*size .. (k+1)*size`` of a (batch, n*size) value."""
    return ops.getitem(x, (slice(None), slice(k * size, (k + 1) * size)))


def reset_recurrent(module: Module) -> None:
    """PyTorch's start for a recurrent layer or cell: every weight and bias drawn from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    stdv = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for p in module.parameters():
        init.uniform_(p, -stdv, stdv)


class CellEquations:
    """One time step of each cell kind, PyTorch's equations over four weights in its gate
    layout: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` (biases may be None) and
    ``hidden_size`` (``nonlinearity`` too, for the plain RNN step).

    A mixin with one copy of the gate equations for two owners of such weights: the cells
    below (Modules holding them as parameters) and each layer of the multi-step RNNs
    (`rnn._LayerCell`, a view of one layer's ``weight_ih_l{k}``... parameters). Inputs are
    batched: ``(batch, features)``.
    """

    weight_ih: Any
    weight_hh: Any
    bias_ih: Any
    bias_hh: Any
    hidden_size: int
    nonlinearity: str
    weight_hr: Any = None  # an LSTM layer's projection of h (proj_size, hidden_size), if any

    def zero_state(self, input: Any, projected: bool = False) -> Any:
        """The default (zero) state: an array, or - when the batch size is only known at run
        time (a traced static graph) - zeros shaped like a slice of the input's projection.
        ``projected``: the state is a projected LSTM's h, of ``proj_size`` features."""
        size = self.weight_hr.shape[0] if projected and self.weight_hr is not None \
            else self.hidden_size
        if input.shape[0] is not None:
            return np.zeros((input.shape[0], size), dtype=self.weight_ih.dtype)
        return ops.zeros_like(_chunk(ops.linear(input, self.weight_ih), 0, size))

    def gate_inputs(self, input: Any, h: Any) -> tuple[Any, Any]:
        """The gates' pre-activations from the input and from the hidden state, all gates
        stacked along the feature axis: ``(W_ih x + b_ih, W_hh h + b_hh)``."""
        return (F.linear(input, self.weight_ih, self.bias_ih),
                F.linear(h, self.weight_hh, self.bias_hh))

    def rnn_step(self, input: Any, h: Any) -> Any:
        """``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`` (relu with ``nonlinearity="relu"``)."""
        xi, hh = self.gate_inputs(input, h)
        pre = ops.add(xi, hh)
        return ops.tanh(pre) if self.nonlinearity == "tanh" else ops.relu(pre)

    def lstm_step(self, input: Any, state: tuple[Any, Any]) -> tuple[Any, Any]:
        """``(h', c')`` from ``(h, c)``: input, forget, cell and output gates (then
        ``h' = W_hr h'`` when the layer projects)."""
        h, c = state
        xi, hh = self.gate_inputs(input, h)
        gates = ops.add(xi, hh)
        n = self.hidden_size
        i = ops.sigmoid(_chunk(gates, 0, n))
        f = ops.sigmoid(_chunk(gates, 1, n))
        g = ops.tanh(_chunk(gates, 2, n))
        o = ops.sigmoid(_chunk(gates, 3, n))
        c_next = ops.add(ops.mul(f, c), ops.mul(i, g))
        h_next = ops.mul(o, ops.tanh(c_next))
        if self.weight_hr is not None:
            h_next = F.linear(h_next, self.weight_hr)
        return h_next, c_next

    def gru_step(self, input: Any, h: Any) -> Any:
        """``h'`` from ``h``: reset and update gates, then the candidate state."""
        xi, hh = self.gate_inputs(input, h)
        n = self.hidden_size
        r = ops.sigmoid(ops.add(_chunk(xi, 0, n), _chunk(hh, 0, n)))
        z = ops.sigmoid(ops.add(_chunk(xi, 1, n), _chunk(hh, 1, n)))
        cand = ops.tanh(ops.add(_chunk(xi, 2, n), ops.mul(r, _chunk(hh, 2, n))))
        # (1 - z) n + z h  ==  n + z (h - n): one op fewer, same value up to rounding.
        return ops.add(cand, ops.mul(z, ops.sub(h, cand)))


class RNNCellBase(Module, CellEquations):
    """The shared base of `RNNCell`, `LSTMCell` and `GRUCell` (PyTorch's ``RNNCellBase``):
    ``num_chunks`` gates' weights ``weight_ih`` (num_chunks * hidden_size, input_size) and
    ``weight_hh``, and the biases unless ``bias=False``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        dtype = param_dtype(dtype, device)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = empty_parameter((num_chunks * hidden_size, input_size), dtype)
        self.weight_hh = empty_parameter((num_chunks * hidden_size, hidden_size), dtype)
        if bias:
            self.bias_ih = empty_parameter((num_chunks * hidden_size,), dtype)
            self.bias_hh = empty_parameter((num_chunks * hidden_size,), dtype)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
        reset_recurrent(self)

    def _batched(self, input: Any, hx: Any) -> tuple[Any, Any, bool]:
        """Accept PyTorch's unbatched (features,) inputs by adding a batch dim of one."""
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got "
                             f"{input.ndim}D instead")
        if input.ndim == 2:
            return input, hx, False
        input = ops.expand_dims(input, axis=0)
        if hx is not None:
            hx = tuple(ops.expand_dims(h, axis=0) for h in hx) if isinstance(hx, tuple) \
                else ops.expand_dims(hx, axis=0)
        return input, hx, True

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s


class RNNCell(RNNCellBase):
    """``RNNCell(input_size, hidden_size, bias=True, nonlinearity="tanh")``; ``forward(x, h=None)``
    returns the next hidden state (``h`` defaults to zeros)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity  # plain attribute: set before Module.__init__ is fine
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input: Any, hx: Any = None) -> Any:
        input, hx, unbatched = self._batched(input, hx)
        out = self.rnn_step(input, self.zero_state(input) if hx is None else hx)
        return ops.squeeze(out, axis=0) if unbatched else out


class LSTMCell(RNNCellBase):
    """``LSTMCell(input_size, hidden_size, bias=True)``; ``forward(x, (h, c)=None)`` returns
    ``(h', c')``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Any, hx: tuple[Any, Any] | None = None) -> tuple[Any, Any]:
        input, hx, unbatched = self._batched(input, hx)
        if hx is None:
            hx = (self.zero_state(input), self.zero_state(input))
        h_next, c_next = self.lstm_step(input, hx)
        if unbatched:
            return ops.squeeze(h_next, axis=0), ops.squeeze(c_next, axis=0)
        return h_next, c_next


class GRUCell(RNNCellBase):
    """``GRUCell(input_size, hidden_size, bias=True)``; ``forward(x, h=None)`` returns ``h'``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Any, hx: Any = None) -> Any:
        input, hx, unbatched = self._batched(input, hx)
        out = self.gru_step(input, self.zero_state(input) if hx is None else hx)
        return ops.squeeze(out, axis=0) if unbatched else out
