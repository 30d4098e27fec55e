"""Classic image processing with tensor ops and no torchvision: RGB to YCbCr by a colour
matrix, Gaussian blur and Sobel edges as conv2d with fixed kernels (reflect padding, grouped
convolution), Harris corners with max-pool non-maximum suppression, rotation and zoom by
affine_grid + grid_sample, pixel_shuffle / pixel_unshuffle round trips, patch averaging with
unfold/fold, and flip/rot90 test-time augmentation."""

import math

import torch
import torch.nn.functional as F

torch.manual_seed(9)
torch.set_printoptions(precision=4, sci_mode=False)

H = W = 16
yy, xx = torch.meshgrid(
    torch.arange(H, dtype=torch.float32), torch.arange(W, dtype=torch.float32), indexing="ij"
)
square = ((xx > 4) & (xx < 11) & (yy > 3) & (yy < 12)).float()
disk = (((xx - 11.5) ** 2 + (yy - 4.5) ** 2) < 9).float()
img = torch.stack([square, disk, 0.5 * square + 0.5 * disk]).unsqueeze(0)
img = (img + 0.05 * torch.randn_like(img)).clamp(0, 1)
print("image", img.shape, img.mean().item())

M = torch.tensor([[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]])
ycc = torch.einsum("ij,bjhw->bihw", M, img) + torch.tensor([0.0, 0.5, 0.5]).view(1, 3, 1, 1)
back = torch.einsum(
    "ij,bjhw->bihw", torch.linalg.inv(M), ycc - torch.tensor([0.0, 0.5, 0.5])[:, None, None]
)
print("ycbcr mean", ycc.mean(dim=(0, 2, 3)), "roundtrip", torch.allclose(back, img, atol=1e-5))
gray = (img * torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)).sum(1, keepdim=True)


def gaussian_kernel(size, sigma):
    ax = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    g = torch.exp(-(ax**2) / (2 * sigma**2))
    g = g / g.sum()
    return torch.outer(g, g)


k = gaussian_kernel(5, 1.0)
blur = F.conv2d(F.pad(img, (2, 2, 2, 2), mode="reflect"), k.expand(3, 1, 5, 5), groups=3)
print("blur", blur.shape, blur.std().item(), img.std().item())
sobel_x = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
kernels = torch.stack([sobel_x, sobel_x.T]).unsqueeze(1)
g = F.conv2d(F.pad(gray, (1, 1, 1, 1), mode="replicate"), kernels)
mag = g.pow(2).sum(1).sqrt()
angle = torch.atan2(g[:, 1], g[:, 0])
print("edge magnitude max", mag.max().item(), "mean", mag.mean().item())
print("edge angle histogram", torch.histc(angle[mag > 1.0], bins=8, min=-math.pi, max=math.pi))

Ix, Iy = g[:, 0:1], g[:, 1:2]
win = gaussian_kernel(3, 1.0).view(1, 1, 3, 3)
Sxx = F.conv2d(Ix * Ix, win, padding=1)
Syy = F.conv2d(Iy * Iy, win, padding=1)
Sxy = F.conv2d(Ix * Iy, win, padding=1)
R = Sxx * Syy - Sxy**2 - 0.05 * (Sxx + Syy) ** 2
peaks = (F.max_pool2d(R, 3, stride=1, padding=1) == R) & (0.1 * R.max() < R)
corners = torch.nonzero(peaks[0, 0])
print("corners", corners.shape[0], corners[:4].tolist())

theta_rot = math.radians(30)
A = torch.tensor(
    [
        [
            [math.cos(theta_rot), -math.sin(theta_rot), 0.0],
            [math.sin(theta_rot), math.cos(theta_rot), 0.0],
        ],
        [[0.5, 0.0, 0.2], [0.0, 0.5, -0.1]],
    ]
)
grid = F.affine_grid(A, (2, 3, H, W), align_corners=False)
print("grid corners", grid[0, 0, 0], grid[1, -1, -1])
warped = F.grid_sample(
    img.expand(2, -1, -1, -1), grid, mode="bilinear", padding_mode="zeros", align_corners=False
)
print("warped sums", warped.sum(dim=(1, 2, 3)))
near = F.grid_sample(
    img.expand(2, -1, -1, -1), grid, mode="nearest", padding_mode="border", align_corners=True
)
print("nearest/border sums", near.sum(dim=(1, 2, 3)))

un = F.pixel_unshuffle(img, 2)
print("unshuffle", un.shape, "roundtrip", torch.equal(F.pixel_shuffle(un, 2), img))
up = F.pixel_shuffle(torch.arange(16.0).view(1, 4, 2, 2), 2)
print(up)

patches = F.unfold(img, kernel_size=4, stride=2)
print("patches", patches.shape)
mean_patch = patches.mean(dim=2, keepdim=True)
recon = F.fold(patches, (H, W), kernel_size=4, stride=2)
norm = F.fold(torch.ones_like(patches), (H, W), kernel_size=4, stride=2)
print("fold/normalise roundtrip", torch.allclose(recon / norm, img, atol=1e-6))
print("overlap counts", norm[0, 0, :3, :3])
print("mean patch norm", mean_patch.norm().item())

tta = [
    img,
    torch.flip(img, dims=[3]),
    torch.rot90(img, 1, dims=[2, 3]),
    torch.rot90(img, -1, dims=[2, 3]),
    torch.rot90(img, 2, dims=[2, 3]),
]
inv = [
    tta[0],
    torch.flip(tta[1], dims=[3]),
    torch.rot90(tta[2], -1, dims=[2, 3]),
    torch.rot90(tta[3], 1, dims=[2, 3]),
    torch.rot90(tta[4], 2, dims=[2, 3]),
]
print("tta inverse exact", all(torch.equal(t, img) for t in inv))
print("rot90 small", torch.rot90(torch.arange(6).view(2, 3), 1, (0, 1)))
print(
    "fliplr/flipud",
    torch.fliplr(torch.arange(4).view(2, 2)),
    torch.flipud(torch.arange(4).view(2, 2)),
)
down = F.interpolate(img, scale_factor=0.5, mode="area")
up2 = F.interpolate(down, size=(H, W), mode="bicubic", align_corners=False)
print("area/bicubic psnr", (-10 * torch.log10(F.mse_loss(up2, img))).item())
