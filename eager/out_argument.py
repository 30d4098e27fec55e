"""PyTorch's ``out=`` keyword, added to every ``eager.<name>`` function whose torch counterpart
takes one, by one wrapper over the function table (`add_out_arguments`), so no function
carries its own copy of the rules.

The rules, as ATen applies them to its out variants:

* the result is computed as without ``out``, then written into ``out`` (a view writes through
  to its base), ``out`` is returned (the same object) and its version counter is bumped once;
* ``out`` of another shape is resized, with torch's deprecation warning when it had elements;
* dtypes: most ops (TensorIterator's) cast the result into ``out`` when PyTorch's casting rules
  allow it (never to a lower category); the rest (`SAME_DTYPE`) want ``out``'s dtype to be the
  result's; factories (`FACTORIES`) make ``out``'s dtype unless ``dtype=`` says otherwise;
* with grad mode on, no argument (``out`` included) may require grad: out variants are not
  differentiable;
* a function with several results (``max(x, dim)``, ``sort``...) takes a tuple (or list) of
  tensors and returns torch's ``torch.return_types.<name>_out``.

    >>> import eager
    >>> buffer = eager.empty(3)
    >>> eager.add(eager.tensor([1.0, 2.0, 3.0]), 1, out=buffer) is buffer
    True
    >>> buffer
    tensor([2., 3., 4.])
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops.dtypes import category
from shared_ops.return_types import return_type
from shared_ops.tensor_api_core import scalar_type_name

from .autograd.grad_mode import thread_state
from .autograd.versions import bump
from .out_argument_tables import (
    ANY_DTYPE,
    ATEN_NAMES,
    CAST_ERRORS,
    COMPUTE_IN_OUT_DTYPE,
    FACTORIES,
    OUT_FUNCTIONS,
    SAME_DTYPE,
)
from .tensor_base import TensorBase

__all__ = ["add_out_arguments", "with_out", "write_into"]

_RESIZED = ("An output with one or more elements was resized since it had shape {old}, which "
            "does not match the required output shape {new}. This behavior is deprecated, and "
            "in a future PyTorch release outputs will not be resized unless they have zero "
            "elements. You can explicitly reuse an out tensor t by resizing it, inplace, to "
            "zero elements with t.resize_(0).")
_NO_GRAD = ("{}(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad.")
# C++ type names, as ATen's "Expected out tensor to have dtype float" errors print them.
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
            "complex128": "c10::complex<double>"}


def _requires_grad(value: Any) -> bool:
    if isinstance(value, TensorBase):
        return value.requires_grad
    if isinstance(value, list | tuple):
        return any(isinstance(v, TensorBase) and v.requires_grad for v in value)
    return False


def _names(dtype: Any) -> dict[str, str]:
    """The spellings of a dtype that torch's messages use (``Float``, ``float``...)."""
    np_dtype = np.dtype(dtype)
    return {"aten": scalar_type_name(np_dtype), "c": _C_NAMES.get(np_dtype.name, np_dtype.name)}


def _check_dtype(aten: str, result: Any, out: Any, same: bool) -> None:
    r_dtype, o_dtype = result.numpy().dtype, out.numpy().dtype
    if r_dtype == o_dtype:
        return
    names = {"r": _names(r_dtype), "o": _names(o_dtype), "int32": r_dtype == np.int32}
    if same:
        template = SAME_DTYPE.get(aten) or \
            "Expected out tensor to have dtype {r[c]}, but got {o[c]} instead"
        raise RuntimeError(template.format(**names))
    if category(r_dtype) > category(o_dtype) or \
            (aten.endswith("logsumexp") and category(o_dtype) < category(np.dtype(np.float32))):
        error, template = CAST_ERRORS.get(aten, (
            RuntimeError, "result type {r[aten]} can't be cast to the desired output type "
                          "{o[aten]}"))
        raise error(template.format(**names))


def _write(result: Any, out: Any) -> Any:
    """``result``'s values into ``out`` (resized first if its shape differs)."""
    values = result.numpy()
    target = out.numpy()
    if target.shape != values.shape:
        if target.size:
            warnings.warn(_RESIZED.format(old=list(target.shape), new=list(values.shape)),
                          UserWarning, stacklevel=5)  # the user's call
        # a new storage of the result's shape (torch reallocates too when it grows)
        out._data = target = np.empty(values.shape, target.dtype)
    np.copyto(target, values, casting="unsafe")
    bump(out._version_counter)
    return out


@functools.cache
def _out_type(name: str, fields: tuple[str, ...]) -> type:
    return return_type(f"{name}_out", fields)


