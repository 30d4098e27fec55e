"""Converters of products, convolution and pooling (NCHW, as ONNX's Conv and pools)."""

from __future__ import annotations

from .registry import converts
from .util import as_out


@converts("matmul", onnx="MatMul")
def _matmul(e, node, x):
    return e.op("MatMul", *as_out(e, node, x))


@converts("contract", onnx="Einsum")
def _contract(e, node, x):
    return e.op("Einsum", *as_out(e, node, x), equation=str(node.attrs["equation"]))


@converts("linear_act", onnx="MatMul, Add (, Relu)")
def _linear_act(e, node, x):
    a, w, b = as_out(e, node, x)
    out = e.op("Add", e.op("MatMul", a, w), b)
    return e.op("Relu", out) if node.attrs.get("activation", "relu") == "relu" else out


@converts("affine", onnx="Transpose, MatMul, Add")
def _affine(e, node, x):
    a, w, b = as_out(e, node, x)
    return e.op("Add", e.op("MatMul", a, e.op("Transpose", w, perm=(1, 0))), b)


def _pads(padding) -> tuple[int, ...]:
    """(top, left, bottom, right) from the op's symmetric (height, width) padding."""
    ph, pw = padding
    return (int(ph), int(pw), int(ph), int(pw))


@converts("conv2d_core", onnx="Conv")
def _conv2d(e, node, x):
    a = node.attrs
    if isinstance(a["padding"], str):
        raise e.fail(f"padding={a['padding']!r} has no ONNX mapping here; give pixel counts")
    return e.op("Conv", *as_out(e, node, x), strides=tuple(a["stride"]), pads=_pads(a["padding"]),
                dilations=tuple(a["dilation"]), group=int(a["groups"]))


@converts("max_pool2d_core", onnx="MaxPool")
def _max_pool(e, node, x):
    a = node.attrs
    return e.op("MaxPool", x[0], kernel_shape=tuple(a["kernel_size"]), strides=tuple(a["stride"]),
                pads=_pads(a["padding"]), dilations=tuple(a["dilation"]))


@converts("avg_pool2d_core", onnx="AveragePool")
def _avg_pool(e, node, x):
    a = node.attrs
    if a.get("ceil_mode") or a.get("divisor_override") is not None:
        # ONNX's ceil mode divides the clipped last window differently, and has no divisor.
        raise e.fail("average pooling with ceil_mode or divisor_override has no ONNX mapping "
                     "here; export it with the defaults")
    return e.op("AveragePool", x[0], kernel_shape=tuple(a["kernel_size"]),
                strides=tuple(a["stride"]), pads=_pads(a["padding"]),
                count_include_pad=int(bool(a["count_include_pad"])))


@converts("conv2d_input_grad", onnx="ConvTranspose",
          note="a transposed convolution (nn.ConvTranspose2d); spatial sizes known")
def _conv_transpose(e, node, x):
    a = node.attrs
    g, w = node.inputs[0].aval.shape, node.inputs[1].aval.shape
    out = node.aval.shape
    sizes = (*g[2:], *w[2:], *out[2:])
    if None in sizes or isinstance(a["padding"], str):
        raise e.fail("a transposed convolution whose spatial sizes are unknown when the graph "
                     "is built has no ONNX mapping here")
    # The conv it reverses rounded its output size down: ONNX's output_padding gives back
    # the rows and columns that rounding dropped.
    extra = [out[2 + i] - (a["stride"][i] * (g[2 + i] - 1) + (w[2 + i] - 1) * a["dilation"][i]
                           + 1 - 2 * a["padding"][i]) for i in (0, 1)]
    v, wt = as_out(e, node, x)[:2]  # a like input (the conv's input) only gives the shape
    return e.op("ConvTranspose", v, wt, strides=tuple(a["stride"]), pads=_pads(a["padding"]),
                dilations=tuple(a["dilation"]), group=int(a["groups"]),
                output_padding=tuple(extra))
