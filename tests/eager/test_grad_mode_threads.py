"""Grad mode is per thread and every context restores what it found, as in PyTorch.

Threads training side by side (some evaluating under ``no_grad`` while the others record),
contexts exited out of order, exceptions, generators, ``set_grad_enabled`` in its three uses,
decorators with and without parentheses, and ``inference_mode``.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

import eager
from eager import nn

N_THREADS = 8
STEPS = 6
TIMEOUT = 10.0


@pytest.fixture(autouse=True)
def _grad_mode_left_on():
    yield
    enabled = eager.is_grad_enabled()
    eager.set_grad_enabled(True)  # a failure here must not spill into other tests
    assert enabled, "the test left gradients off"


def _in_thread(fn):
    """``fn()``'s result in a new thread (its exception re-raised here)."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 (handed to the test thread)
            box["error"] = e

    t = threading.Thread(target=run)
    t.start()
    t.join(TIMEOUT)
    if "error" in box:
        raise box["error"]
    return box["value"]


# -- many threads training at once --------------------------------------------------------


def _model(i: int):
    eager.manual_seed(i)
    model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    rng = np.random.default_rng(i)
    x = eager.tensor(rng.standard_normal((16, 3)).astype(np.float32))
    y = eager.tensor(rng.standard_normal((16, 1)).astype(np.float32))
    return model, eager.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), x, y


@eager.no_grad()
def _evaluate(model, x, sync):
    """Shared by the threads: one decorator instance entered by several threads at once."""
    sync()
    out = model(x)
    sync()
    return out


def _worker(i: int, parts, sync) -> list:
    """Thread ``i``'s run: on alternate steps it trains, or evaluates under ``no_grad`` while
    the threads of the other parity train (``sync`` lines the phases up)."""
    model, opt, x, y = parts
    evals = []
    for step in range(STEPS):
        if (i + step) % 2:  # evaluate, the no_grad block spanning the others' training step
            if i % 4 == 1:
                out = _evaluate(model, x, sync)
            else:
                with eager.no_grad():
                    sync()
                    out = model(x)
                    sync()
            assert not out.requires_grad and eager.is_grad_enabled()
            evals.append(out.numpy().copy())
        else:
            sync()
            loss = nn.functional.mse_loss(model(x), y)
            assert loss.requires_grad, f"thread {i}: recording off in a training step"
            opt.zero_grad()
            loss.backward()
            opt.step()
            sync()
    return [p.detach().numpy().copy() for p in model.parameters()] + evals


