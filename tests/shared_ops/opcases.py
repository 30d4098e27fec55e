"""The shared format of op test cases, walked by ``test_registry_walk.py``.

Each op family has a module (``cases_core.py``, ``cases_neural.py``) defining
``CASES: list[OpCase]``; the registry walk checks every registered op against its cases:
kernel vs NumPy reference, shape rule vs actual output, VJP vs finite differences, and
(when torch is installed) forward and VJP vs torch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class OpCase:
    op: str                 # registry name, e.g. "matmul" or "softmax"
    args: tuple             # positional inputs: ndarrays (float64 for differentiable ones), ints...
    attrs: dict = field(default_factory=dict)
    reference: Callable | None = None   # NumPy reference: reference(*args, **attrs) -> ndarray
    torch_fn: Callable | None = None    # torch_fn(torch, *torch_tensors_or_values, **attrs) -> tensor  # noqa: E501
    grad: bool = True       # check the VJP against central finite differences (float64)
    id: str = ""            # short pytest id, e.g. "broadcast-row"


def case_collector(cases: list[OpCase]) -> Callable[..., None]:
    """A family's ``case(op, *args, ref=, torch_fn=, grad=, id=, **attrs)``: appends the
    `OpCase` to ``cases`` (the keywords not named here are the op's attributes)."""

    def case(op, *args, ref=None, torch_fn=None, grad=True, id="", **attrs):
        cases.append(OpCase(op, args, attrs, ref, torch_fn, grad, id))

    return case


def uniform_data(rng) -> Callable[..., object]:
    """A family's ``r(*shape, lo=-1.0, hi=1.0)``: uniform float64 test data from ``rng``."""

    def r(*shape, lo=-1.0, hi=1.0):
        return rng.uniform(lo, hi, size=shape)

    return r


def torch_function(name: str) -> Callable[..., object]:
    """A case's ``torch_fn`` calling ``torch.<name>`` on the case's inputs and attributes."""
    return lambda torch, *args, **kwargs: getattr(torch, name)(*args, **kwargs)
