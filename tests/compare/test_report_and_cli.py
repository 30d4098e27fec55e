"""Acceptance: `dualgraph compare --steps 3 --out DIR` writes HTML, JSON and SVG files; the JSON
validates against the schema kept in the repo; the HTML references existing files only; the
CLI handles bad arguments with status 2 and one line."""

import json
import re
from html.parser import HTMLParser

import pytest

from compare.cli import main
from compare.faults import CATALOGUE
from compare.report.json_report import load_schema, validate
from compare.zoo import model_names


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("src", "href") and value:
                self.refs.append(value)


def test_compare_writes_html_json_and_svgs(zoo_run):
    status, out = zoo_run
    assert status == 0
    assert (out / "report.html").is_file() and (out / "report.json").is_file()
    svgs = list(out.glob("*.svg"))
    assert any(p.name.endswith("_tape.svg") for p in svgs)
    assert any(p.name.endswith("_loss.svg") for p in svgs)
    assert all(p.read_text().lstrip().startswith(("<?xml", "<svg")) for p in svgs)


def test_json_validates_and_has_one_entry_per_model(zoo_run):
    _, out = zoo_run
    doc = json.loads((out / "report.json").read_text())
    assert validate(doc) == []
    assert [m["name"] for m in doc["models"]] == model_names()
    assert all(m["agreement"]["agrees"] for m in doc["models"])
    assert len(doc["faults"]) == len(CATALOGUE)


def test_html_references_existing_files_only(zoo_run):
    _, out = zoo_run
    parser = _Links()
    parser.feed((out / "report.html").read_text())
    files = [r for r in parser.refs if not r.startswith("#")]
    assert files, "the report links no plots or diagrams"
    for ref in files:
        assert not re.match(r"^[a-z]+://", ref) and not ref.startswith("/"), ref
        assert (out / ref).is_file(), f"report.html links {ref}, which is not in {out}"
    anchors = {r[1:] for r in parser.refs if r.startswith("#")}
    page = (out / "report.html").read_text()
    for a in anchors:
        assert f'id="{a}"' in page


def test_validator_catches_broken_documents():
    schema = load_schema()
    assert validate({"tool": "dualgraph compare"}, schema)  # required keys missing
    bad = {"tool": "dualgraph compare", "version": 1, "created": "now",
           "settings": {"steps": 0, "dtype": "float16", "seed": 0, "repeats": 1},
           "models": [{"name": 3}]}
    problems = "\n".join(validate(bad, schema))
    assert "minimum" in problems and "float16" in problems and "$.models[0].name" in problems
    assert validate(True, {"type": "integer"})  # bool is not an integer in JSON


@pytest.mark.parametrize("argv, text", [
    (["compare", "no_such_model"], "unknown model 'no_such_model'"),
    (["compare", "--steps", "0"], "--steps"),
    (["compare", "--steps", "x"], "--steps"),
    (["bogus"], "invalid choice"),
    (["faults", "no_such_fault"], "unknown fault"),
    (["--import", "no.such.module", "list"], "cannot import"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, argv, text):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert text in err and err.count("\n") == 1


def test_help_everywhere(capsys):
    for argv in (["--help"], ["compare", "--help"], ["faults", "--help"], ["list", "--help"]):
        with pytest.raises(SystemExit) as e:
            main(argv)
        assert e.value.code == 0
    assert "--steps" in capsys.readouterr().out


def test_list_shows_models_and_faults(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in model_names()) and "wrong_width" in out


def test_faults_command_writes_json(tmp_path):
    path = tmp_path / "faults.json"
    assert main(["faults", "wrong_width", "class_index", "--json", str(path)]) == 0
    rows = json.loads(path.read_text())
    assert [r["name"] for r in rows] == ["wrong_width", "class_index"]


def test_executor_and_disabled_passes_reach_the_static_mode(tmp_path):
    path = tmp_path / "r.json"
    assert main(["compare", "mlp_digits", "--steps", "2", "--repeats", "0", "--no-faults",
                 "--no-html", "--executor", "interpret", "--json", str(path),
                 "--out", str(tmp_path)]) == 0
    doc = json.loads(path.read_text())
    assert doc["models"][0]["timing"]["static"]["executor"] == "interpret"
    assert main(["compare", "mlp_digits", "--steps", "2", "--repeats", "0", "--no-faults",
                 "--no-html", "--disable-pass", "fuse", "--json", str(path),
                 "--out", str(tmp_path)]) == 0
    doc = json.loads(path.read_text())
    assert doc["settings"]["disabled_passes"] == ["fuse"]
    ops = {r["op"] for r in doc["models"][0]["profile"]["static"]["ops"]}
    assert "softmax_cross_entropy" not in ops  # the fused op is gone with fusion off
