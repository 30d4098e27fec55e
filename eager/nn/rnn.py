"""Multi-step recurrent layers `RNN`, `GRU`, `LSTM`: PyTorch's arguments, parameter names
(``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``, ``..._l1`` ...) and
return values, so state dicts interchange with ``torch.nn.GRU`` and friends.

One time step is the matching cell's math (`rnn_cells`), run on a layer's weights; the layer
runs it over the time axis. Variable-length batches use an explicit ``lengths=`` argument
instead of PyTorch's PackedSequence: step ``t`` of sequence ``b`` counts only while
``t < lengths[b]``, so padded steps leave the hidden state alone and their outputs are zero
(what ``pad_packed_sequence(rnn(pack_padded_sequence(x, lengths)))`` returns)::

    >>> import numpy as np, eager
    >>> gru = GRU(3, 4, num_layers=2, batch_first=True)
    >>> x = eager.from_numpy(np.zeros((2, 5, 3), np.float32))
    >>> out, h_n = gru(x, lengths=[5, 2])
    >>> tuple(out.shape), tuple(h_n.shape)
    ((2, 5, 4), (2, 2, 4))

``bidirectional=True`` adds a second direction per layer (parameters ``..._reverse``) run
from the last step back, its outputs concatenated to the forward direction's; ``dropout``
applies to every layer's output but the last, in training mode. The time loop itself
(unrolled, or a ``scan`` when the length is unknown) is in `rnn_loop`. An LSTM with
``proj_size > 0`` projects each step's hidden state down to ``proj_size`` features
(``weight_hr_l{k}``, torch's LSTMP); its layers run the step loop, not the fused sequence op.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

import shared_ops as ops

from . import functional as F
from ._factory import empty_parameter, param_dtype
from .module import Module
from .rnn_cells import CellEquations, reset_recurrent
from .rnn_loop import fused_layer, run_layer
from .utils.packed_sequence import PackedSequence, pad_packed_sequence, repack_like

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


class _LayerCell(CellEquations):
    """One layer's weights seen as a cell, so that the cells' own equations compute its step
    (one copy of the gate equations for cells and layers)."""

    def __init__(self, rnn: RNNBase, layer: int, suffix: str = "") -> None:
        self.weight_ih = getattr(rnn, f"weight_ih_l{layer}{suffix}")
        self.weight_hh = getattr(rnn, f"weight_hh_l{layer}{suffix}")
        self.bias_ih = getattr(rnn, f"bias_ih_l{layer}{suffix}")
        self.bias_hh = getattr(rnn, f"bias_hh_l{layer}{suffix}")
        self.hidden_size = rnn.hidden_size
        self.weight_hr = getattr(rnn, f"weight_hr_l{layer}{suffix}", None)
        self.nonlinearity = "relu" if rnn.mode == "RNN_RELU" else "tanh"


class RNNBase(Module):
    """The shared machinery of `RNN`, `GRU` and `LSTM` (parameters, time loop, masking)."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        _check_arguments(mode, input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, proj_size)
        dtype = param_dtype(dtype, device)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bool(bidirectional)
        self.proj_size = proj_size
        rows = _GATES[mode] * hidden_size
        out_size = proj_size or hidden_size  # the size of h (c keeps hidden_size)
        # PyTorch's registration order: per layer, per direction, w_ih, w_hh, b_ih, b_hh
        # (and w_hr with a projection).
        for k in range(num_layers):
            fan_in = input_size if k == 0 else out_size * self.num_directions
            for suffix in self._suffixes:
                setattr(self, f"weight_ih_l{k}{suffix}", empty_parameter((rows, fan_in), dtype))
                setattr(self, f"weight_hh_l{k}{suffix}",
                        empty_parameter((rows, out_size), dtype))
                for name in (f"bias_ih_l{k}{suffix}", f"bias_hh_l{k}{suffix}"):
                    if bias:
                        setattr(self, name, empty_parameter((rows,), dtype))
                    else:
                        self.register_parameter(name, None)
                if proj_size:
                    setattr(self, f"weight_hr_l{k}{suffix}",
                            empty_parameter((proj_size, hidden_size), dtype))
        self.reset_parameters()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def _suffixes(self) -> tuple[str, ...]:
        return ("", "_reverse") if self.bidirectional else ("",)

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as torch."""
        reset_recurrent(self)

    def flatten_parameters(self) -> None:
        """PyTorch compacts weights for cuDNN here; CPU NumPy weights need nothing (no-op)."""

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s

    def forward(self, input: Any, hx: Any = None, lengths: Any = None) -> tuple[Any, Any]:
        """Run all layers over the sequence.

        ``input``: (T, B, input_size), or (B, T, input_size) with ``batch_first``, or an
        unbatched (T, input_size), or a `PackedSequence` (the output is then packed alike).
        ``hx``: (num_layers * num_directions, B, hidden_size) initial state, a pair
        ``(h_0, c_0)`` for LSTM (``h_0`` with ``proj_size`` features when projecting);
        zeros when omitted. ``lengths``: optional (B,) integers, the
        true length of each (padded) sequence (eager's own keyword; torch packs instead).
        Returns ``(output, h_n)`` (LSTM: ``(output, (h_n, c_n))``); output holds the last
        layer's hidden state at every step (zero past a sequence's length), h_n each layer's
        state after the sequence's last step.
        """
        if isinstance(input, PackedSequence):  # as padded data with its lengths
            padded, lengths = pad_packed_sequence(input, batch_first=self.batch_first)
            out, h_n = self.forward(padded, hx, lengths=lengths.numpy())
            return repack_like(out, input, batch_first=self.batch_first), h_n
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got "
                             f"{input.ndim}D instead")
        unbatched = input.ndim == 2
        if unbatched and lengths is not None:
            raise ValueError(f"{type(self).__name__}: lengths= needs a batch (3-D input)")
        if unbatched:
            input = ops.expand_dims(input, axis=1)
            hx = _map_state(hx, lambda h: ops.expand_dims(h, axis=1))
        x = ops.transpose(input, axes=(1, 0, 2)) if self.batch_first else input
        if lengths is not None and isinstance(lengths, list | tuple):
            lengths = np.asarray(lengths, dtype=np.int64)
        self._check_shapes(x, hx, lengths)
        finals = []
        for k in range(self.num_layers):
            outs = []
            for d, suffix in enumerate(self._suffixes):
                cell = _LayerCell(self, k, suffix)
                state = self._initial_state(cell, x, hx, k * self.num_directions + d)
                if lengths is None and x.shape[0] is not None and not self.proj_size:
                    # One op for the whole layer.
                    out, state = fused_layer(self.mode, cell, x, state, reverse=d == 1)
                else:
                    out, state = run_layer(self.mode, cell, x, state, lengths,
                                           reverse=d == 1)
                outs.append(out)
                finals.append(state)
            x = ops.concat(outs, axis=-1) if len(outs) > 1 else outs[0]
            if k + 1 < self.num_layers and self.dropout and self.training:
                x = F.dropout(x, self.dropout, training=True)
        out = ops.transpose(x, axes=(1, 0, 2)) if self.batch_first else x
        if self.mode == "LSTM":
            h_n = (ops.stack([s[0] for s in finals], axis=0),
                   ops.stack([s[1] for s in finals], axis=0))
        else:
            h_n = ops.stack(finals, axis=0)
        if unbatched:
            out = ops.squeeze(out, axis=1)
            h_n = _map_state(h_n, lambda h: ops.squeeze(h, axis=1))
        return out, h_n

    def _check_shapes(self, x: Any, hx: Any, lengths: Any) -> None:
        """PyTorch's early errors, for the dims known now (a traced graph may know fewer)."""
        steps, batch, features = x.shape
        if features is not None and features != self.input_size:
            raise RuntimeError(f"{type(self).__name__}: input.size(-1) must be equal to "
                               f"input_size. Expected {self.input_size}, got {features}")
        layers = self.num_layers * self.num_directions
        expected = [(layers, batch, self.proj_size or self.hidden_size)]
        if self.mode == "LSTM":
            expected.append((layers, batch, self.hidden_size))
        labels = ("hidden[0]", "hidden[1]") if self.mode == "LSTM" else ("hidden",)
        states = () if hx is None else hx if isinstance(hx, tuple) else (hx,)
        for h, want, label in zip(states, expected, labels, strict=False):
            if any(d is not None and e is not None and d != e
                   for d, e in zip(h.shape, want, strict=False)) or h.ndim != 3:
                raise RuntimeError(f"{type(self).__name__}: Expected {label} size {want}, "
                                   f"got {list(h.shape)}")
        if isinstance(lengths, np.ndarray):  # concrete lengths: check them as torch does
            if lengths.shape != (batch,) and batch is not None:
                raise ValueError(f"{type(self).__name__}: lengths must have shape ({batch},), "
                                 f"got {lengths.shape}")
            if steps is not None and len(lengths) and (lengths.max() > steps
                                                       or lengths.min() < 1):
                raise ValueError(f"{type(self).__name__}: lengths must lie in 1..{steps} "
                                 f"(the time dim), got {lengths.tolist()}")

    def _initial_state(self, cell: _LayerCell, x: Any, hx: Any, k: int) -> Any:
        if hx is None:
            zeros = cell.zero_state(ops.getitem(x, 0))  # x: this layer's input
            if self.mode != "LSTM":
                return zeros
            return (cell.zero_state(ops.getitem(x, 0), projected=True), zeros)
        return _map_state(hx, lambda h: ops.getitem(h, k))


def _check_arguments(mode: str, input_size: int, hidden_size: int, num_layers: int,
                     bias: bool, batch_first: bool, dropout: float, proj_size: int) -> None:
    """PyTorch's constructor checks, in its order and with its messages (a projection exists
    for LSTM only)."""
    if isinstance(dropout, bool) or not isinstance(dropout, numbers.Number) \
            or not 0 <= dropout <= 1:
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", stacklevel=4)
    for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                              ("input_size", input_size, int),
                              ("hidden_size", hidden_size, int)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} should be of type {kind.__name__}, got: "
                            f"{type(value).__name__}")
        if kind is int and value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable "
                         "projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")
    if proj_size and mode != "LSTM":
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")


def _map_state(state: Any, fn: Any) -> Any:
    if state is None:
        return None
    return tuple(fn(s) for s in state) if isinstance(state, tuple) else fn(state)


class RNN(RNNBase):
    """Elman RNN: ``RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', ...)``."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity


class GRU(RNNBase):
    """``GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, ...)``."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """``LSTM(input_size, hidden_size, num_layers=1, ...)``; state is a pair ``(h, c)``."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)
