"""What every data-loading test file shares: PyTorch (the tests skip without it), its
``torch.utils.data`` as ``tud``, and ``raised`` to compare the errors both sides raise."""

import pytest

torch = pytest.importorskip("torch")
tud = torch.utils.data


def raised(fn):
    """``(type name, message)`` of what ``fn()`` raises."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    raise AssertionError("nothing raised")
