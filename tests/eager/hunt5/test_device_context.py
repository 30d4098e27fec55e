"""``with torch.device(...)`` as a context manager (LLM code builds models under it), against
PyTorch: the CPU context is a no-op that yields the device; CUDA fails as torch's factories do."""

import pytest
import torch

import eager


@pytest.mark.parametrize("spec", ["cpu", "cpu:0"])
def test_cpu_device_context_yields_the_device_and_builds_on_cpu(spec):
    results = []
    for lib in (torch, eager):
        with lib.device(spec) as entered:
            layer = lib.nn.Linear(2, 3)
            results.append((repr(entered), str(layer.weight.device), str(lib.ones(1).device),
                            str(lib.get_default_device())))
        results.append(str(lib.get_default_device()))
    assert results[:2] == results[2:]


def test_cuda_device_context_raises_torchs_error_when_a_tensor_is_made():
    messages = []
    for lib in (torch, eager):
        with pytest.raises(AssertionError) as info, lib.device("cuda"):
            lib.zeros(2)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_device_context_leaves_the_exception_of_its_body_alone():
    for lib in (torch, eager):
        with pytest.raises(KeyError), lib.device("cpu"):
            raise KeyError("body")
