"""Crafted graph files: text that would run code if it were spliced into generated source, in
every text field of ``graph.json`` (fields of the wrong kind or size: test_graph_file_fields).

A forger can re-sign the manifest, so every field is checked on loading. Text holding a control
or line-break character (newline, ``\\r``, U+2028, U+0085...) is refused wherever it stands;
other text (quotes, backslashes) is refused where the format allows none (names, ops, dtypes,
keys) and otherwise loads as plain text and runs harmlessly through the interpreter and the
compiler. In no case does the payload's marker file appear.
"""

from __future__ import annotations

import pytest
from graph_files import forged, run_both, save_template

import static
from static import SerializationError
from static.errors import NodeRuntimeError


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return save_template(tmp_path_factory)


def _true_body(d):
    return d["nodes"][6]["attrs"]["branches"]["tuple"][0]["body"]


def _set(getter, key):
    def edit(d, text):
        getter(d)[key] = text
    return edit


def _meta(i, key, wrap=lambda t: t):
    return lambda d, t: d["nodes"][i]["meta"].__setitem__(key, wrap(t))


def _tuple(*items):
    return {"tuple": list(items)}


# field -> (edit(doc, text), whether text without control characters loads and runs cleanly)
FIELDS = {
    "node name": (_set(lambda d: d["nodes"][2], "name"), False),
    "body node name": (_set(lambda d: _true_body(d)["nodes"][1], "name"), False),
    "op": (_set(lambda d: d["nodes"][2], "op"), False),
    "dtype": (_set(lambda d: d["nodes"][2], "dtype"), False),
    "location file": (_set(lambda d: d["nodes"][2]["location"], 0), True),
    "location function": (_set(lambda d: d["nodes"][2]["location"], 2), True),
    "body location file": (_set(lambda d: _true_body(d)["nodes"][1]["location"], 0), True),
    "meta origin name": (_meta(2, "origin", lambda t: _tuple(_tuple(t, "m.py:1"))), False),
    "meta origin location": (_meta(2, "origin", lambda t: _tuple(_tuple("matmul", t))), True),
    "meta role": (_meta(2, "role"), True),
    "meta grad_of": (_meta(22, "grad_of"), False),
    "meta composite": (_meta(2, "composite", _tuple), True),
    "meta other": (_meta(2, "note"), True),
    "meta key": (lambda d, t: d["nodes"][2]["meta"].__setitem__(t, "x"), False),
    "attr key": (lambda d, t: d["nodes"][9]["attrs"].__setitem__(t, 1), False),
    "attr string": (lambda d, t: d["nodes"][-1].update(attrs={"axis": 0, "keepdims": t},
                                                        shape=[1, 2]),
                    None),  # None: may load (a truthy keepdims); the kernel may refuse it
    "attr in tuple": (lambda d, t: d["nodes"][12]["attrs"].__setitem__("axis", _tuple(t)),
                      False),
    "attr of a variable": (lambda d, t: d["nodes"][1]["attrs"].__setitem__("trainable", t),
                           False),
    "dtype tag": (lambda d, t: d["nodes"][6]["attrs"]["out_avals"]["tuple"][0]["aval"]
                  .__setitem__(1, t), False),
    "body label": (_set(_true_body, "label"), False),
}


def _statement(marker) -> str:
    return f"open(r'{marker}', 'w').close()"


# payload -> text(marker); the first ones hold a control or line-break character
BREAKING = {
    "newline": lambda m: f"a.py\n{_statement(m)}\n#",
    "carriage return": lambda m: f"a.py\r{_statement(m)}\r#",
    "U+2028": lambda m: f"a.py\u2028{_statement(m)}\u2028#",
    "U+2029": lambda m: f"a.py\u2029{_statement(m)}\u2029#",
    "U+0085": lambda m: f"a.py\x85{_statement(m)}\x85#",
    "form feed": lambda m: f"a.py\x0c{_statement(m)}\x0c#",
    "vertical tab": lambda m: f"a.py\x0b{_statement(m)}\x0b#",
    "file separator": lambda m: f"a.py\x1c{_statement(m)}\x1e#",
    "NUL": lambda m: f"a.py\x00{_statement(m)}",
    "backslash newline": lambda m: f"a.py\\\n{_statement(m)}",
}
PLAIN = {
    "single quotes": lambda m: f"a.py'); {_statement(m)}; ('",
    "double quotes": lambda m: f'a.py"); open(r"{m}", "w").close(); ("',
    "triple quotes": lambda m: f"'''; {_statement(m)}; '''",
    "backslash quote": lambda m: f"a.py\\'); {_statement(m)}; #",
}


@pytest.mark.parametrize("payload", list(BREAKING) + list(PLAIN))
@pytest.mark.parametrize("field", list(FIELDS))
def test_text_payloads_never_run(saved, tmp_path, field, payload):
    marker = tmp_path / "pwned"
    edit, runs_cleanly = FIELDS[field]
    text = (BREAKING | PLAIN)[payload](marker)
    path = forged(saved, tmp_path, lambda d: edit(d, text))
    if payload in BREAKING or runs_cleanly is False:
        with pytest.raises(SerializationError, match=r"graph.json: .*node \d+ \(.*\).*: "):
            static.load(path)
    else:
        try:
            g = static.load(path)
        except SerializationError:
            g = None
        if runs_cleanly:
            assert g is not None, f"{field} holding {payload} should load as plain text"
            run_both(g)
        elif g is not None:
            try:
                run_both(g)
            except NodeRuntimeError as e:  # the kernel refusing the value is harmless
                assert not marker.exists(), e
    assert not marker.exists()


def test_plain_text_loads_back_exactly(saved, tmp_path):
    text = "dir with spaces/it's \"q\"\\x <lambda> é.py"
    path = forged(saved, tmp_path, lambda d: (
        d["nodes"][2]["location"].__setitem__(0, text),
        d["nodes"][2]["meta"].update(origin=_tuple(_tuple("matmul", text)), note=text)))
    g = static.load(path)
    assert g["matmul"].location.filename == text
    assert g["matmul"].meta["origin"] == frozenset({("matmul", text)})
    assert g["matmul"].meta["note"] == text
    run_both(g)
