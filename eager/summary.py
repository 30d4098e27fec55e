"""``eager.summary(model, input_size=...)``: a layer table as torchinfo's ``summary`` prints it.

    >>> import eager, eager.nn as nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> stats = eager.summary(model, input_size=(3, 4))  # prints the table (verbose=0: not)
    ==========================================================================================
    Layer (type:depth-idx)                   Output Shape              Param #
    ==========================================================================================
    Sequential                               [3, 2]                    --
    ├─Linear: 1-1                            [3, 8]                    40
    ├─ReLU: 1-2                              [3, 8]                    --
    ├─Linear: 1-3                            [3, 2]                    18
    ==========================================================================================
    Total params: 58
    Trainable params: 58
    Non-trainable params: 0
    Total mult-adds (M): 0.00
    ==========================================================================================
    Input size (MB): 0.00
    Forward/backward pass size (MB): 0.00
    Params size (MB): 0.00
    Estimated Total Size (MB): 0.00
    ==========================================================================================

One forward pass runs (under ``no_grad``) with forward hooks on every submodule: each call of
a module is a row, in call order, with its output shape; a module called again is marked
``(recursive)`` as torchinfo marks it. Mult-adds count each parameter once per output position
(a ``Linear``: weight and bias elements times the rows; a convolution: times batch and spatial
positions), torchinfo's rule for these layers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from shared_ops.summary_table import LayerInfo, ModelStatistics, check_settings

from .autograd import no_grad
from .creation import tensor as make_tensor
from .tensor import Tensor

__all__ = ["summary"]


def summary(model: Any, input_size: Sequence | None = None, input_data: Any = None,
            batch_dim: int | None = None, cache_forward_pass: bool | None = None,
            col_names: Sequence[str] | None = None, col_width: int = 25, depth: int = 3,
            device: Any = None, dtypes: Sequence[Any] | None = None, mode: str | None = None,
            row_settings: Sequence[str] | None = None, verbose: int | None = None,
            **kwargs: Any) -> ModelStatistics:
    """Summarise ``model`` by running it once on ``input_data`` or on random inputs of
    ``input_size`` (a shape, or a list of shapes for several inputs) in ``dtypes`` (default
    float32). ``kwargs`` are passed to ``forward``. The pass runs in eval mode (``mode``:
    ``"train"``, ``"eval"`` or ``"same"``) and the model's mode is restored after, as
    torchinfo does; ``device`` and ``cache_forward_pass`` are accepted for its signature (CPU
    only; nothing is cached). Returns a `ModelStatistics`, whose text is the table;
    ``verbose=1`` (the default when ``verbose`` is None) also prints it, ``verbose=0`` not.
    """
    if mode not in (None, "train", "eval", "same"):
        raise ValueError(f"summary: mode must be 'train', 'eval' or 'same', got {mode!r}")
    col_names = tuple(col_names or ("output_size", "num_params"))
    row_settings = tuple(row_settings or ("depth",))
    check_settings(col_names, row_settings, "summary")
    inputs = _inputs(input_size, input_data, batch_dim, dtypes)
    was_training = getattr(model, "training", False)
    if mode != "same":
        model.train(mode == "train")
    try:
        rows = _run_with_hooks(model, inputs, kwargs)
    finally:
        model.train(was_training)
    _collapse(rows, model, depth)
    params = _unique_params(model)
    stats = ModelStatistics(
        summary_list=rows, total_params=sum(p.numel() for p in params),
        trainable_params=sum(p.numel() for p in params if p.requires_grad),
        total_mult_adds=sum(r.macs for r in rows if r.depth <= depth),
        input_bytes=sum(np.asarray(x.detach()).nbytes for x in inputs),
        param_bytes=sum(np.asarray(p.detach()).nbytes for p in params),
        col_names=col_names, col_width=col_width, row_settings=row_settings, depth=depth)
    if verbose is None or verbose > 0:
        print(stats)
    return stats


def _inputs(input_size, input_data, batch_dim, dtypes) -> list[Tensor]:
    if input_data is not None:
        items = list(input_data) if isinstance(input_data, (list, tuple)) else [input_data]
        return [x if isinstance(x, Tensor) else make_tensor(np.asarray(x)) for x in items]
    if input_size is None:
        raise ValueError("summary: give input_size (a shape or a list of shapes) or input_data")
    sizes = list(input_size)
    if not sizes or isinstance(sizes[0], int):
        sizes = [tuple(sizes)]
    dtypes = list(dtypes) if dtypes is not None else [np.float32] * len(sizes)
    if len(dtypes) != len(sizes):
        raise ValueError(f"summary: {len(sizes)} input sizes but {len(dtypes)} dtypes")
    # A private generator: summarising must not move the user's global eager seed.
    rng = np.random.default_rng(0)
    out = []
    for size, dtype in zip(sizes, dtypes, strict=True):
        shape = list(size)
        if batch_dim is not None:
            shape.insert(batch_dim, 1)
        dt = np.dtype(dtype)
        arr = rng.random(shape) if dt.kind == "f" else np.zeros(shape)
        out.append(make_tensor(arr.astype(dt)))
    return out


def _size(value: Any) -> Any:
    """A tensor's shape as a list; a list of those for tuples of tensors; None otherwise."""
    if isinstance(value, (Tensor, np.ndarray)):
        return list(value.shape)
    if isinstance(value, (list, tuple)):
        sizes = [s for s in map(_size, value) if s is not None]
        return sizes[0] if len(sizes) == 1 else (sizes or None)
    return None


