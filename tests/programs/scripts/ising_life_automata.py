"""Lattice models in the style of a computational-physics notebook: a 2-D Ising model with
checkerboard Metropolis updates (torch.roll neighbour sums, torch.rand acceptance, boolean
masks), its energy and magnetisation by temperature, Conway's Game of Life as a conv2d with a
fixed kernel on float cells, and elementary cellular automaton rule 30 with bit operations."""

import math

import torch
import torch.nn.functional as F

torch.manual_seed(123)
L = 16


def neighbours(s):
    return torch.roll(s, 1, 0) + torch.roll(s, -1, 0) + torch.roll(s, 1, 1) + torch.roll(s, -1, 1)


def energy(s, J=1.0):
    return -J * (s * (torch.roll(s, 1, 0) + torch.roll(s, 1, 1))).sum() / s.numel()


ii, jj = torch.meshgrid(torch.arange(L), torch.arange(L), indexing="ij")
checker = (ii + jj) % 2 == 0
for T in [1.5, 2.27, 3.5]:
    spins = torch.where(torch.rand(L, L) < 0.5, -1.0, 1.0)
    beta = 1.0 / T
    mags, energies = [], []
    for sweep in range(120):
        for colour in (checker, ~checker):
            dE = 2.0 * spins * neighbours(spins)
            accept = (dE <= 0) | (torch.rand(L, L) < torch.exp(-beta * dE))
            flip = accept & colour
            spins[flip] *= -1
        if sweep >= 40:
            mags.append(spins.mean().abs().item())
            energies.append(energy(spins).item())
    m = torch.tensor(mags)
    e = torch.tensor(energies)
    print(
        f"T={T:.2f} <|m|>={m.mean().item():.4f} <e>={e.mean().item():.4f} "
        f"C={(e.var() * L * L / T**2).item():.4f} up={int((spins > 0).sum())}"
    )
print("spins dtype", spins.dtype, "unique", torch.unique(spins).tolist())

kernel = torch.ones(1, 1, 3, 3)
kernel[0, 0, 1, 1] = 0


def life_step(board):
    n = F.conv2d(F.pad(board[None, None], (1, 1, 1, 1), mode="circular"), kernel)[0, 0]
    born = (board == 0) & (n == 3)
    survive = (board == 1) & ((n == 2) | (n == 3))
    return (born | survive).float()


board = torch.zeros(12, 12)
board[1, 2] = board[2, 3] = board[3, 1] = board[3, 2] = board[3, 3] = 1.0  # a glider
board[8, 7:10] = 1.0  # a blinker
start = board.clone()
for _ in range(24):
    board = life_step(board)
print("alive after 24", int(board.sum()), "glider moved", torch.nonzero(board[:6]).tolist()[:3])
shifted = torch.roll(start, shifts=(6, 6), dims=(0, 1))
print(
    "glider period-4 translation",
    torch.equal(board[:12, :12] * (shifted > 0), shifted * board) or int((board * shifted).sum()),
)
print(board.to(torch.int64)[:6, :8])

width, steps = 31, 12
cells = torch.zeros(width, dtype=torch.int64)
cells[width // 2] = 1
rule = 30
rows = [cells]
for _ in range(steps):
    left, right = torch.roll(cells, 1), torch.roll(cells, -1)
    pattern = (left << 2) | (cells << 1) | right
    cells = (rule >> pattern) & 1
    rows.append(cells)
grid = torch.stack(rows)
for r in grid[:6]:
    print("".join("#" if v else "." for v in r.tolist()))
print("rule 30 centre column", grid[:, width // 2].tolist())
print("density", grid.float().mean().item(), "bits", torch.tensor(rule).bitwise_and(0b1010).item())
print(
    "entropy of 3-cell patterns",
    round(
        -sum(
            p * math.log(p)
            for p in (
                torch.bincount(
                    (
                        (torch.roll(grid, 1, 1) << 2) | (grid << 1) | torch.roll(grid, -1, 1)
                    ).flatten(),
                    minlength=8,
                ).float()
                / grid.numel()
            ).tolist()
            if p > 0
        ),
        5,
    ),
)
