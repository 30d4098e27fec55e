"""Dynamic dims: a dim unknown when the graph was built (``None``: a batch, a sequence length)
becomes a *named* ONNX dim (``dim_param``), so onnxruntime accepts any size there and Netron
shows ``batch x 10``.

Inputs name their unknown dims after the input and axis (``x_dim1``), except axis 0, which is
``batch`` for every input (the zoo's inputs share their batch); ``dim_names`` overrides any of
them: ``{"x": {0: "N", 1: "T"}}``. Outputs get the names ONNX shape inference finds (``batch``
flows through a matmul), else ``<output>_dim<axis>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from onnx import helper

from .emitter import onnx_dtype

DimNames = Mapping[str, Mapping[int, str]]


def input_dims(name: str, shape: tuple, dim_names: DimNames | None = None) -> list:
    """The ONNX shape of input ``name``: ints where known, a dim name where not."""
    chosen = dict((dim_names or {}).get(name, {}))
    out = []
    for axis, d in enumerate(shape):
        if d is not None:
            out.append(int(d))
        elif axis in chosen:
            out.append(str(chosen[axis]))
        else:
            out.append("batch" if axis == 0 else f"{name}_dim{axis}")
    return out


def value_info(name: str, aval, dims: list | None = None):
    """A typed value info; unknown dims stay anonymous unless ``dims`` names them."""
    shape = dims if dims is not None else [None if d is None else int(d) for d in aval.shape]
    return helper.make_tensor_value_info(name, onnx_dtype(aval.dtype), shape)


def traced_dims(nodes, inputs, in_dims: list[list], outputs) -> list[list]:
    """For each output, the input dim name each unknown dim equals (else None), found by
    running the static shape rules twice with every named input dim set to a distinct
    prime: an output dim that is that prime both times is that dim (``batch`` through a
    ``reshape(-1, 64)``, which ONNX shape inference cannot follow)."""
    from shared_ops.aval import Aval
    from shared_ops.errors import DualgraphError

    from ..compiler.memory_plan import concrete_avals

    names = sorted({d for dims in in_dims for d in dims if isinstance(d, str)})
    trials = [dict(zip(names, primes, strict=False)) for primes in (_PRIMES_A, _PRIMES_B)]
    if len(names) > len(_PRIMES_A):
        return [[None] * len(o.aval.shape) for o in outputs]
    shapes = []
    for sizes in trials:
        feeds = {ph: Aval(tuple(sizes[d] if isinstance(d, str) else d for d in dims),
                          ph.aval.dtype) for ph, dims in zip(inputs, in_dims, strict=True)}
        try:
            avals = concrete_avals(nodes, feeds)
        except (DualgraphError, ValueError, TypeError):  # a rule refusing made-up sizes
            return [[None] * len(o.aval.shape) for o in outputs]
        shapes.append([avals[o].shape for o in outputs])
    by_size = [{v: k for k, v in sizes.items()} for sizes in trials]
    found = []
    for a, b in zip(*shapes, strict=True):
        found.append([by_size[0].get(x) if x is not None and by_size[0].get(x) ==
                      by_size[1].get(y) else None for x, y in zip(a, b, strict=True)])
    return found


# Sizes no model dim is likely to be (and no product of two of them equals another).
_PRIMES_A = (1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049)
_PRIMES_B = (2003, 2011, 2017, 2027, 2029, 2039, 2053, 2063)


def name_output_dims(model, outputs: list[tuple[str, object]], traced: list[list]) -> None:
    """Give each output's unknown dims names: the input dim it was traced to be
    (`traced_dims`), else the name ONNX shape inference finds, else ``<output>_dim<axis>``.
    Edits ``model.graph.output`` in place."""
    from onnx import shape_inference
    from onnx.shape_inference import InferenceError

    try:
        inferred = shape_inference.infer_shapes(model)
        found = {v.name: v for v in inferred.graph.output}
    except InferenceError:  # inference is a nicety: the model stays valid without it
        found = {}
    known = {d.dim_param for v in model.graph.input for d in v.type.tensor_type.shape.dim
             if d.dim_param}
    for out, (name, aval), mine in zip(model.graph.output, outputs, traced, strict=True):
        guess = found.get(name)
        dims = guess.type.tensor_type.shape.dim if guess is not None else []
        for axis, d in enumerate(aval.shape):
            if d is not None:
                continue
            param = mine[axis] or (dims[axis].dim_param if axis < len(dims) else "")
            if param not in known:  # inference's own "unk__3" names tell a reader nothing
                param = f"{name}_dim{axis}"
            out.type.tensor_type.shape.dim[axis].dim_param = param
