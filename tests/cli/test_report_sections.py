"""The report's run sections (in-process: pure functions of a document): settings and
environment tables, the baseline table, human units."""

from __future__ import annotations

from compare.report.baseline import compare_reports, text_lines
from compare.report.environment import environment
from compare.report.html_sections import baseline_section, settings_section
from compare.report.units import duration, size


def model(name, agrees=True, step_ms=1.0, peak=2048):
    return {"name": name, "agreement": {"agrees": agrees},
            "timing": {"eager": {"steady": {"median_ms": step_ms}},
                       "static": {"steady": {"median_ms": step_ms}, "trace_ms": 1.0,
                                  "compile_ms": 1.0}},
            "memory": {"eager": {"peak_bytes": peak}, "static": {"peak_bytes": peak}}}


def doc(*models, cpu="A"):
    return {"tool": "dualgraph compare", "created": "then", "models": list(models),
            "environment": {"cpu": cpu}}


def test_units_pick_the_readable_scale():
    assert [duration(x) for x in (0.0004, 0.0123, 4.561, 999.4, 1234.0, None)] == \
        ["0.4 µs", "12.3 µs", "4.56 ms", "999 ms", "1.23 s", "-"]
    assert [size(x) for x in (0, 1023, 1024, 3481, 5 * 2**20, 3 * 2**30)] == \
        ["0 B", "1023 B", "1.0 KiB", "3.4 KiB", "5.0 MiB", "3.0 GiB"]


def test_verdicts_use_the_noise_band():
    old = doc(model("a", step_ms=1.0), model("b", step_ms=1.0), model("c", agrees=False),
              model("gone"))
    new = doc(model("a", step_ms=1.05), model("b", step_ms=2.0), model("c"), model("fresh"),
              cpu="B")
    diff = compare_reports(new, old)
    verdict = {(r["model"], r["figure"]): r["verdict"] for r in diff["rows"]}
    assert verdict[("a", "eager step")] == "same" and verdict[("b", "eager step")] == "slower"
    assert diff["agreement_changes"] == [{"model": "c", "old": "disagrees or failed",
                                          "new": "agrees"}]
    assert (diff["only_new"], diff["only_old"]) == (["fresh"], ["gone"])
    lines = text_lines(diff)
    assert "  environment changed: cpu: A -> B" in lines
    assert "  slower: b eager step 1 ms -> 2 ms (x2.0)" in lines
    html = baseline_section(diff)
    assert html.index("slower") < html.index("same")  # what got worse comes first
    assert "environment changed: cpu: A &rarr; B" in html


def test_settings_and_environment_tables():
    env = environment()
    assert env["python"].count(".") == 2 and env["cpu_count"] >= 1
    assert env["threads"]["eager"] >= 1
    html = settings_section({"settings": {"steps": 3, "disabled_passes": []},
                             "environment": env})
    assert "<td>steps</td><td>3</td>" in html and "<td>disabled_passes</td><td>(none)</td>" \
        in html
    assert f"<td>numpy</td><td>{env['numpy']}</td>" in html
