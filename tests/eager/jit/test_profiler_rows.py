"""eager.profiler: the rows a profile records (every primitive op forward and backward, with
call counts, record_function ranges whose CPU total covers the ops inside), PyTorch's table
layout and schedule, on_trace_ready per window, the Chrome trace file, and the kernels put
back exactly as they were when recording stops (so nothing is hooked while it is off)."""

import json
import threading

import numpy as np
import pytest

import eager
import shared_ops
from eager.profiler import (
    ProfilerAction,
    ProfilerActivity,
    profile,
    record_function,
    schedule,
    tensorboard_trace_handler,
)
from shared_ops.op_table import OPS

torch = pytest.importorskip("torch")


def run_model():
    eager.manual_seed(0)
    layer = eager.nn.Linear(8, 4)
    x = eager.randn(5, 8)
    with record_function("forward"):
        y = eager.tanh(layer(x)) @ eager.ones(4, 4) @ eager.ones(4, 4)
    y.sum().backward()


def test_rows_count_every_op_and_ranges_cover_their_ops():
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        run_model()
    rows = {row.key: row for row in prof.key_averages()}
    assert rows["matmul"].count >= 2 and rows["tanh"].count == 1
    assert rows["forward"].count == 1 and "tanh_grad" in rows  # backward's ops too
    events = prof.events()
    (forward,) = [e for e in events if e.name == "forward"]
    inside = [e for e in events if e is not forward and forward.start_ns <= e.start_ns
              and e.end_ns <= forward.end_ns]
    assert {"matmul", "tanh"} <= {e.name for e in inside}
    assert forward.self_us == pytest.approx(forward.total_us - sum(e.total_us for e in inside))
    # Every nanosecond is one event's own time: the self times add up to the top level's.
    top = [e for e in events if e not in inside]
    assert sum(e.self_us for e in events) == pytest.approx(sum(e.total_us for e in top))
    assert rows["forward"].cpu_time_total == pytest.approx(forward.total_us)


def test_table_is_laid_out_as_torchs():
    with profile(record_shapes=True) as prof:
        run_model()
    with torch.profiler.profile() as theirs:
        torch.ones(2, 2).sum()
    ours_lines = prof.key_averages().table(sort_by="cpu_time_total", row_limit=3).splitlines()
    torch_lines = theirs.key_averages().table(sort_by="cpu_time_total").splitlines()
    assert ours_lines[1].split() == torch_lines[1].split()  # the header row
    assert [len(c) for c in ours_lines[0].split()][1:] == [len(c) for c in
                                                           torch_lines[0].split()][1:]
    assert len(ours_lines) == 3 + 3 + 2 and ours_lines[-1].startswith("Self CPU time total: ")
    rows = [line.split() for line in ours_lines[3:6]]
    assert [float(r[4][:-2]) if r[4].endswith("us") else float(r[4][:-2]) * 1e3
            for r in rows] == sorted([float(r[4][:-2]) if r[4].endswith("us")
                                      else float(r[4][:-2]) * 1e3 for r in rows], reverse=True)
    shaped = prof.key_averages(group_by_input_shape=True).table(row_limit=0)
    assert "Input Shapes" in shaped and "[[5, 8], [4, 8], [4]]" in shaped


def test_kernels_are_put_back_even_after_an_error():
    before = {name: op.kernel for name, op in OPS.items() if getattr(op, "primitive", False)}
    with pytest.raises(ZeroDivisionError), profile():
        eager.ones(2).exp()
        assert shared_ops.exp.kernel is not before["exp"]  # swapped while recording
        raise ZeroDivisionError
    after = {name: op.kernel for name, op in OPS.items() if name in before}
    assert all(after[name] is kernel for name, kernel in before.items())
    with profile(), pytest.raises(RuntimeError, match="already enabled"), profile():
        pass


@pytest.mark.parametrize("params", [
    {"wait": 1, "warmup": 1, "active": 2}, {"wait": 2, "warmup": 0, "active": 1, "repeat": 2},
    {"wait": 0, "warmup": 1, "active": 3, "repeat": 1, "skip_first": 2},
])
@pytest.mark.filterwarnings("ignore:Profiler won't be using warmup")
def test_schedule_is_torchs(params):
    ours, theirs = schedule(**params), torch.profiler.schedule(**params)
    assert [ours(s).name for s in range(16)] == [theirs(s).name for s in range(16)]


def test_schedule_warnings_and_errors_are_torchs():
    for lib in (eager.profiler, torch.profiler):
        with pytest.warns(UserWarning, match="won't be using warmup"):
            lib.schedule(wait=1, warmup=0, active=1)
        with pytest.raises(AssertionError, match=r"active=0 \(need > 0\)"):
            lib.schedule(wait=1, warmup=1, active=0)


def test_windows_of_a_schedule_reach_on_trace_ready(tmp_path):
    windows = []
    with profile(schedule=schedule(wait=1, warmup=1, active=2, repeat=2),
                 on_trace_ready=lambda p: windows.append(
                     sorted(r.key for r in p.key_averages()))) as prof:
        for step in range(10):
            with record_function(f"step{step}"):
                eager.ones(3).exp()
            prof.step()
    assert windows == [["exp", "step2", "step3"], ["exp", "step6", "step7"]]
    assert prof.current_action is ProfilerAction.NONE


def test_chrome_trace_and_tensorboard_handler_write_json(tmp_path):
    with profile(on_trace_ready=tensorboard_trace_handler(str(tmp_path / "tb"), "worker")) as p:
        run_model()
    p.export_chrome_trace(str(tmp_path / "trace.json"))
    events = json.loads((tmp_path / "trace.json").read_text())["traceEvents"]
    assert {"forward", "matmul"} <= {e["name"] for e in events}
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in events)
    (written,) = (tmp_path / "tb").iterdir()
    assert written.name.startswith("worker.") and written.name.endswith(".pt.trace.json")


def test_only_the_profiling_thread_is_recorded():
    def other():
        with record_function("elsewhere"):
            eager.ones(2).exp()

    with profile() as prof:
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
        eager.ones(2).neg()
    assert [r.key for r in prof.key_averages()] == ["neg"]


def test_record_function_decorates_and_is_free_without_a_profile():
    @record_function("scaled")
    def scaled(x):
        return x * 2

    assert scaled(eager.ones(1)).tolist() == [2.0]  # nothing records: just the call
    with profile() as prof:
        scaled(eager.ones(1))
    assert [r.key for r in prof.key_averages()] == ["scaled", "mul"]
    np.testing.assert_equal(shared_ops.mul.kernel(np.ones(1), np.ones(1)), np.ones(1))
