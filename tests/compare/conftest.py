"""Shared fixtures for the compare harness tests: one small full run, reused."""

import pytest


@pytest.fixture(scope="session")
def zoo_run(tmp_path_factory):
    """`dualgraph compare --steps 3 --out DIR` on the whole zoo, run once per session."""
    from compare.cli import main

    out = tmp_path_factory.mktemp("compare_report")
    status = main(["compare", "--steps", "3", "--repeats", "1", "--out", str(out)])
    return status, out
