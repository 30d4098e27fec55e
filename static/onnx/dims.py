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


def name_output_dims(model, outputs: list[tuple[str, object]]) -> None:
    """Give each output's unknown dims names: those shape inference finds, else
    ``<output>_dim<axis>``. Edits ``model.graph.output`` in place."""
    from onnx import shape_inference

    try:
        inferred = shape_inference.infer_shapes(model)
        found = {v.name: v for v in inferred.graph.output}
    except Exception:  # inference is a nicety: the model stays valid without it
        found = {}
    known = {d.dim_param for v in model.graph.input for d in v.type.tensor_type.shape.dim
             if d.dim_param}
    for out, (name, aval) in zip(model.graph.output, outputs, strict=True):
        guess = found.get(name)
        dims = guess.type.tensor_type.shape.dim if guess is not None else []
        for axis, d in enumerate(aval.shape):
            if d is not None:
                continue
            param = dims[axis].dim_param if axis < len(dims) else ""
            if param not in known:  # inference's own "unk__3" names tell a reader nothing
                param = f"{name}_dim{axis}"
            out.type.tensor_type.shape.dim[axis].dim_param = param
