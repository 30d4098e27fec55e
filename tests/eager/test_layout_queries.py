"""Layout queries (``is_contiguous``, ``stride``, ``storage_offset``, ``layout``...) and
``contiguous`` against torch on views, and what graph values answer."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import static

torch = pytest.importorskip("torch")

VIEWS = {
    "plain": lambda L: L.ones(2, 3, 4),
    "transposed": lambda L: L.ones(2, 3, 4).transpose(0, 2),
    "sliced": lambda L: L.arange(24.0).view(2, 3, 4)[:, 1:, ::2],
    "expanded": lambda L: L.ones(3, 1).expand(3, 5),
    "row": lambda L: L.ones(4, 5)[2],
    "scalar": lambda L: L.tensor(3.0),
    "channels-last": lambda L: L.ones(2, 3, 4, 5).permute(0, 2, 3, 1).permute(0, 3, 1, 2),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_layout_queries_are_torchs(name):
    answers = []
    for L in (eager, torch):
        x = VIEWS[name](L)
        answers.append((x.is_contiguous(), x.is_contiguous(memory_format=L.channels_last),
                        x.stride(), x.stride(-1) if x.dim() else x.stride(),
                        x.storage_offset(), repr(x.layout), x.is_sparse,
                        x.contiguous().is_contiguous(), x.contiguous().stride()))
    assert answers[0] == answers[1]


def test_contiguous_copies_a_view_and_keeps_its_gradient():
    x = eager.arange(6.0).view(2, 3).requires_grad_(True)
    y = x.t().contiguous()
    assert y.is_contiguous() and y.tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    (y * eager.arange(6.0).view(3, 2)).sum().backward()
    assert x.grad.tolist() == [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]
    plain = eager.ones(2, 2)
    assert plain.contiguous() is plain


def test_stride_out_of_range_is_torchs_error():
    for L in (eager, torch):
        with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 5"):
            L.ones(2, 3).stride(5)


def test_graph_values_are_contiguous_and_have_no_address():
    with static.Graph():
        x = static.placeholder((2, 3), name="x")
        y = static.placeholder((None, 3), name="y")
        assert x.t().is_contiguous() and x.stride() == (3, 1) and x.storage_offset() == 0
        assert repr(x.layout) == "torch.strided" and not x.is_sparse
        with pytest.raises(TypeError, match="unknown until the graph runs"):
            y.stride()
        with pytest.raises(TypeError, match=r"\.data_ptr\(\) of static node"):
            x.data_ptr()
    assert np.dtype(eager.float32) == np.float32  # the layout names sit beside the dtypes
    assert repr(eager.strided) == repr(torch.strided)
