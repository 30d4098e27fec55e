"""``rnn_sequence`` (one RNN/GRU/LSTM layer over a batch-first sequence) as an ONNX ``Scan``.

Not ONNX's own GRU/LSTM ops: their gate orders differ from PyTorch's, and the LSTM op gives
only the last cell state where ``rnn_sequence`` returns every step's. The Scan body is the
kernel's step, gate for gate: every step's input projection is one MatMul before the Scan
(as in the kernel), the hidden projection one MatMul per step inside it.
"""

from __future__ import annotations

from .registry import converts
from .util import as_out


def _cols(b, v: str, lo: int, hi: int) -> str:
    """Features ``lo:hi`` of a (B, features) value."""
    return b.op("Slice", v, b.ints([lo]), b.ints([hi]), b.ints([1]))


def _step(mode: str, n: int, w_hh_t: str, b_hh: str):
    """The Scan body's builder: (state..., x projection of the step) -> (state..., output)."""

    def build(b, names):
        h, xk = names[0], names[-1]
        hh = b.op("Add", b.op("MatMul", h, w_hh_t), b_hh)
        if mode == "GRU":
            rz = b.op("Sigmoid", b.op("Add", _cols(b, xk, 0, 2 * n), _cols(b, hh, 0, 2 * n)))
            cand = b.op("Tanh", b.op("Add", _cols(b, xk, 2 * n, 3 * n),
                                     b.op("Mul", _cols(b, rz, 0, n), _cols(b, hh, 2 * n, 3 * n))))
            new = b.op("Add", cand, b.op("Mul", _cols(b, rz, n, 2 * n), b.op("Sub", h, cand)))
            return [new, new]
        if mode == "LSTM":
            c = names[1]
            gates = b.op("Add", xk, hh)
            sig = b.op("Sigmoid", gates)
            c_new = b.op("Add", b.op("Mul", _cols(b, sig, n, 2 * n), c),
                         b.op("Mul", _cols(b, sig, 0, n),
                              b.op("Tanh", _cols(b, gates, 2 * n, 3 * n))))
            h_new = b.op("Mul", _cols(b, sig, 3 * n, 4 * n), b.op("Tanh", c_new))
            return [h_new, c_new, b.op("Concat", h_new, c_new, axis=1)]
        pre = b.op("Add", xk, hh)
        new = b.op("Tanh" if mode == "RNN_TANH" else "Relu", pre)
        return [new, new]

    return build


@converts("rnn_sequence", onnx="Transpose, MatMul, Add, Scan (its body: MatMul, Add, Slice, "
          "Sigmoid, Tanh or Relu, Mul, Sub, Concat)", note="the kernel's step as a Scan body")
def _rnn_sequence(e, node, x):
    xs, h0, c0, w_ih, w_hh, b_ih, b_hh = as_out(e, node, x)
    mode, reverse = node.attrs.get("mode", "GRU"), bool(node.attrs.get("reverse", False))
    n = node.inputs[4].aval.shape[1]  # w_hh is (G*H, H): the hidden size is always known
    dtype = node.aval.dtype
    xi = e.op("Add", e.op("MatMul", xs, e.op("Transpose", w_ih, perm=(1, 0))), b_ih)
    w_hh_t = e.op("Transpose", w_hh, perm=(1, 0))
    carry = [h0, c0] if mode == "LSTM" else [h0]
    stems = [("h", dtype), ("c", dtype)][:len(carry)] + [("x_t", dtype)]
    body = e.subgraph("step", stems, _step(mode, n, w_hh_t, b_hh), [dtype] * (len(carry) + 1))
    outs = e.op("Scan", *carry, xi, n_out=len(carry) + 1, body=body, num_scan_inputs=1,
                scan_input_axes=[1], scan_output_axes=[1], scan_input_directions=[int(reverse)],
                scan_output_directions=[int(reverse)])
    return outs[-1]
