"""``torch.testing``: `assert_close`, with PyTorch's default tolerances per dtype, its
handling of nan, dtypes, shapes, numbers, sequences and mappings, and its AssertionError
messages word for word.

    >>> import eager
    >>> assert_close(eager.tensor([1.0, 2.0]), eager.tensor([1.0, 2.0 + 1e-7]))
    >>> assert_close(eager.tensor([1.0, 2.0]), eager.tensor([1.0, 2.1]))
    Traceback (most recent call last):
    AssertionError: Tensor-likes are not close!
    <BLANKLINE>
    Mismatched elements: 1 / 2 (50.0%)
    Greatest absolute difference: 0.09999990463256836 at index (1,) (up to 1e-05 allowed)
    Greatest relative difference: 0.04761900380253792 at index (1,) (up to 1.3e-06 allowed)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from .tensor import Tensor
from .types.size import Size

# (rtol, atol) by dtype, as PyTorch's; integers and bools compare exactly.
_TOLERANCES = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5),
               np.dtype(np.float64): (1e-7, 1e-7)}


class _Mismatch(Exception):
    """A failed comparison: the message, and the exception type to raise it as."""

    def __init__(self, message: str, kind: type[BaseException] = AssertionError) -> None:
        super().__init__(message)
        self.kind = kind


def _tolerances(*dtypes: np.dtype) -> tuple[float, float]:
    pairs = [_TOLERANCES.get(np.dtype(d), (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _diff_line(kind: str, diff: Any, index: Any, tol: float, equality: bool) -> str:
    line = (f"{kind.title()} difference: {diff}" if index is None
            else f"Greatest {kind} difference: {diff} at index {index}")
    return line + ("" if equality else f" (up to {tol} allowed)")


def _mismatch_message(what: str, extra: str, abs_diff: Any, abs_index: Any, rel_diff: Any,
                      rel_index: Any, rtol: float, atol: float) -> str:
    equality = rtol == 0 and atol == 0
    lines = [f"{what} are not {'equal' if equality else 'close'}!", "", extra,
             _diff_line("absolute", abs_diff, abs_index, atol, equality),
             _diff_line("relative", rel_diff, rel_index, rtol, equality)]
    return "\n".join(lines)


def _close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float,
           equal_nan: bool) -> np.ndarray:
    with np.errstate(invalid="ignore", over="ignore"):
        if actual.dtype.kind in "biu":
            return actual == expected if rtol == 0 and atol == 0 else np.isclose(
                actual.astype(np.float64), expected.astype(np.float64), rtol, atol)
        return np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _first_max(values: np.ndarray) -> int:
    """torch.max's index: the first nan, else the first largest entry."""
    nans = np.flatnonzero(np.isnan(values))
    return int(nans[0]) if nans.size else int(np.argmax(values))


def _compare_arrays(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float,
                    equal_nan: bool) -> None:
    matches = _close(actual, expected, rtol, atol, equal_nan)
    if matches.all():
        return
    if actual.shape == ():
        raise _Mismatch(_scalar_message(actual.item(), expected.item(), rtol, atol))
    if actual.dtype.kind in "biu":  # integers are compared in int64, their ratio in float32
        a, e = actual.astype(np.int64).ravel(), expected.astype(np.int64).ravel()
        abs_diff = np.abs(a - e)
        abs_diff[matches.ravel()] = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            rel_diff = (abs_diff.astype(np.float32) / np.abs(e).astype(np.float32))
    else:
        a, e = actual.ravel(), expected.ravel()
        with np.errstate(invalid="ignore", over="ignore"):
            abs_diff = np.abs(a - e)
        abs_diff[matches.ravel()] = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            rel_diff = abs_diff / np.abs(e)
    rel_diff[matches.ravel()] = 0
    total, bad = matches.size, int(matches.size - matches.sum())
    extra = f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"
    abs_at, rel_at = _first_max(abs_diff.astype(np.float64)), _first_max(rel_diff)
    raise _Mismatch(_mismatch_message(
        "Tensor-likes", extra, abs_diff[abs_at].item(),
        tuple(int(i) for i in np.unravel_index(abs_at, actual.shape)),
        rel_diff[rel_at].item(), tuple(int(i) for i in np.unravel_index(rel_at, actual.shape)),
        rtol, atol))


def _scalar_message(actual: Any, expected: Any, rtol: float, atol: float) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_message("Scalars", f"Expected {expected} but got {actual}.", abs_diff,
                             None, rel_diff, None, rtol, atol)


def _array_of(value: Any) -> np.ndarray:
    return value.detach().numpy() if isinstance(value, Tensor) else np.asarray(value)


