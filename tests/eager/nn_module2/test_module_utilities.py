"""Module.type, bfloat16, share_memory; load_state_dict's printed result; ParameterList and
ParameterDict printing; nn.Buffer; checked against torch."""

from __future__ import annotations

import os

import pytest
from module2_oracle import same_error, under_both

import eager
import eager.nn as nn
from eager.shared_memory import is_shared


@pytest.mark.parametrize("spec", ["float64", "torch.DoubleTensor", "float16"])
def test_type_casts_parameters_and_every_buffer(spec):
    def scenario(lib):
        dst = getattr(lib, spec) if "." not in spec else spec
        bn = lib.nn.BatchNorm1d(2)
        out = bn.type(dst)
        return (out is bn, str(bn.weight.dtype), str(bn.running_mean.dtype),
                str(bn.num_batches_tracked.dtype))
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_type_to_an_integer_dtype_refuses_parameters_that_require_grad():
    same_error(RuntimeError, lambda lib: lib.nn.Linear(2, 2).type(lib.int64))


def test_bfloat16_raises_eagers_bfloat16_error_and_half_converts():
    with pytest.raises(TypeError, match="no bfloat16"):
        nn.Linear(2, 2).bfloat16()
    assert nn.Linear(2, 2).half().weight.dtype == eager.float16


def test_share_memory_returns_self_and_shares_with_a_forked_process():
    model = nn.Linear(2, 2)
    assert model.share_memory() is model
    assert all(is_shared(p) for p in model.parameters()) and not is_shared(eager.ones(1))
    before = model.weight.detach().clone()
    pid = os.fork()
    if pid == 0:  # the child updates in place, as a Hogwild worker's optimizer does
        with eager.no_grad():
            model.weight.add_(1.0)
        os._exit(0)
    os.waitpid(pid, 0)
    assert eager.allclose(model.weight, before + 1.0)


def test_tensor_share_memory_and_is_shared_as_torch():
    def scenario(lib):
        t = lib.ones(3)
        before = t.is_shared()
        same = t.share_memory_() is t
        return before, same, t.is_shared(), t[1:].is_shared(), t.tolist()
    theirs, ours = under_both(scenario)
    assert ours == theirs == (False, True, True, True, [1.0, 1.0, 1.0])


def test_load_state_dict_result_prints_as_torch():
    def scenario(lib):
        lin = lib.nn.Linear(2, 2)
        matched = lin.load_state_dict(lin.state_dict())
        partial = lin.load_state_dict({"weight": lin.weight.detach(), "extra": lib.ones(1)},
                                      strict=False)
        return repr(matched), str(partial), partial.missing_keys, tuple(partial)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_parameter_containers_print_torch_dtypes():
    def scenario(lib):
        one = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(1))])
        two = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(1)),
                                    lib.nn.Parameter(lib.ones(2, 3).double())])
        named = lib.nn.ParameterDict({"a": lib.nn.Parameter(lib.ones(1)),
                                      "b": lib.nn.Parameter(lib.ones(2).double())})
        return repr(one), repr(two), repr(named)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_buffer_registers_on_assignment_with_its_persistence():
    def scenario(lib):
        class M(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.hidden = lib.nn.Buffer(lib.ones(2), persistent=False)
                self.count = lib.nn.Buffer(lib.zeros(1))
        m = M()
        b = lib.nn.parameter.Buffer(lib.ones(2, requires_grad=True))
        first = (list(m.state_dict()), [n for n, _ in m.named_buffers()],
                 sorted(m._non_persistent_buffers_set if lib.__name__ == "torch"
                        else m._non_persistent_buffers))
        m.hidden = lib.nn.Buffer(lib.zeros(1))  # re-assigned persistent
        return (first, list(m.state_dict()), type(b).__name__, b.requires_grad,
                isinstance(b, lib.nn.Buffer), isinstance(lib.ones(1), lib.nn.Buffer),
                lib.nn.Buffer().shape == (0,))
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_a_module_pickled_without_backward_hook_tables_still_runs():
    layer = nn.Linear(2, 2)
    state = layer.__getstate__()
    for name in ("_backward_hooks", "_backward_pre_hooks", "_is_full_backward_hook"):
        state.pop(name)
    restored = nn.Linear.__new__(nn.Linear)
    restored.__setstate__(state)
    assert restored(eager.ones(1, 2)).shape == (1, 2)
    assert restored._is_full_backward_hook is None and not restored._backward_hooks