def test_eight_threads_training_match_a_sequential_run_bit_for_bit():
    sequential = [_worker(i, _model(i), lambda: None) for i in range(N_THREADS)]

    parts = [_model(i) for i in range(N_THREADS)]  # seeded in this thread, in order
    barrier = threading.Barrier(N_THREADS, timeout=TIMEOUT)
    results: list = [None] * N_THREADS
    errors: list = []

    def run(i):
        try:
            results[i] = _worker(i, parts[i], barrier.wait)
        except BaseException as e:  # noqa: BLE001 (reported below)
            errors.append(e)
            barrier.abort()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # hand the GIL over often: ops of different threads interleave
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(N_THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
    finally:
        sys.setswitchinterval(interval)
    if errors:
        raise errors[0]
    for i in range(N_THREADS):
        for got, want in zip(results[i], sequential[i], strict=True):
            np.testing.assert_array_equal(got, want, err_msg=f"thread {i}")


# -- one thread's mode does not reach another ---------------------------------------------


def test_no_grad_in_one_thread_leaves_another_recording():
    x = eager.ones(2, requires_grad=True)
    entered, release = threading.Event(), threading.Event()

    def hold_no_grad():
        with eager.no_grad():
            entered.set()
            release.wait(TIMEOUT)
            return eager.is_grad_enabled(), (x * 2).requires_grad

    box: dict = {}
    t = threading.Thread(target=lambda: box.update(held=hold_no_grad()))
    t.start()
    try:
        assert entered.wait(TIMEOUT)
        assert eager.is_grad_enabled()
        assert (x * 2).requires_grad
    finally:
        release.set()
        t.join(TIMEOUT)
    assert box["held"] == (False, False)


def test_a_new_thread_starts_with_grad_on_whatever_its_parent_mode():
    x = eager.ones(2, requires_grad=True)
    probe = lambda: (eager.is_grad_enabled(), eager.is_inference_mode_enabled(),  # noqa: E731
                     (x * 2).requires_grad)
    with eager.no_grad():
        assert _in_thread(probe) == (True, False, True)
    with eager.inference_mode():
        assert _in_thread(probe) == (True, False, True)
    eager.set_grad_enabled(False)
    try:
        assert _in_thread(probe) == (True, False, True)
    finally:
        eager.set_grad_enabled(True)


def test_one_no_grad_instance_entered_by_two_threads_at_once():
    shared = eager.no_grad()
    barrier = threading.Barrier(2, timeout=TIMEOUT)

    def exits_first():
        with shared:
            barrier.wait()  # both inside
        after = eager.is_grad_enabled()  # while the other thread is still inside
        barrier.wait()
        return after

    def exits_second():
        with shared:
            barrier.wait()
            barrier.wait()  # the other thread has exited
            inside = eager.is_grad_enabled()
        return inside, eager.is_grad_enabled()

    box: dict = {}
    t = threading.Thread(target=lambda: box.update(second=exits_second()))
    t.start()
    assert exits_first() is True
    t.join(TIMEOUT)
    assert box["second"] == (False, True)


# -- every context restores what it found -------------------------------------------------


def test_contexts_exited_out_of_order_restore_the_state_before_both():
    for inner in (eager.no_grad, eager.enable_grad):
        for outer_mode in (True, False):
            with eager.set_grad_enabled(outer_mode):
                a, b = eager.no_grad(), inner()
                a.__enter__()
                b.__enter__()
                a.__exit__(None, None, None)
                assert eager.is_grad_enabled() is (inner is eager.enable_grad), \
                    "B is still open: its mode holds"
                b.__exit__(None, None, None)
                assert eager.is_grad_enabled() is outer_mode
    assert eager.is_grad_enabled()


def test_a_suspended_generator_context_does_not_leak_its_mode():
    def batches():  # a generator whose no_grad block is open while it is suspended
        with eager.no_grad():
            yield 1
            yield 2

    it = batches()
    next(it)
    with eager.enable_grad():  # the caller's block opens and closes around the generator's
        next(it)
        assert eager.is_grad_enabled()
        with pytest.raises(StopIteration):
            next(it)  # the generator's block exits first, out of order
        assert eager.is_grad_enabled()
    assert eager.is_grad_enabled()


def test_the_same_instance_nested_restores_each_level():
    ng, eg = eager.no_grad(), eager.enable_grad()
    with ng:
        with eg:
            with ng:
                assert not eager.is_grad_enabled()
            assert eager.is_grad_enabled()
        assert not eager.is_grad_enabled()
    assert eager.is_grad_enabled()


def test_an_exception_inside_restores_the_mode():
    x = eager.ones(2, requires_grad=True)
    with pytest.raises(ValueError), eager.no_grad():
        raise ValueError
    with eager.no_grad():
        with pytest.raises(ValueError), eager.enable_grad():
            raise ValueError
        assert not eager.is_grad_enabled()

    @eager.no_grad
    def fails():
        raise ValueError

    with pytest.raises(ValueError):
        fails()
    assert eager.is_grad_enabled() and (x * 2).requires_grad


def test_exiting_a_context_never_entered_in_this_thread_says_so():
    with pytest.raises(RuntimeError, match="no_grad.__exit__ without a matching __enter__"):
        eager.no_grad().__exit__(None, None, None)


# -- decorators, generators, set_grad_enabled ---------------------------------------------


def test_decorators_with_and_without_parentheses():
    x = eager.ones(2, requires_grad=True)

    @eager.no_grad
    def bare(t):
        return t * 2

    @eager.no_grad()
    def called(t):
        return t * 2

    @eager.enable_grad
    def reenabled(t):
        return t * 2

    assert bare.__name__ == "bare"
    assert not bare(x).requires_grad and not called(x).requires_grad
    with eager.no_grad():
        assert reenabled(x).requires_grad and not eager.is_grad_enabled()
    with pytest.raises(TypeError, match="must be bool"):
        eager.set_grad_enabled(lambda: None)  # set_grad_enabled needs its mode, as in torch


def test_generator_decorated_with_no_grad_runs_each_step_in_the_mode():
    x = eager.ones(2, requires_grad=True)
    seen = []

    @eager.no_grad
    def gen(t):
        try:
            got = yield t * 2
            seen.append(got)
            yield t * 3
        except KeyError:
            seen.append(eager.is_grad_enabled())
            yield t * 4
        finally:
            seen.append(eager.is_grad_enabled())
        return "done"

    g = gen(x)
    assert not next(g).requires_grad
    assert eager.is_grad_enabled() and (x * 2).requires_grad  # the caller's mode between steps
    assert not g.send("sent").requires_grad and seen == ["sent"]
    with pytest.raises(StopIteration) as stop:
        next(g)
    assert stop.value.value == "done" and seen == ["sent", False]

    g = gen(x)
    next(g)
    assert not g.throw(KeyError()).requires_grad  # thrown in: handled under no_grad
    g.close()  # close runs the finally block under no_grad too
    assert seen[2:] == [False, False] and eager.is_grad_enabled()


def test_set_grad_enabled_as_a_call_a_context_and_a_decorator():
    x = eager.ones(2, requires_grad=True)
    eager.set_grad_enabled(False)  # a plain call takes effect at once and lasts
    try:
        assert not eager.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        eager.set_grad_enabled(True)
    with eager.no_grad():
        with eager.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not eager.is_grad_enabled()  # the block restores the state before the call
    switch = eager.set_grad_enabled(False)
    with switch:
        assert not eager.is_grad_enabled()
    assert eager.is_grad_enabled()
    with switch:  # entered again: restores what it found this time
        assert not eager.is_grad_enabled()
    assert eager.is_grad_enabled()

    @eager.set_grad_enabled(False)
    def f(t):
        return t * 2

    assert eager.is_grad_enabled() and not f(x).requires_grad
    with pytest.raises(TypeError, match="set_grad_enabled.*must be bool, not int"):
        eager.set_grad_enabled(0)
    assert repr(eager.set_grad_enabled(True)) == \
        "eager.autograd.grad_mode.set_grad_enabled(mode=True)"


# -- inference_mode -----------------------------------------------------------------------


def test_inference_mode_as_a_context_and_a_decorator():
    x = eager.ones(2, requires_grad=True)
    assert not eager.is_inference_mode_enabled()
    with eager.inference_mode():
        y = x * 2
        assert eager.is_inference_mode_enabled() and not eager.is_grad_enabled()
        with eager.inference_mode(False):  # both off inside, as in torch
            assert not eager.is_inference_mode_enabled() and eager.is_grad_enabled()
            assert (x * 2).requires_grad
        with eager.enable_grad():  # recording back on, still in inference mode
            assert eager.is_inference_mode_enabled() and eager.is_grad_enabled()
        assert eager.is_inference_mode_enabled() and not eager.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert eager.is_grad_enabled() and not eager.is_inference_mode_enabled()
    with eager.no_grad():
        with eager.inference_mode(False):
            assert eager.is_grad_enabled()
        assert not eager.is_grad_enabled()

    @eager.inference_mode
    def bare(t):
        return t * 2, eager.is_inference_mode_enabled()

    @eager.inference_mode(mode=False)
    def off(t):
        return t * 2, eager.is_inference_mode_enabled()

    (a, on_a), (b, on_b) = bare(x), off(x)
    assert not a.requires_grad and on_a and b.requires_grad and not on_b
    assert eager.autograd.inference_mode is eager.inference_mode