def _common_dtype(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's promotion of two tensors' dtypes: a float beats any integer or bool."""
    if (a.kind == "f") != (b.kind == "f"):
        return a if a.kind == "f" else b
    return np.promote_types(a, b)


def _compare_tensors(actual: Any, expected: Any, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_dtype: bool) -> None:
    a, e = _array_of(actual), _array_of(expected)
    if a.shape != e.shape:
        raise _Mismatch(f"The values for attribute 'shape' do not match: {Size(a.shape)} != "
                        f"{Size(e.shape)}.")
    if a.dtype != e.dtype and check_dtype:
        raise _Mismatch(f"The values for attribute 'dtype' do not match: {actual.dtype} != "
                        f"{expected.dtype}.")
    if rtol is None:
        rtol, atol = _tolerances(a.dtype, e.dtype)
    if a.dtype != e.dtype:
        common = _common_dtype(a.dtype, e.dtype)
        a, e = a.astype(common), e.astype(common)
    _compare_arrays(a, e, rtol, atol, equal_nan)


def _compare_numbers(actual: Any, expected: Any, rtol: float | None, atol: float | None,
                     equal_nan: bool, check_dtype: bool) -> None:
    if check_dtype and type(actual) is not type(expected):
        raise _Mismatch(f"The (d)types do not match: {type(actual)} != {type(expected)}.")
    if rtol is None:
        floats = isinstance(actual, float) or isinstance(expected, float)
        rtol, atol = (1e-7, 1e-7) if floats else (0.0, 0.0)
    if not np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan):
        raise _Mismatch(_scalar_message(actual, expected, rtol, atol))


def _compare(actual: Any, expected: Any, where: str, options: dict) -> None:
    """Compare one pair, recursing into sequences and mappings; ``where`` names the item."""
    try:
        _compare_pair(actual, expected, where, options)
    except _Mismatch as mismatch:
        if where and not getattr(mismatch, "located", False):
            located = _Mismatch(f"{mismatch}\n\nThe failure occurred for item {where}",
                                mismatch.kind)
            located.located = True
            raise located from None
        raise


def _compare_pair(actual: Any, expected: Any, where: str, options: dict) -> None:
    tensor_like = (Tensor, np.ndarray)
    if isinstance(actual, tensor_like) and isinstance(expected, tensor_like) and \
            isinstance(actual, Tensor) == isinstance(expected, Tensor):
        _compare_tensors(actual, expected, **options)
    elif actual is None or expected is None:
        if actual is not expected:
            raise _Mismatch(f"None mismatch: {actual} is not {expected}")
    elif isinstance(actual, bool) and isinstance(expected, bool):
        if actual is not expected:
            raise _Mismatch(f"Booleans mismatch: {actual} is not {expected}")
    elif isinstance(actual, int | float) and isinstance(expected, int | float) and \
            not isinstance(actual, bool) and not isinstance(expected, bool):
        _compare_numbers(actual, expected, **options)
    elif isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            raise _Mismatch(f"The keys of the mappings do not match:\nMissing keys in the actual "
                            f"mapping: {sorted(set(expected) - set(actual))}\nAdditional keys "
                            f"in the actual mapping: {sorted(set(actual) - set(expected))}")
        for key in expected:
            _compare(actual[key], expected[key], f"{where}[{key!r}]", options)
    elif _is_sequence(actual) and _is_sequence(expected):
        if len(actual) != len(expected):
            raise _Mismatch(f"The length of the sequences mismatch: {len(actual)} != "
                            f"{len(expected)}")
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _compare(a, e, f"{where}[{i}]", options)
    else:
        raise _Mismatch(f"No comparison pair was able to handle inputs of type "
                        f"{type(actual)} and {type(expected)}.", TypeError)


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True,
                 rtol: float | None = None, atol: float | None = None, equal_nan: bool = False,
                 check_device: bool = True, check_dtype: bool = True, check_layout: bool = True,
                 check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """Assert that ``actual`` and ``expected`` are close: |actual - expected| <= atol + rtol
    * |expected| elementwise, with PyTorch's defaults per dtype when ``rtol``/``atol`` are
    omitted (float32: 1.3e-6 and 1e-5; float64: 1e-7 and 1e-7; integers: exact). Tensors must
    agree in shape (and dtype, with ``check_dtype``); nan equals nan with ``equal_nan``;
    sequences and mappings compare item by item. ``msg`` replaces the message (a callable
    gets the generated one). Devices, layouts and strides are always the CPU's, dense and
    compared as PyTorch compares them."""
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got "
                         f"no {'atol' if atol is None else 'rtol'}.")
    options = dict(rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype)
    try:
        _compare(actual, expected, "", options)
    except _Mismatch as mismatch:
        message = str(mismatch)
        if mismatch.kind is AssertionError and msg is not None:
            message = msg(message) if callable(msg) else msg
        raise mismatch.kind(message) from None


__all__ = ["assert_close"]
