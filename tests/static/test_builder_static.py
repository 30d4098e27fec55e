"""TF1-style building: placeholders, variables, constants, the static mode, assign/group."""


import numpy as np
import pytest
from caller_line import here

import shared_ops as ops
import static
from shared_ops import dispatch


def test_placeholder_variable_constant():
    with static.Graph():
        x = static.placeholder([None, 784], dtype="float64", name="x")
        init = np.arange(6, dtype=np.float32).reshape(2, 3)
        w = static.variable(init, name="w")
        c = static.constant([1, 2, 3], name="c")
        s = static.constant(2.5)
    assert x.op == "placeholder" and x.shape == (None, 784) and x.dtype == np.float64
    assert w.op == "variable" and w.shape == (2, 3) and w.attrs == {"trainable": True}
    assert w.value is not init and np.array_equal(w.value, init)  # owned copy
    assert c.dtype == np.int64 and s.dtype == np.float32 and s.shape == ()
    with pytest.raises(ValueError):
        c.value[0] = 7  # constants are read-only
    assert static.variable([1.0]).dtype == np.float32  # Python floats default to float32


def test_build_time_shape_mismatch_names_the_users_line():
    with static.Graph():
        x = static.placeholder((None, 10), name="x")
        w = static.variable(np.zeros((5, 1), np.float32), name="w")
        with pytest.raises(ops.ShapeError) as info:
            line = here() + 1
            x @ w
    msg = str(info.value)
    assert msg.startswith("matmul:") and "10" in msg and "5" in msg
    assert f"test_builder_static.py:{line}" in msg


def test_broadcast_error_at_build_time():
    with static.Graph():
        a = static.placeholder((None, 3), name="a")
        b = static.placeholder((4,), name="b")
        with pytest.raises(ops.ShapeError, match="cannot broadcast") as info:
            line = here() + 1
            a + b
    assert f"test_builder_static.py:{line}" in str(info.value)


def test_scalars_follow_the_dtype_rules():
    with static.Graph():
        x = static.placeholder((3,), name="x")
        i = static.placeholder((3,), dtype="int32", name="i")
        assert (x * 2.5).dtype == np.float32  # weak Python scalar
        assert (i + 1).dtype == np.int32
        assert (i * 2.5).dtype == np.float32
        assert ops.exp(i).dtype == np.float32  # float math casts ints through a cast node
        assert ops.exp(i).inputs[0].op == "cast"


def test_nodes_of_different_graphs_do_not_mix():
    with static.Graph():
        a = static.placeholder((1,), name="a")
    with static.Graph():
        b = static.placeholder((1,), name="b")
    with pytest.raises(ValueError, match="different graphs"):
        a + b


def test_static_namespace_stages_every_op():
    with static.Graph() as g:
        y = static.add(np.ones(2, np.float32), 1.0)  # no Node yet: still builds nodes
        z = static.matmul(np.ones((2, 3)), np.ones((3, 1)))
        m = static.mean(static.placeholder((2, 2), name="p"))
        m2 = static.mean(np.ones(3, np.float32))  # composites stage too
        cat_ok = static.sum(y)
    assert y.graph is g and y.op == "add" and y.inputs[0].op == "constant"
    assert z.shape == (2, 1) and z.dtype == np.float64
    assert m.meta["composite"] == ("mean",) and m2.graph is g
    assert cat_ok.shape == ()
    assert static.Session(g).run(y).tolist() == [2.0, 2.0]
    with pytest.raises(AttributeError, match="no attribute 'not_an_op'"):
        static.not_an_op  # noqa: B018


def test_captured_objects_resolve_to_their_variable():
    class Param:  # stands in for an eager parameter claimed by a trace
        shape, dtype = (2,), np.dtype(np.float32)

        def numpy(self):
            return np.array([5.0, 6.0], np.float32)

    p = Param()
    with static.Graph() as g:
        var = static.variable(p.numpy(), name="p")
        g.captures[id(p)] = var
        x = static.placeholder((2,), name="x")
        with dispatch.capture([p], "static"):
            y = ops.mul(x, p)
            z = ops.neg(p)  # no Node argument at all: still staged
    assert y.inputs == (x, var) and z.inputs == (var,)


def test_assign_and_group_validate():
    with static.Graph():
        w = static.variable(np.zeros((2, 3), np.float32), name="w")
        x = static.placeholder((2, 3), name="x")
        a = static.assign(w, x * 2.0)
        assert a.op == "assign" and a.inputs[0] is w and a.aval == w.aval and a.name == "assign_w"
        b = static.assign(w, 1)  # plain values take the variable's dtype and broadcast
        assert b.inputs[1].op == "constant" and b.inputs[1].dtype == np.float32
        grp = static.group(a, b)
        assert grp.op == "group" and grp.inputs == (a, b)
        with pytest.raises(TypeError, match="must be a variable"):
            static.assign(x, 1.0)
        with pytest.raises(ops.ShapeError, match="cannot broadcast"):
            static.assign(w, static.placeholder((4,), name="y"))
        with pytest.raises(ops.ShapeError, match="does not fit variable"):
            static.assign(w, static.placeholder((1, 2, 3), name="y"))
        with pytest.raises(ops.DTypeError, match="variable %w is f32"):
            static.assign(w, static.placeholder((2, 3), dtype="float64"))
