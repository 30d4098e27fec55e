"""`dualgraph render` and `dualgraph bench`."""

import json

from compare.bench import describe, find_scripts, run_bench
from compare.cli import main


def test_render_writes_static_tape_optimized_and_pass_diagrams(tmp_path, capsys):
    assert main(["render", "simplenet", "--optimized", "--passes", "--out", str(tmp_path)]) == 0
    for kind in ("train", "forward", "tape", "optimized"):
        assert (tmp_path / f"simplenet_{kind}.svg").is_file(), kind
    passes = tmp_path / "simplenet_passes"
    assert (passes / "summary.md").is_file() and len(list(passes.glob("*.svg"))) >= 2
    out = capsys.readouterr().out
    assert "tape vs static graph" in out and "tape vs optimized graph" in out


def test_render_unknown_model_is_a_usage_error(capsys):
    assert main(["render", "nope"]) == 2
    assert "unknown model" in capsys.readouterr().err


def test_bench_runs_scripts_and_records_failures(tmp_path):
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    (bench / "bench_ok.py").write_text("import sys\nprint('quick' if '--quick' in sys.argv "
                                       "else 'full')\n")
    (bench / "bench_broken.py").write_text("raise SystemExit(3)\n")
    (bench / "helper.py").write_text("raise SystemExit('a helper must never run')\n")
    assert [p.name for p in find_scripts(tmp_path)] == ["bench_broken.py", "bench_ok.py"]
    results = run_bench(tmp_path, tmp_path / "out", timeout=60)
    by_name = {r["script"]: r for r in results}
    assert by_name["bench_ok.py"]["status"] == 0
    assert by_name["bench_ok.py"]["output"].strip() == "quick"  # the source mentions --quick
    assert by_name["bench_broken.py"]["status"] == 3
    saved = json.loads((tmp_path / "out" / "bench.json").read_text())
    assert len(saved) == 2 and (tmp_path / "out" / "bench.txt").is_file()


def test_bench_cli_without_scripts_fails_saying_nothing_ran(tmp_path, capsys):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "static_peers.py").write_text("print('not a benchmark')\n")
    assert main(["bench", "--root", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "nothing to run" in capsys.readouterr().out
    assert not (tmp_path / "o").exists()


def test_workloads_are_explained_from_the_docstring_without_running(tmp_path, capsys):
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    (bench / "bench_w.py").write_text(
        '"""Times two things.\n\n* W1  a small net,\n  batch 32;\n* ``cnn``: a CNN\n'
        '* plain bullet\n"""\nraise SystemExit("must not run")\n')
    assert describe(bench / "bench_w.py") == {
        "summary": "Times two things.",
        "workloads": {"W1": "a small net, batch 32", "cnn": "a CNN", "-3": "plain bullet"}}
    assert main(["bench", "--list", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "W1: a small net, batch 32" in out and "- plain bullet" in out


def test_bench_cli_exit_status_follows_scripts(tmp_path, capsys):
    bench = tmp_path / "benchmarks"
    bench.mkdir()
    (bench / "bench_fail.py").write_text("raise SystemExit(1)\n")
    assert main(["bench", "--root", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert main(["bench", "nope", "--root", str(tmp_path)]) == 2
