"""Running a compiled region on eager values, and its node on eager's tape.

A region's forward runs as one compiled step on the arrays of the call (tensor arguments,
the Module's live parameter arrays, fresh dropout seeds). Its outputs come back as eager
Tensors through the op seam, not by importing eager: each output is an `Op` of its own
(``compiled_region``) whose kernel hands back the value computed already and whose gradient
rule runs the region's compiled backward on the saved residuals. Called with the eager
Tensors as inputs, the op is recorded by eager's tape like any other (``grad_fn`` prints
``CompiledRegionBackward0``), so ``loss.backward()`` and an eager optimizer just work.

A model returning one tensor records one tape node; one returning several (``(logits,
loss)``) records one per output, and a backward reaching several runs the compiled backward
once for each, with the other cotangents zero (gradients add up, so the sum is exact).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops.aval import Aval
from shared_ops.registry import Op

from ..compiler import compile as compile_graph
from .region import RegionGraph

__all__ = ["CompiledRegion", "grad_enabled_for"]


def _probe_kernel(x: np.ndarray) -> np.ndarray:
    return np.zeros((), x.dtype)


def _probe_vjp(g, inputs, output):
    return (None,)


# An op that records on eager's tape exactly when grad mode is on and its input wants a
# gradient: the one question about eager's state a region needs answered (static does not
# import eager).
_PROBE = Op("grad_mode_probe", _probe_kernel, lambda a: Aval((), a.dtype), _probe_vjp)


def grad_enabled_for(tensor: Any) -> bool:
    """Whether an op on ``tensor`` (an eager Tensor that requires grad) is recorded now."""
    return bool(getattr(_PROBE(tensor), "requires_grad", False))


class RegionCall:
    """One call's saved state: the feeds of the backward and the residuals it reads."""

    __slots__ = ("region", "outputs", "saved")

    def __init__(self, region: CompiledRegion, outputs: list, saved: dict | None):
        self.region = region
        self.outputs = outputs
        self.saved = saved  # backward placeholder -> array (None: run without a backward)

    def backward(self, index: int, g: Any, n_inputs: int) -> tuple:
        """The gradients of every region input for cotangent ``g`` of output ``index``."""
        region = self.region
        back = region.graph.backward
        if self.saved is None:
            raise RuntimeError("static.compile: this call ran without recording a backward "
                               "(grad mode was off, or nothing required grad)")
        feeds = dict(self.saved)
        for k, seed in enumerate(back.seeds):
            if seed is None:
                continue
            if k == index:
                feeds[seed] = np.asarray(g, dtype=seed.dtype)
            else:
                feeds[seed] = np.zeros(np.shape(self.outputs[k]), seed.dtype)
        grads = region.backward_step(*[feeds[p] for p in region.backward_inputs])
        out: list = [None] * n_inputs
        for i, gi in zip(region.graph.grad_wrt, grads, strict=True):
            out[i] = gi
        return tuple(out)


def _output_kernel(*arrays, call: RegionCall, index: int) -> np.ndarray:
    return call.outputs[index]


def _output_vjp(g, inputs, output, *, call: RegionCall, index: int, needs=None) -> tuple:
    return call.backward(index, np.asarray(g), len(inputs))


def _no_rule(*avals, **attrs):  # eager never builds nodes; a static caller would end here
    raise TypeError("compiled_region: a compiled region runs on eager values only")


class CompiledRegion:
    """A traced `RegionGraph` with its compiled steps and one output `Op` per output.

    Three steps, compiled once (`static.compiler.compile`): the forward alone (no gradient
    wanted), the forward that also returns the residuals, and the backward."""

    def __init__(self, graph: RegionGraph, executor: str = "compiled"):
        self.graph = graph
        g = graph
        self.infer_step = compile_graph(g.graph, [*g.outputs, *g.effects], g.inputs,
                                        executor=executor)
        self.train_step = self.backward_step = None
        self.backward_inputs: list = []
        if g.backward is not None:
            self.train_step = compile_graph(g.graph, [*g.outputs, *g.effects, *g.residuals],
                                            g.inputs, executor=executor)
            self.backward_inputs = [b for _, b in g.backward.cut]
            self.backward_step = compile_graph(g.backward.graph, g.backward.grads,
                                               self.backward_inputs, executor=executor)
        self.ops = [Op("compiled_region", _output_kernel, _no_rule,
                       _output_vjp if o.dtype.kind == "f" and graph.backward is not None
                       else None) for o in graph.outputs]

    def run(self, arrays: list[np.ndarray], values: list[Any], train: bool) -> list:
        """Run the forward on ``arrays`` (one per region input) and return the outputs as
        values of the inputs' mode: eager Tensors recorded on the tape when ``train``.
        ``values`` are the inputs as the caller gave them (Tensors, Parameters, arrays)."""
        g = self.graph
        record = train and g.backward is not None
        results = (self.train_step if record else self.infer_step)(*arrays)
        outputs = results[:len(g.outputs)]
        saved = None
        if record:
            feeds = dict(zip(g.inputs, arrays, strict=True))
            residual = dict(zip(g.residuals, results[len(g.outputs) + len(g.effects):],
                                strict=True))
            seeds = {s for s in g.backward.seeds if s is not None}
            saved = {b: residual[f] if f in residual else feeds[f]
                     for f, b in g.backward.cut if b not in seeds}
        call = RegionCall(self, outputs, saved)
        return [op(*values, call=call, index=k) for k, op in enumerate(self.ops)]
