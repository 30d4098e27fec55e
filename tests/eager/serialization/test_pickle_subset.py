"""The pickle subset on its own: the writer's output is the pickle Python reads, the reader
reads what Python writes for plain data (protocols 2, 4, 5), and damaged archives only ever
raise CheckpointError."""

from __future__ import annotations

import io
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import eager
from eager.serialization import CheckpointError
from eager.serialization.pickle_reader import UnsafePickleError, read_pickle
from eager.serialization.pickle_writer import PickleWriter

PLAIN = {"a": [1, -1, 255, 256, 65536, -(2**31), 2**31, 2**70, -(2**70)],
         "f": [0.1, -2.5e300, float("inf")], "s": ["", "é", "x" * 300], "n": None,
         "b": (True, False), "t": (), "nested": [{"k": (1, [2, {"z": None}])}], 7: "int key"}


def test_writer_output_is_the_pickle_python_reads():
    w = PickleWriter()
    w.value(PLAIN, None)
    data = w.finish()
    assert pickle.loads(data) == PLAIN  # our own bytes, just written: safe to unpickle
    assert read_pickle(data, {}, None) == PLAIN


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_reader_reads_pythons_pickles_of_plain_data(protocol):
    data = pickle.dumps(PLAIN, protocol=protocol)
    assert read_pickle(data, {}, None) == PLAIN
    shared = [1, 2]
    back = read_pickle(pickle.dumps({"x": shared, "y": shared}, protocol=protocol), {}, None)
    assert back["x"] is back["y"]  # memo references are kept


def test_ordered_dict_with_metadata_as_torch_writes_it():
    od = OrderedDict(w=1)
    od._metadata = OrderedDict({"": {"version": 2}})
    back = read_pickle(pickle.dumps(od, protocol=2),
                       {"collections OrderedDict": lambda: OrderedDict()}, None)
    assert back == od and back._metadata == od._metadata


@pytest.mark.parametrize("data, message", [
    (b"\x80\x02K\x01K\x02.", "unbalanced stack"),
    (b"\x80\x02X\xff\x00\x00\x00ab.", "ends inside an opcode's argument"),
    (b"\x80\x02)R.", "stack underflow"),
    (b"\x80\x02K\x01)R.", "REDUCE calls a int"),
    (b"\x80\x02h\x05.", "memo entry 5 read before it was written"),
    (b"\x80\x02cos\nsystem\n.", "names the global 'os.system'"),
])
def test_reader_errors_name_the_problem(data, message):
    with pytest.raises(UnsafePickleError, match=message):
        read_pickle(data, {}, None)


def test_randomly_damaged_archives_raise_only_checkpoint_errors():
    base = eager.arange(6.0).reshape(2, 3)
    buf = io.BytesIO()
    eager.save(OrderedDict(w=base, v=base[1:], i=eager.tensor(3), meta=[1, "x", None]), buf)
    good = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    pkl = bytearray(members["archive/data.pkl"])
    rng = np.random.default_rng(0)
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(300):
        damaged = bytearray(pkl)
        for pos in rng.integers(2, len(pkl) - 1, size=rng.integers(1, 4)):
            damaged[pos] = int(rng.integers(0, 256))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in members.items():
                zf.writestr(name, bytes(damaged) if name.endswith("data.pkl") else data)
        out.seek(0)
        try:
            eager.load(out)
            outcomes["loaded"] += 1
        except CheckpointError:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 100  # most damage is caught; none escapes as another error
