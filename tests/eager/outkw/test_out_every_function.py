"""Every eager function that takes ``out=`` (eager/out_argument_tables.py) against torch's, on
the inputs of tests/eager/types' call table (and rows of its own), compared by out_oracle.py:
the same values written into ``out`` and ``out`` itself returned, or the same exception with
the same message, for outs of the result's dtype, another floating one and an integer one."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import numpy as np
import pytest
from out_oracle import differences
from test_torch_functions import CALLS, SHAPE_ONLY, a

import eager
from eager.out_argument_tables import OUT_FUNCTIONS

torch = pytest.importorskip("torch")

SQ = [[2.0, 1.0, 0.5], [1.0, 3.0, -1.0], [0.5, -1.0, 4.0]]
V = [1.0, 2.0, 3.0]
# Rows for the functions the shared table leaves to other tests (or calls in ways that return
# more than the result).
ROWS = {
    "addcdiv": [lambda L: L.addcdiv(a(L), a(L), a(L, [[1.0, 2.0, 4.0]]), value=0.5)],
    "addcmul": [lambda L: L.addcmul(a(L), a(L), a(L, [[1.0, 2.0, 4.0]]), value=2)],
    "addmm": [lambda L: L.addmm(a(L, SQ), a(L, SQ), a(L, SQ), beta=0.5)],
    "ger": [lambda L: L.ger(L.tensor(V), L.tensor(V))],
    "outer": [lambda L: L.outer(L.tensor(V), L.tensor(V[:2]))],
    "dot": [lambda L: L.dot(L.tensor(V), L.tensor(V))],
    "inner": [lambda L: L.inner(L.tensor(V), L.tensor(V))],  # eager.inner takes 1-d only
    "diag": [lambda L: L.diag(L.tensor(V)), lambda L: L.diag(a(L, SQ), 1)],
    "lerp": [lambda L: L.lerp(a(L), a(L, SQ[:2]), 0.25)],
    "masked_select": [lambda L: L.masked_select(a(L), a(L) > 0)],
    "cholesky": [lambda L: L.cholesky(a(L, SQ))],
    "qr": [lambda L: L.qr(a(L, SQ))[1].abs()],
    "svd": [lambda L: L.svd(a(L, SQ), compute_uv=False)],
    **{n: [lambda L, n=n: getattr(L, n)(a(L))]
       for n in ("ceil", "floor", "frac", "round", "trunc", "fix", "log10", "log2")},
    "clamp_max": [lambda L: L.clamp_max(a(L), 1.0)],
    "clamp_min": [lambda L: L.clamp_min(a(L), 1.0)],
    **{n: [lambda L, n=n: getattr(L, n)(a(L), a(L) > 1)]
       for n in ("logical_and", "logical_or", "logical_xor")},
    "logical_not": [lambda L: L.logical_not(a(L))],
    **{n: [lambda L, n=n: getattr(L, n)([a(L), a(L, SQ[:2])])]
       for n in ("hstack", "vstack", "row_stack", "dstack", "column_stack")},
}

# Where eager's outcome differs from torch's, and why (the test asserts the list is exact).
_OVERLOAD = ("torch takes out= in some overloads only (a TypeError listing them otherwise); "
             "eager takes it in every form")
_KERNEL = ("torch's kernel refuses that dtype with its own error; eager computes and writes "
           "(or refuses with the casting rule's message)")
KNOWN = {
    "sum": _OVERLOAD + " (not without dim); and a bool out: eager's sum(dtype=bool) is int64",
    "prod": _OVERLOAD + " (not without dim)", "median": _OVERLOAD + " (not without dim); "
    "with dim torch checks the indices' dtype first, eager the values'",
    "nanmedian": _OVERLOAD + " (not without dim); torch checks the indices' dtype first",
    "argsort": _OVERLOAD + " (only with stable= given by keyword)",
    "nonzero": _OVERLOAD + " (not with as_tuple=True)",
    "normal": _OVERLOAD + " (normal(mean_tensor, std) does not resize out: a size error); "
    "and a Long out: " + _KERNEL,
    "mean": "mean() without dim refuses a Long out as mean.dtype_out(), eager as the casting "
            "rule does",
    "max": "max(x) into an integer out: torch fails an internal canCast check, eager raises "
           "the casting rule's error", "min": "as max",
    "diag": "diag of a vector into a Long out: torch's message is diag's own",
    "matrix_power": "torch checks n > 1 as a same-dtype kernel, n <= 1 as a casting one; eager "
                    "always casts",
    "ldexp": "torch fails an internal assert on a float64 out; eager computes",
    "mvlgamma": "a Long out: torch's message names Float as the wrong dtype; eager's Long",
    "arange": "a bool out: " + _KERNEL, "randint": "a bool out: " + _KERNEL,
    "randperm": "a bool out: " + _KERNEL, "cumsum": "a bool out: " + _KERNEL,
    "nansum": "a Long out: " + _KERNEL, "nanmean": "a Long out: " + _KERNEL,
}


@pytest.mark.parametrize("name", OUT_FUNCTIONS)
def test_out_matches_torch(name):
    assert CALLS.get(name) or SHAPE_ONLY.get(name) or ROWS.get(name), f"no call row for {name}"
    calls = CALLS.get(name, []) + SHAPE_ONLY.get(name, []) + ROWS.get(name, [])
    found = differences(calls, name, values=name not in SHAPE_ONLY)
    if name in KNOWN:
        assert found, f"{name} now agrees with torch: drop it from KNOWN"
    else:
        assert not found, found


def torch_functions_with_out() -> set[str]:
    """torch's functions that list an ``out`` for some overload: its stubs for the bound ones
    (torch/_C/_VariableFunctions.pyi), the signature for the Python-level ones."""
    stubs = (Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi").read_text()
    names = set()
    for name, parameters in re.findall(r"^def (\w+)\((.*?)\) ->", stubs, re.S | re.M):
        if re.search(r"\bout: Tensor", parameters) or re.search(r"\bout: tuple", parameters):
            names.add(name)
    for name in dir(torch):
        try:
            if "out" in inspect.signature(getattr(torch, name)).parameters:
                names.add(name)
        except (TypeError, ValueError):
            continue
    return names


def test_every_eager_function_torch_gives_out_takes_it():
    public = {n for n in dir(eager) if not n.startswith("_") and callable(getattr(eager, n))
              and not isinstance(getattr(eager, n), type)}
    missing = sorted((public & torch_functions_with_out()) - set(OUT_FUNCTIONS))
    assert missing == [], "add them to eager/out_argument_tables.py's OUT_FUNCTIONS"


def test_the_table_names_exactly_the_functions_torch_gives_out():
    for name in OUT_FUNCTIONS:
        assert hasattr(eager, name)
        parameters = inspect.signature(getattr(eager, name)).parameters
        assert "out" in parameters and parameters["out"].default is None, name
    assert not np.setdiff1d(list(KNOWN), OUT_FUNCTIONS).size
