"""The default dtype is process-wide state: every test here starts and ends at float32, in
both torch and eager, so that no other test sees what one of these set."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def float32_default_around():
    """Reset both libraries' default dtype to float32 before and after each test."""
    eager.set_default_dtype(eager.float32)
    torch.set_default_dtype(torch.float32)
    yield
    eager.set_default_dtype(eager.float32)
    torch.set_default_dtype(torch.float32)