def _write_all(name: str, aten: str, result: Any, out: Any) -> Any:
    results = result if isinstance(result, tuple) else (result,)
    if not all(isinstance(r, TensorBase) for r in results):
        raise TypeError(f"{name}(): out= takes results computed on eager Tensors, not a "
                        f"{type(results[0]).__name__}: NumPy arrays, and values staged into a "
                        "graph, have no out arguments (use the returned value)")
    if not isinstance(result, tuple):
        if not isinstance(out, TensorBase):
            raise TypeError(f"{name}(): argument 'out' must be Tensor, not "
                            f"{type(out).__name__}")
        if aten not in ANY_DTYPE:
            _check_dtype(aten, result, out, aten in SAME_DTYPE)
        return _write(result, out)
    if not isinstance(out, tuple | list) or not all(isinstance(o, TensorBase) for o in out):
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not "
                        f"{type(out).__name__}")
    if len(out) != len(result):
        raise TypeError(f"expected tuple of {len(result)} elements but got {len(out)}")
    if aten not in ANY_DTYPE:
        for r, o in zip(result, out, strict=True):
            # ops with several results want exact dtypes, unless listed as casting ones
            _check_dtype(aten, r, o, aten not in CAST_ERRORS)
    written = []
    for r, o in zip(result, out, strict=True):  # a loop, not a comprehension: no extra frame
        written.append(_write(r, o))
    fields = getattr(result, "_fields", None)
    if fields is None or aten in ANY_DTYPE:
        return tuple(written)
    return _out_type(getattr(type(result), "_name", type(result).__name__), fields)(*written)


def write_into(name: str, result: Any, out: Any, inputs: tuple = ()) -> Any:
    """``result`` written into ``out`` by the rules above, for a function that handles its
    ``out`` parameter itself (``nn.functional.normalize``); ``name``: the op torch's messages
    name; ``inputs``: the arguments that must not require grad."""
    if thread_state.grad_enabled and (_requires_grad(out) or any(map(_requires_grad, inputs))):
        raise RuntimeError(_NO_GRAD.format(name))
    return _write_all(name, name, result, out)


# Functions whose torch signature has ``out`` as an ordinary parameter (Python-level ones):
# name -> the parameter it comes before (None: last).
_POSITIONAL_OUT = {"norm": "dtype", "tensordot": None}


def with_out(fn: Callable, name: str) -> Callable:
    """``fn`` taking torch's ``out=`` too, as its signature then shows."""
    aten = ATEN_NAMES.get(name, name)
    factory = name in FACTORIES
    signature = _signature_with_out(fn, name)

    def run(out: Any, args: tuple, kwargs: dict) -> Any:
        if thread_state.grad_enabled and (
                _requires_grad(out) or any(_requires_grad(a) for a in args)
                or any(_requires_grad(v) for v in kwargs.values())):
            raise RuntimeError(_NO_GRAD.format(aten))
        if name in COMPUTE_IN_OUT_DTYPE and isinstance(out, TensorBase) \
                and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        elif factory and isinstance(out, TensorBase):
            wanted = kwargs.get("dtype")
            if wanted is None:
                kwargs["dtype"] = out.dtype
            elif np.dtype(wanted) != out.numpy().dtype:
                raise RuntimeError(f"dtype {scalar_type_name(np.dtype(wanted))} does not match "
                                   f"dtype of out parameter "
                                   f"({scalar_type_name(out.numpy().dtype)})")
        return _write_all(name, aten, fn(*args, **kwargs), out)

    if name in _POSITIONAL_OUT:
        def call(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            out = bound.arguments.pop("out", None)
            if out is None:
                return fn(*args, **kwargs)
            return run(out, bound.args, bound.kwargs)
    else:
        def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
            if out is None:  # the common call: one test more than fn's own
                return fn(*args, **kwargs)
            return run(out, args, kwargs)

    functools.update_wrapper(call, fn)
    call.__signature__ = signature  # type: ignore[attr-defined]
    return call


def _signature_with_out(fn: Callable, name: str) -> inspect.Signature:
    """``fn``'s signature with ``out=None``: keyword-only (before any ``**kwargs``), or where
    torch's Python-level function has it."""
    out = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # a builtin without one
        return inspect.Signature([inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                                  out])
    if "out" in signature.parameters:  # declared (and refused) by fn: the wrapper takes it
        return signature
    params = list(signature.parameters.values())
    if name in _POSITIONAL_OUT:
        before = _POSITIONAL_OUT[name]
        at = next((i for i, p in enumerate(params) if p.name == before), len(params))
        out = out.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
    else:
        at = next((i for i, p in enumerate(params) if p.kind is p.VAR_KEYWORD), len(params))
    params.insert(at, out)
    return signature.replace(parameters=params)


def add_out_arguments(namespace: dict[str, Any], names: tuple[str, ...] = OUT_FUNCTIONS,
                      prefix: str = "") -> None:
    """Rebind each function of ``names`` found in ``namespace`` (a module's globals) to its
    ``out=``-taking form; each function is wrapped once, so aliases stay aliases. ``prefix``
    (``"linalg_"``) makes the names torch's messages give them."""
    done: dict[int, Callable] = {}
    for name in names:
        fn = namespace.get(name)
        if fn is None or getattr(fn, "__wrapped_out__", False):
            continue
        if id(fn) not in done:
            done[id(fn)] = with_out(fn, prefix + name)
            done[id(fn)].__wrapped_out__ = True  # type: ignore[attr-defined]
        namespace[name] = done[id(fn)]
