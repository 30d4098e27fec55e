"""The fuzzer's own machinery: programs are well-typed, the comparison catches what it must,
a failing case prints as a script that reproduces it, and the command line runs."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import shared_ops as ops
import static
from compare.fuzz import Program, Stmt, check_function, check_program, programs, to_script
from compare.fuzz.__main__ import main
from compare.fuzz.catalog import ENTRIES
from compare.fuzz.check import disagreement
from compare.fuzz.generate import infer
from compare.fuzz.known import KNOWN

FAST = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@FAST
@given(programs(max_stmts=5))
def test_generated_programs_match_their_shape_rules(program):
    """Eager values have exactly the shapes the static shape rules gave while generating."""
    arrays = program.inputs()
    values = list(arrays)
    for s in program.stmts:
        e = ENTRIES[s.entry]
        args = [values[a] for a in s.args]
        aval = infer(e, [ops.aval_of(a) for a in args], dict(s.attrs))
        env = {f"a{i}": a for i, a in enumerate(args)} | {"ops": ops, "np": np}
        out = eval(e.render(e.ours, list(env)[:-2], dict(s.attrs)), env)
        assert aval is not None and tuple(out.shape) == aval.shape, (s, out.shape, aval)
        assert np.isfinite(out).all(), s  # the interval domains keep values finite
        values.append(out)


@pytest.mark.parametrize("a, b, bad", [
    (np.array([1.0, np.nan]), np.array([1.0, np.nan]), False),
    (np.array([1.0, np.inf]), np.array([1.0, np.inf]), False),
    (np.array([1.0, np.inf]), np.array([1.0, -np.inf]), True),
    (np.array([1.0, 2.0]), np.array([1.0, np.nan]), True),
    (np.array([1.0, 2.0]), np.array([[1.0, 2.0]]), True),
    (np.array([1e6, 1.0]), np.array([1e6, 1.0 + 1e-6]), False),  # within rtol * scale
    (np.array([1.0, 1.0]), np.array([1.0, 1.0 + 1e-6]), True),
])
def test_disagreement(a, b, bad):
    assert (disagreement(a, b, (1e-9, 1e-12)) is not None) == bad


def test_a_wrong_oracle_is_caught_and_printed_as_a_runnable_script(capsys, monkeypatch):
    pytest.importorskip("torch")
    # A planted bug: the PyTorch spelling of exp computes cos.
    monkeypatch.setitem(ENTRIES, "exp", dataclasses.replace(ENTRIES["exp"],
                                                            torch="torch.cos({0})"))
    program = Program(((2, 3),), ((0.5, 2.0),),
                      (Stmt("exp", (0,), ()), Stmt("sin", (0,), ()),
                       Stmt("sum", (1,), (("axis", 1), ("keepdims", False)))), seed=3)
    found = check_program(program)
    assert {m.executor for m in found} == {"torch"}
    script = to_script(program, found)
    assert "ops.sin" not in script  # the dead statement is left out
    exec(compile(script, "case.py", "exec"), {"__name__": "__main__"})
    assert "torch vs eager: out" in capsys.readouterr().out


def test_agreeing_script_says_agree(capsys):
    program = Program(((3,),), ((-2.0, 2.0),), (Stmt("tanh", (0,), ()),), seed=0)
    exec(compile(to_script(program, []), "case.py", "exec"), {"__name__": "__main__"})
    assert capsys.readouterr().out.strip() == "agree"


def test_a_crashing_executor_is_reported():
    def program(x0):
        if isinstance(x0, static.Node):
            raise RuntimeError("planted")
        return ops.neg(x0)

    found = check_function(program, [np.ones(2)], np.ones(2), executors=["interpret"])
    assert [(m.executor, m.what) for m in found] == [("interpret", "error")]
    assert "planted" in found[0].detail


def test_trimmed_drops_unused_inputs_and_dead_statements():
    program = Program(((2,), (3,), (2,)), ((-2.0, 2.0),) * 3,
                      (Stmt("neg", (1,), ()), Stmt("add", (0, 2), ())), seed=5)
    trimmed, arrays = program.trimmed()
    assert trimmed.shapes == ((2,), (2,)) and trimmed.stmts == (Stmt("add", (0, 1), ()),)
    full = program.inputs()
    assert np.array_equal(arrays[0], full[0]) and np.array_equal(arrays[1], full[2])


def test_command_line(capsys):
    assert main(["--examples", "5", "--seed", "1"]) == 0
    assert "5 programs: all executors agree" in capsys.readouterr().out


def test_every_known_bug_is_pinned_by_a_strict_xfail():
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).with_name("test_regressions.py")
    spec = importlib.util.spec_from_file_location("fuzz_regressions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for bug in KNOWN:
        marks = getattr(getattr(module, bug.test), "pytestmark", [])
        assert any(m.name == "xfail" and m.kwargs.get("strict") for m in marks), bug.test
