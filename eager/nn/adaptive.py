"""`AdaptiveLogSoftmaxWithLoss`: the efficient softmax approximation of Grave et al. for large
vocabularies (the word-language-model example's option). Frequent classes (the shortlist)
are scored by a head next to one logit per tail cluster; a rarer class's log-probability is
its cluster's head log-probability plus its log-probability within the cluster, computed only
for the rows whose target falls there.

The head, then each cluster's two projections, are built in PyTorch's order, so after the
same ``manual_seed`` the weights, outputs and losses are PyTorch's.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> asm = AdaptiveLogSoftmaxWithLoss(8, 10, [4])
    >>> out = asm(eager.randn(3, 8), eager.tensor([0, 5, 9]))
    >>> tuple(out.output.shape), tuple(out.loss.shape)
    ((3,), ())
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any

import numpy as np

import shared_ops as ops

from .. import tensor, zeros
from .containers import ModuleList, Sequential
from .functional_activation import log_softmax
from .linear import Linear
from .module import Module

# PyTorch's result type, with its name (so the result prints as PyTorch's does).
ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """``AdaptiveLogSoftmaxWithLoss(in_features, n_classes, cutoffs, div_value=4.0,
    head_bias=False, device=None, dtype=None)``; ``forward(input, target)`` returns
    ``(output, loss)``: each row's log-probability of its target, and their negated mean."""

    def __init__(self, in_features: int, n_classes: int, cutoffs: Sequence[int],
                 div_value: float = 4.0, head_bias: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1 \
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted "
                             "in an increasing order, where each value is between 1 and "
                             "n_classes-1")
        factory = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, **factory)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(in_features, hidden, bias=False, **factory),
                                        Linear(hidden, size, bias=False, **factory)))

    def reset_parameters(self) -> None:
        """Initialize the head and every projection again, as the constructor does."""
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def _check(self, input: Any, target: Any) -> None:
        if target.ndim == 1:
            if input.shape[0] != target.shape[0]:
                raise RuntimeError("Input and target should have the same size in the batch "
                                   "dimension.")
            if input.ndim != 2:
                raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs "
                                   f"with size {input.size()}")
        elif target.ndim == 0:
            if input.ndim != 1:
                raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs "
                                   f"with size {input.size()}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")

    def forward(self, input_: Any, target_: Any) -> ASMoutput:
        self._check(input_, target_)
        batched = target_.ndim > 0
        input = input_ if batched else ops.expand_dims(input_, axis=0)
        labels = np.asarray(target_.numpy()).reshape(-1)
        gather = labels.copy()  # the head column each row reads: its class, or its cluster's
        rows, pieces = [], []
        bounds = [0] + self.cutoffs
        used = 0
        for i in range(len(bounds) - 1):
            chosen = np.nonzero((labels >= bounds[i]) & (labels < bounds[i + 1]))[0]
            used += chosen.size
            if chosen.size == 0 or i == 0:
                continue
            gather[chosen] = self.shortlist_size + i - 1
            logprob = log_softmax(self.tail[i - 1](ops.getitem(input, chosen)), dim=1)
            local = (labels[chosen] - bounds[i]).reshape(-1, 1)
            rows.append(chosen)
            pieces.append(ops.reshape(ops.take_along_axis(logprob, local, axis=1), shape=(-1,)))
        if used != labels.size:
            raise RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but "
                               f"values in range [{labels.min()}, {labels.max()}] were found. ")
        head = log_softmax(self.head(input), dim=1)
        output = ops.reshape(ops.take_along_axis(head, gather.reshape(-1, 1), axis=1),
                             shape=(-1,))
        if pieces:
            # PyTorch's output starts at 0, takes the cluster terms, then adds the head's
            # (output += head): a cluster row is local + head, a shortlist row 0 + head.
            local = ops.concat([zeros(1, dtype=head.dtype)] + pieces, axis=0)
            pick = np.zeros(labels.size, dtype=np.int64)
            pick[np.concatenate(rows)] = np.arange(1, 1 + sum(r.size for r in rows))
            output = ops.add(ops.getitem(local, pick), output)
        loss = ops.mean(ops.neg(output))
        return ASMoutput(output if batched else ops.squeeze(output, axis=0), loss)

    def _full_log_prob(self, input: Any, head_output: Any) -> Any:
        head = log_softmax(head_output, dim=1)
        columns = [ops.getitem(head, (slice(None), slice(0, self.shortlist_size)))]
        for i in range(self.n_clusters):
            cluster = log_softmax(self.tail[i](input), dim=1)
            k = self.shortlist_size + i
            columns.append(ops.add(cluster, ops.getitem(head, (slice(None), slice(k, k + 1)))))
        return ops.concat(columns, axis=1)

    def log_prob(self, input: Any) -> Any:
        """Log-probabilities of all ``n_classes`` classes, (N, n_classes)."""
        return self._full_log_prob(input, self.head(input))

    def predict(self, input: Any) -> Any:
        """The most probable class of each row, as ``log_prob(input).argmax(dim=1)``."""
        head_output = self.head(input)
        output = ops.argmax(head_output, axis=1)
        outside = np.asarray(output.numpy()) >= self.shortlist_size
        if not outside.any():
            return output
        rows = np.nonzero(outside)[0]
        best = ops.argmax(self._full_log_prob(ops.getitem(input, rows),
                                              ops.getitem(head_output, rows)), axis=1)
        merged = np.asarray(output.numpy()).copy()
        merged[rows] = np.asarray(best.numpy())
        return tensor(merged)


__all__ = ["AdaptiveLogSoftmaxWithLoss"]
