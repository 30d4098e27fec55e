"""The examples in eager.sparse's docstrings run as shown, and each module has some."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("name", ["eager.sparse", "eager.sparse.coo", "eager.sparse.construct",
                                  "eager.sparse.products", "eager.nn.sparse_embedding",
                                  "eager.optim.sparse_adam", "eager.sparse.invariants",
                                  "eager.sparse.legacy"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
