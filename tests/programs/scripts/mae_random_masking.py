"""A masked autoencoder (MAE) as the official repository writes its pieces, on synthetic images:
patchify/unpatchify with reshape and einsum("nchpwq->nhwpqc"), per-sample random masking by
argsort of uniform noise with ids_restore and torch.gather of expanded indices, fixed 2-D
sin-cos position embeddings built with numpy-free torch code and copied into a frozen
Parameter, mask tokens appended and unshuffled, a normalized-pixel loss averaged over removed
patches only; AdamW with per-parameter no-weight-decay groups (bias, norm, tokens)."""
import torch
import torch.nn as nn

torch.manual_seed(15)
IMG, P, C, D, DD = 16, 4, 3, 32, 24
L = (IMG // P) ** 2


def sincos_1d(dim, pos):
    omega = torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = torch.einsum("m,d->md", pos.reshape(-1).double(), omega)
    return torch.cat([torch.sin(out), torch.cos(out)], dim=1)


def sincos_2d(dim, grid_size, cls_token=False):
    gh = torch.arange(grid_size, dtype=torch.float32)
    grid = torch.meshgrid(gh, gh, indexing="xy")
    grid = torch.stack(grid, dim=0).reshape(2, 1, grid_size, grid_size)
    emb = torch.cat([sincos_1d(dim // 2, grid[0]), sincos_1d(dim // 2, grid[1])], dim=1)
    if cls_token:
        emb = torch.cat([torch.zeros(1, dim, dtype=emb.dtype), emb], dim=0)
    return emb


class MAE(nn.Module):
    def __init__(self, mask_ratio=0.75):
        super().__init__()
        self.mask_ratio = mask_ratio
        self.patch_embed = nn.Conv2d(C, D, P, P)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, D))
        self.pos_embed = nn.Parameter(torch.zeros(1, L + 1, D), requires_grad=False)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(D, 4, 2 * D, dropout=0.0, batch_first=True, norm_first=True),
            num_layers=1, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(D)
        self.decoder_embed = nn.Linear(D, DD)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, DD))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, L + 1, DD), requires_grad=False)
        self.decoder = nn.TransformerEncoderLayer(DD, 2, 2 * DD, dropout=0.0, batch_first=True)
        self.decoder_pred = nn.Linear(DD, P * P * C)
        self.pos_embed.data.copy_(sincos_2d(D, IMG // P, True).float().unsqueeze(0))
        self.decoder_pos_embed.data.copy_(sincos_2d(DD, IMG // P, True).float().unsqueeze(0))
        torch.nn.init.normal_(self.cls_token, std=0.02)
        torch.nn.init.normal_(self.mask_token, std=0.02)
        w = self.patch_embed.weight.data
        torch.nn.init.xavier_uniform_(w.view([w.shape[0], -1]))

    def patchify(self, imgs):
        h = w = imgs.shape[2] // P
        x = imgs.reshape(imgs.shape[0], C, h, P, w, P)
        x = torch.einsum("nchpwq->nhwpqc", x)
        return x.reshape(imgs.shape[0], h * w, P ** 2 * C)

    def unpatchify(self, x):
        h = w = int(x.shape[1] ** 0.5)
        x = x.reshape(x.shape[0], h, w, P, P, C)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(x.shape[0], C, h * P, h * P)

    def random_masking(self, x):
        N, L, D = x.shape
        len_keep = int(L * (1 - self.mask_ratio))
        noise = torch.rand(N, L, device=x.device)
        ids_shuffle = torch.argsort(noise, dim=1)
        ids_restore = torch.argsort(ids_shuffle, dim=1)
        ids_keep = ids_shuffle[:, :len_keep]
        x_masked = torch.gather(x, dim=1, index=ids_keep.unsqueeze(-1).repeat(1, 1, D))
        mask = torch.ones([N, L], device=x.device)
        mask[:, :len_keep] = 0
        mask = torch.gather(mask, dim=1, index=ids_restore)
        return x_masked, mask, ids_restore

    def forward(self, imgs):
        x = self.patch_embed(imgs).flatten(2).transpose(1, 2) + self.pos_embed[:, 1:, :]
        x, mask, ids_restore = self.random_masking(x)
        cls = (self.cls_token + self.pos_embed[:, :1, :]).expand(x.shape[0], -1, -1)
        x = self.norm(self.encoder(torch.cat((cls, x), dim=1)))
        x = self.decoder_embed(x)
        mask_tokens = self.mask_token.repeat(x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], 1)
        x_ = torch.cat([x[:, 1:, :], mask_tokens], dim=1)
        x_ = torch.gather(x_, dim=1, index=ids_restore.unsqueeze(-1).repeat(1, 1, x.shape[2]))
        x = torch.cat([x[:, :1, :], x_], dim=1) + self.decoder_pos_embed
        pred = self.decoder_pred(self.decoder(x))[:, 1:, :]
        target = self.patchify(imgs)
        mean, var = target.mean(dim=-1, keepdim=True), target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.0e-6) ** 0.5
        loss = ((pred - target) ** 2).mean(dim=-1)
        loss = (loss * mask).sum() / mask.sum()
        return loss, pred, mask


model = MAE()
imgs = torch.randn(3, C, IMG, IMG)
print(torch.equal(model.unpatchify(model.patchify(imgs)), imgs), model.pos_embed[0, 1:3, :4])
decay, no_decay = [], []
for name, p in model.named_parameters():
    if not p.requires_grad:
        continue
    (no_decay if p.ndim == 1 or name.endswith("token") else decay).append(p)
print(len(decay), len(no_decay))
opt = torch.optim.AdamW([{"params": no_decay, "weight_decay": 0.0},
                         {"params": decay, "weight_decay": 0.05}], lr=1.5e-3, betas=(0.9, 0.95))
for step in range(5):
    loss, pred, mask = model(imgs)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f} masked {int(mask.sum().item())} "
          f"kept {mask[0].eq(0).nonzero().flatten().tolist()}")
print(model.pos_embed.grad is None, model.mask_token.grad.norm().item())
