"""The examples in the docstrings of the module machinery run as shown."""

from __future__ import annotations

import doctest
import importlib

import pytest

import eager
import eager.nn as nn

MODULES = ["eager.nn.utils.prune", "eager.nn.utils.topk_ties", "eager.nn.utils.fusion",
           "eager.nn.utils.init", "eager.nn.modules", "eager.nn.modules.utils",
           "eager.nn.parallel", "eager.nn.parallel.sync_batchnorm", "eager.nn.module_state",
           "eager.nn.parameter", "eager.shared_memory", "eager.distributed",
           "eager.multiprocessing"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    globs = {**vars(module), "eager": eager, "nn": nn}
    result = doctest.testmod(module, globs=globs, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