def _nbytes(value: Any) -> int:
    if isinstance(value, (Tensor, np.ndarray)):
        return int(np.asarray(value.detach() if isinstance(value, Tensor) else value).nbytes)
    if isinstance(value, (list, tuple)):
        return sum(map(_nbytes, value))
    return 0


def _trainable(params: list) -> str:
    if not params:
        return "--"
    flags = {p.requires_grad for p in params}
    return "Partial" if len(flags) == 2 else str(flags.pop())


def _macs(module: Any, out_size: Any) -> int:
    if not isinstance(out_size, list) or not out_size or not isinstance(out_size[0], int):
        return 0
    n = sum(p.numel() for p in module.parameters(recurse=False))
    if type(module).__name__.startswith("Conv"):  # every batch and spatial position
        return n * int(np.prod([out_size[0], *out_size[2:]]))
    return n * int(np.prod(out_size[:-1]))


def _run_with_hooks(model: Any, inputs: list[Tensor], kwargs: dict) -> list[LayerInfo]:
    paths = {id(m): p for p, m in model.named_modules()}
    rows: list[LayerInfo] = []
    stack: list[LayerInfo] = []
    seen: set[int] = set()
    counters: dict[int, int] = {}  # id(parent row) -> children so far (the depth index)

    def pre(module, args):
        path = paths[id(module)]
        parent = stack[-1] if stack else None
        if parent is not None:
            parent.is_leaf = False
        counters[id(parent)] = counters.get(id(parent), 0) + 1
        own = list(module.parameters(recurse=False))
        row = LayerInfo(path=path, class_name=type(module).__name__, depth=len(stack),
                        depth_index=counters[id(parent)], input_size=_size(args),
                        num_params=sum(p.numel() for p in own),
                        trainable=_trainable(list(module.parameters())),
                        recursive=id(module) in seen)
        seen.add(id(module))
        rows.append(row)
        stack.append(row)

    def post(module, args, output):
        row = stack.pop()
        row.output_size = _size(output)
        row.output_bytes = _nbytes(output)
        row.macs = _macs(module, row.output_size)

    handles = []
    for _, m in model.named_modules():
        handles.append(m.register_forward_pre_hook(pre))
        handles.append(m.register_forward_hook(post))
    try:
        with no_grad():
            model(*inputs, **kwargs)
    except Exception as e:  # torchinfo's contract: a RuntimeError naming where it stopped
        done = [f"{r.class_name}: {r.depth}-{r.depth_index}" for r in rows]
        raise RuntimeError(f"summary: the forward pass of {type(model).__name__} failed "
                           f"({type(e).__name__}: {e}); executed layers up to: {done}") from e
    finally:
        for h in handles:
            h.remove()
    return rows


def _collapse(rows: list[LayerInfo], model: Any, depth: int) -> None:
    """A row at the depth limit whose children are hidden shows its subtree's parameters and
    mult-adds (the children's rows stay in ``summary_list``, as torchinfo keeps them)."""
    modules = dict(model.named_modules())
    for i, row in enumerate(rows):
        if row.depth == depth and not row.is_leaf:
            row.num_params = sum(p.numel() for p in modules[row.path].parameters())
            below = itertools.takewhile(lambda r: r.depth > depth, rows[i + 1:])
            row.macs += sum(r.macs for r in below)


def _unique_params(model: Any) -> list:
    return list(model.parameters())  # parameters() already yields each shared one once
