"""``eager.accelerator`` answers as ``torch.accelerator`` on a machine without one (the device
line of the current tutorials)."""

import pytest

import eager

torch = pytest.importorskip("torch")


def test_queries_answer_as_torch_without_an_accelerator():
    if torch.accelerator.is_available():
        pytest.skip("torch sees an accelerator here")
    for name in ("is_available", "current_accelerator", "device_count"):
        assert getattr(eager.accelerator, name)() == getattr(torch.accelerator, name)()
    assert eager.accelerator.current_accelerator(check_available=True) is None


@pytest.mark.parametrize("name", ["current_device_index", "synchronize"])
def test_device_calls_raise_torchs_error(name):
    if torch.accelerator.is_available():
        pytest.skip("torch sees an accelerator here")
    with pytest.raises(RuntimeError) as theirs:
        getattr(torch.accelerator, name)()
    with pytest.raises(RuntimeError, match=str(theirs.value)):
        getattr(eager.accelerator, name)()


def test_the_tutorials_device_line_gives_cpu():
    acc = eager.accelerator
    device = acc.current_accelerator().type if acc.is_available() else "cpu"
    assert eager.ones(2, device=device).device == eager.device("cpu")
