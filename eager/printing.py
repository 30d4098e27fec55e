"""``print(tensor)`` as PyTorch prints it: a port of the rules in torch's ``_tensor_str``.

* floats: 4 digits after the point; all-integer values print as ``4.``; scientific notation
  when the nonzero magnitudes span more than 1000x, exceed 1e8 or go below 1e-4;
* every element is padded to the widest one; rows wrap at 80 columns;
* more than 1000 elements: only 3 items at each end of every dim, with ``...`` between;
* nested dims open on new lines, indented under ``tensor(``, with blank lines between blocks
  of 3-d and higher;
* suffixes as PyTorch writes them: ``dtype=torch.float64`` for non-default dtypes
  (default: float32, int64, bool), ``requires_grad=True`` on leaves, ``grad_fn=<MulBackward0>``
  on recorded results.

    >>> import eager
    >>> eager.tensor([[1.0, 2.5], [3.0, 4.0]])
    tensor([[1.0000, 2.5000],
            [3.0000, 4.0000]])
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from shared_ops import dtypes as dt


@dataclass
class PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


OPTS = PrintOptions()
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80),
             "full": (4, math.inf, 3, 80)}
# Dtypes a repr leaves unsaid besides the default float, read when printing (set_default_dtype).
_IMPLIED_DTYPES = (np.dtype(np.int64), np.dtype(np.bool_))


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    """PyTorch's ``set_printoptions``: ``profile`` is "default", "short" or "full"."""
    if profile is not None:
        (OPTS.precision, OPTS.threshold, OPTS.edgeitems, OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        OPTS.precision = precision
    if threshold is not None:
        OPTS.threshold = threshold
    if edgeitems is not None:
        OPTS.edgeitems = edgeitems
    if linewidth is not None:
        OPTS.linewidth = linewidth
    OPTS.sci_mode = sci_mode  # as in PyTorch, None (automatic) unless given


class _Formatter:
    """Decides int/sci mode and the common width from (a summary of) the values."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.max_width = max(self.max_width, len(f"{v}"))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)]
        if finite.size == 0:
            return
        magnitude = np.abs(finite).astype(np.float64)
        lo, hi = magnitude.min(), magnitude.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        self.sci_mode = (hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4) \
            if OPTS.sci_mode is None else OPTS.sci_mode
        p = OPTS.precision
        for v in finite.tolist():
            if self.sci_mode:
                width = len(f"{v:.{p}e}")
            elif self.int_mode:
                width = len(f"{v:.0f}") + 1  # the trailing "."
            else:
                width = len(f"{v:.{p}f}")
            self.max_width = max(self.max_width, width)

    def format(self, value) -> str:
        if self.floating:
            if self.sci_mode:
                text = f"{value:{self.max_width}.{OPTS.precision}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{value:.{OPTS.precision}f}"
        else:
            text = f"{value}"
        return (self.max_width - len(text)) * " " + text


class _ComplexFormatter:
    """Complex values as PyTorch prints them: the real and the imaginary parts each by a
    formatter of its own (``1.5000+2.0000e+00j``), the imaginary part unpadded."""

    def __init__(self, values: np.ndarray) -> None:
        self.real, self.imag = _Formatter(values.real), _Formatter(values.imag)
        self.max_width = self.real.max_width + self.imag.max_width + 1

    def format(self, value) -> str:
        imag = (self.imag.format(value.imag) + "j").lstrip()
        return self.real.format(value.real) + ("" if imag[0] in "+-" else "+") + imag


_AnyFormatter = _Formatter | _ComplexFormatter


def _formatter(values: np.ndarray) -> _AnyFormatter:
    return _ComplexFormatter(values) if values.dtype.kind == "c" else _Formatter(values)


def _summarized(a: np.ndarray) -> np.ndarray:
    """The values that will be shown, for the formatter's statistics."""
    e = OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        return np.concatenate([a[:e], a[-e:]]) if a.shape[0] > 2 * e else a
    if not e:
        return a.reshape((0,) * a.ndim)
    rows = list(range(e)) + list(range(a.shape[0] - e, a.shape[0])) \
        if a.shape[0] > 2 * e else range(a.shape[0])
    return np.stack([_summarized(a[i]) for i in rows])


def _vector(a: np.ndarray, indent: int, summarize: bool, fmt: _AnyFormatter) -> str:
    per_line = max(1, math.floor((OPTS.linewidth - indent) / (fmt.max_width + 2)))
    e = OPTS.edgeitems
    if summarize and not e:
        data = ["..."]
    elif summarize and a.shape[0] > 2 * e:
        data = ([fmt.format(v) for v in a[:e].tolist()] + [" ..."]
                + [fmt.format(v) for v in a[-e:].tolist()])
    else:
        data = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(a: np.ndarray, indent: int, summarize: bool, fmt: _AnyFormatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector(a, indent, summarize, fmt)
    e = OPTS.edgeitems
    n = a.shape[0]
    if summarize and n > 2 * e:
        parts = ([_nested(a[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
                 + [_nested(a[i], indent + 1, summarize, fmt) for i in range(n - e, n)])
    else:
        parts = [_nested(a[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def array_str(a: np.ndarray, indent: int) -> str:
    """The bracketed body of a tensor's repr, ``indent`` columns in."""
    if a.size == 0:
        return "[]"
    summarize = a.size > OPTS.threshold
    return _nested(a, indent, summarize, _formatter(_summarized(a) if summarize else a))


def _with_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    out = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last_line_len += len(suffix) + 2
    out.append(")")
    return "".join(out)


def dtype_name(dtype: np.dtype) -> str:
    """``torch.float64``: how a dtype appears in a printed tensor (as PyTorch prints it)."""
    return f"torch.{np.dtype(dtype).name}"


def tensor_repr(t) -> str:
    """``tensor([1., 2.], requires_grad=True)``: the repr of an eager Tensor."""
    a = t._data
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype != dt.DEFAULT_FLOAT:
            suffixes.append(f"dtype={dtype_name(a.dtype)}")
        body = "[]"
    else:
        if not OPTS.edgeitems:
            suffixes.append(f"size={tuple(a.shape)}")
        if a.dtype != dt.DEFAULT_FLOAT and a.dtype not in _IMPLIED_DTYPES \
                and a.dtype != dt.complex_of(dt.DEFAULT_FLOAT):
            suffixes.append(f"dtype={dtype_name(a.dtype)}")
        body = array_str(a, indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, indent)
