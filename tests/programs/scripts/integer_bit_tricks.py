"""Integer and bool tensor semantics as research code leans on them: a xorshift hash and bit
packing of boolean masks with shifts and bitwise ops, floor vs trunc division, remainder vs
fmod signs, int8/uint8 wrap-around, iinfo limits, and type promotion with Python scalars and
0-d tensors (result_type, can_cast, promote_types)."""

import torch

torch.manual_seed(0)

a = torch.tensor([-7, -3, 0, 3, 7])
b = torch.tensor([2, 2, 3, -2, -2])
print("floor_divide", torch.floor_divide(a, b))
print("//", a // b, "a // 2", a // 2)
print("div floor", torch.div(a, b, rounding_mode="floor"))
print("div trunc", torch.div(a, b, rounding_mode="trunc"))
print("true div", torch.div(a, b), (a / b).dtype)
print("remainder", torch.remainder(a, b), "fmod", torch.fmod(a, b))
print("% operator", a % 3, "float remainder", torch.remainder(torch.tensor([-1.5, 1.5]), 1.0))
print("fmod float", torch.fmod(torch.tensor([-1.5, 1.5]), 1.0))

x8 = torch.tensor([100, 120, -128, 127], dtype=torch.int8)
print("int8 wrap", x8 + x8, (x8 * 2).dtype)
u8 = torch.tensor([250, 5, 0], dtype=torch.uint8)
print("uint8 wrap", u8 + torch.tensor(10, dtype=torch.uint8), u8 - 6)
print("neg uint8", -u8)
print(
    "iinfo int8",
    torch.iinfo(torch.int8).min,
    torch.iinfo(torch.int8).max,
    torch.iinfo(torch.uint8).bits,
)
print("iinfo int64 max", torch.iinfo(torch.int64).max, torch.iinfo(torch.int32))
print("finfo", torch.finfo(torch.float16).eps, torch.finfo(torch.float16).max, torch.finfo().tiny)


def xorshift32(state):
    # operate in int64 and mask to 32 bits, as hashing code does without uint32 arithmetic
    mask = 0xFFFFFFFF
    state = state ^ ((state << 13) & mask)
    state = state ^ (state >> 17)
    state = state ^ ((state << 5) & mask)
    return state & mask


s = torch.arange(1, 6, dtype=torch.int64) * 2654435761 % (2**32)
for _ in range(3):
    s = xorshift32(s)
print("xorshift", s)
print("to unit floats", (s.double() / 2**32))


def pack_bits(mask):
    # (n, 8k) bool -> (n, k) uint8
    n, m = mask.shape
    weights = (1 << torch.arange(7, -1, -1)).to(torch.uint8)
    return (mask.view(n, m // 8, 8).to(torch.uint8) * weights).sum(-1, dtype=torch.uint8)


def unpack_bits(packed):
    shifts = torch.arange(7, -1, -1, dtype=torch.uint8)
    return ((packed.unsqueeze(-1) >> shifts) & 1).bool().flatten(1)


mask = torch.rand(3, 16) > 0.5
packed = pack_bits(mask)
print("packed", packed, packed.dtype)
print("roundtrip", torch.equal(unpack_bits(packed), mask))
print("popcount", unpack_bits(packed).sum(1))
print(
    "bitwise",
    torch.bitwise_and(packed, 0x0F),
    torch.bitwise_or(packed, 1),
    torch.bitwise_xor(packed, packed),
)
print("invert uint8", ~packed[0], "invert bool", ~mask[0, :4], "invert int", ~torch.tensor([0, 5]))
print(
    "shift fns",
    torch.bitwise_left_shift(torch.tensor([1, 2]), 3),
    torch.bitwise_right_shift(torch.tensor([-16, 16]), 2),
)
v = torch.tensor([1, 2, 3])
v <<= 2
v >>= 1
v |= 8
v ^= 1
v &= 14
print("inplace shifts", v)

print(
    "bool arithmetic",
    mask[0].sum(),
    mask.sum(0).dtype,
    (mask[0] + mask[1]).dtype,
    mask[0].float().mean(),
)
print("bool & | ^", (mask[0] & mask[1]).sum(), (mask[0] | mask[1]).sum(), (mask[0] ^ mask[1]).sum())

i32 = torch.tensor([1, 2], dtype=torch.int32)
f16 = torch.tensor([1.0], dtype=torch.float16)
print(
    "int32 + 1",
    (i32 + 1).dtype,
    "int32 + 1.5",
    (i32 + 1.5).dtype,
    "int32 * True",
    (i32 * True).dtype,
)
print(
    "int32 + 0-d int64",
    (i32 + torch.tensor(5)).dtype,
    "int32 + 1-d int64",
    (i32 + torch.tensor([5])).dtype,
)
print(
    "f16 + 0-d f64",
    (f16 + torch.tensor(1.0, dtype=torch.float64)).dtype,
    "f16 + int",
    (f16 + 3).dtype,
)
print("uint8 + int8", (u8[:2] + x8[:2]).dtype, "bool + bool", (mask[0] + mask[0]).dtype)
print(
    "result_type",
    torch.result_type(i32, 1.0),
    torch.result_type(torch.tensor(1), torch.tensor([1], dtype=torch.uint8)),
    torch.result_type(2, 3.0),
)
print(
    "promote_types",
    torch.promote_types(torch.uint8, torch.int8),
    torch.promote_types(torch.float16, torch.float32),
    torch.promote_types(torch.int64, torch.float16),
)
print(
    "can_cast",
    torch.can_cast(torch.float64, torch.int32),
    torch.can_cast(torch.int32, torch.float32),
    torch.can_cast(torch.int8, torch.uint8),
    torch.can_cast(torch.bool, torch.int8),
)
print(
    "int pow",
    torch.tensor([2, 3]) ** 2,
    (torch.tensor([2, 3]) ** 2.0).dtype,
    2 ** torch.tensor([3, 4]),
)
print("abs/sign int", torch.tensor([-3, 0, 4]).abs(), torch.tensor([-3, 0, 4]).sign())
print("clamp int with float bound", torch.tensor([1, 5, 9]).clamp(max=4.5))
print("mean of int raises:", end=" ")
try:
    torch.tensor([1, 2]).mean()
except RuntimeError as e:
    print(type(e).__name__, str(e).split("\n")[0])
print(
    "argmax of bools",
    torch.tensor([False, True, True]).int().argmax(),
    torch.tensor([3, 1]).float().dtype,
)
print(
    "cumsum int8 dtype",
    torch.tensor([100, 100], dtype=torch.int8).cumsum(0).dtype,
    torch.tensor([True, True]).sum().dtype,
    torch.tensor([1, 2], dtype=torch.int8).prod().dtype,
)
