"""The examples in eager.jit's docstrings (and in the static backend it reaches through the
compiler seam), in eager.hub's, the autocast state's and eager.profiler's run as shown."""

import doctest
import importlib

import pytest

MODULES = ["eager.jit", "eager.jit.markers", "eager.jit.script_module", "eager.jit.tracing",
           "eager.jit.serialization", "eager.jit.backend", "static.jit_backend", "eager.hub",
           "eager.amp.autocast_state", "eager.profiler", "eager.profiler.events",
           "eager.profiler.profile", "eager.profiler.recorder"]
WITH_EXAMPLES = {"eager.jit.markers", "eager.jit.script_module", "eager.jit.tracing",
                 "static.jit_backend", "eager.hub", "eager.amp.autocast_state",
                 "eager.profiler.events", "eager.profiler.profile"}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name not in WITH_EXAMPLES
