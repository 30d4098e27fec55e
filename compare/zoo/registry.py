"""The model zoo's registry: what a model must provide to run through the harness.

A zoo entry is a *factory*: called with a dtype, it returns a `ModelCase` holding a freshly
initialised eager ``Module``, the training batches, the loss (written with shared ops, so it
runs on eager Tensors and on static Nodes alike) and the learning rate. The harness calls the
factory twice under the same seed to get two identical twins, one per mode.

Register your own model the same way the zoo does::

    from compare.zoo import ModelCase, register_model

    @register_model("mine", description="my 4-2-1 regressor")
    def mine(dtype):
        model = MyModule().to(dtype)
        return ModelCase(model=model, batches=[((x,), (y,))], loss=shared_ops.mse)

and run it with ``dualgraph compare mine`` after importing the module that defines it
(``--import mypkg.models``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Batch = tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]


@dataclass
class ModelCase:
    """One model ready to train: the Module, its batches (inputs, targets) and its loss.

    ``dynamic_dims`` are the input dims left unknown (``None``) in the static placeholders, so
    one graph serves every batch; any other dim is exact, and a batch with a new exact shape
    gets its own trace ("exact" shape policy, as for the GRU's sequence lengths).
    """

    model: Any
    batches: Sequence[Batch]
    loss: Callable[..., Any]
    lr: float = 0.1
    dynamic_dims: tuple[int, ...] = (0,)
    shape_policy: str = "batch-polymorphic"
    notes: str = ""


@dataclass(frozen=True)
class ZooEntry:
    """A registered factory with its name and a one-line description."""

    name: str
    factory: Callable[[np.dtype], ModelCase]
    description: str
    tags: tuple[str, ...] = field(default_factory=tuple)
    order: float = 100.0


ZOO: dict[str, ZooEntry] = {}


def register_model(name: str, *, description: str = "", tags: Sequence[str] = (),
                   order: float = 100.0):
    """Decorator: add ``factory(dtype) -> ModelCase`` to the zoo under ``name``.

    ``order`` places the model in listings and reports (built-ins use 0-9; ties keep the
    registration order).

    The factory must build its Module and data from the global eager seed and its own fixed
    NumPy seeds only, so that two calls give identical twins.
    """

    def wrap(factory: Callable[[np.dtype], ModelCase]) -> Callable[[np.dtype], ModelCase]:
        if name in ZOO:
            raise ValueError(f"model {name!r} is already registered")
        doc = description or (factory.__doc__ or "").strip().splitlines()[0:1]
        text = doc if isinstance(doc, str) else (doc[0] if doc else "")
        ZOO[name] = ZooEntry(name, factory, text, tuple(tags), order)
        return factory

    return wrap


def case_factory(module: Callable[[], Any], batches: Callable[[np.dtype], Sequence[Batch]],
                 loss: Callable[..., Any], *, doc: str = "",
                 **options: Any) -> Callable[[np.dtype], ModelCase]:
    """A zoo factory: ``module()`` cast to the dtype, ``batches(dtype)``, ``loss`` and the other
    `ModelCase` fields (``lr=``, ``dynamic_dims=``...) as given; ``doc`` becomes its docstring.

        >>> import eager.nn as nn
        >>> make = case_factory(lambda: nn.Linear(2, 1), lambda dtype: [], loss=print, lr=0.5)
        >>> case = make(np.float64)
        >>> case.model.weight.dtype, case.lr
        (torch.float64, 0.5)
    """

    def factory(dtype: np.dtype) -> ModelCase:
        # A fresh Module each call: the harness calls a factory twice for two identical twins.
        return ModelCase(model=module().to(dtype), batches=batches(dtype), loss=loss, **options)

    factory.__doc__ = doc
    return factory


def get_model(name: str) -> ZooEntry:
    """The zoo entry called ``name``; a KeyError listing the known names otherwise."""
    try:
        return ZOO[name]
    except KeyError:
        known = ", ".join(sorted(ZOO))
        raise KeyError(f"unknown model {name!r}; known models: {known}") from None


def model_names() -> list[str]:
    """Registered model names in the zoo's order (``order``, then registration)."""
    return sorted(ZOO, key=lambda n: ZOO[n].order)  # sorted() is stable: ties keep insertion
