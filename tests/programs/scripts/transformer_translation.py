"""The nn.Transformer translation tutorial in miniature: token embeddings scaled by sqrt(d),
sinusoidal positional encoding as a registered buffer, generate_square_subsequent_mask,
padding masks (batch_first), a reverse-the-sequence task, and greedy decoding with encode/decode."""
import math

import torch
import torch.nn as nn

torch.manual_seed(71)
PAD, BOS, EOS, V = 0, 1, 2, 10


class PositionalEncoding(nn.Module):
    def __init__(self, emb_size, dropout, maxlen=50):
        super().__init__()
        den = torch.exp(-torch.arange(0, emb_size, 2) * math.log(10000) / emb_size)
        pos = torch.arange(0, maxlen).reshape(maxlen, 1)
        pe = torch.zeros((maxlen, emb_size))
        pe[:, 0::2] = torch.sin(pos * den)
        pe[:, 1::2] = torch.cos(pos * den)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("pos_embedding", pe.unsqueeze(0))

    def forward(self, token_embedding):
        return self.dropout(token_embedding + self.pos_embedding[:, :token_embedding.size(1)])


class Seq2SeqTransformer(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.transformer = nn.Transformer(d_model=d, nhead=2, num_encoder_layers=1,
                                          num_decoder_layers=1, dim_feedforward=32, dropout=0.0,
                                          batch_first=True)
        self.generator = nn.Linear(d, V)
        self.src_emb, self.tgt_emb = nn.Embedding(V, d), nn.Embedding(V, d)
        self.pe = PositionalEncoding(d, 0.0)
        self.d = d

    def embed(self, emb, tokens):
        return self.pe(emb(tokens) * math.sqrt(self.d))

    def forward(self, src, tgt, tgt_mask, src_pad, tgt_pad):
        outs = self.transformer(self.embed(self.src_emb, src), self.embed(self.tgt_emb, tgt),
                                None, tgt_mask, None, src_pad, tgt_pad, src_pad)
        return self.generator(outs)

    def encode(self, src):
        return self.transformer.encoder(self.embed(self.src_emb, src))

    def decode(self, tgt, memory, tgt_mask):
        return self.transformer.decoder(self.embed(self.tgt_emb, tgt), memory, tgt_mask)


def batch(n):
    seqs = [torch.randint(3, V, (int(torch.randint(2, 5, ()).item()),)) for _ in range(n)]
    src = nn.utils.rnn.pad_sequence([torch.cat([s, torch.tensor([EOS])]) for s in seqs],
                                    batch_first=True, padding_value=PAD)
    tgt = nn.utils.rnn.pad_sequence([torch.cat([torch.tensor([BOS]), s.flip(0),
                                                torch.tensor([EOS])]) for s in seqs],
                                    batch_first=True, padding_value=PAD)
    return src, tgt


model = Seq2SeqTransformer()
for p in model.parameters():
    if p.dim() > 1:
        nn.init.xavier_uniform_(p)
opt = torch.optim.Adam(model.parameters(), lr=3e-3, betas=(0.9, 0.98), eps=1e-9)
loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
for step in range(30):
    src, tgt = batch(16)
    tgt_in = tgt[:, :-1]
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1)).isinf()
    logits = model(src, tgt_in, tgt_mask, src == PAD, tgt_in == PAD)
    loss = loss_fn(logits.reshape(-1, V), tgt[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f}")
model.eval()
src = torch.tensor([[5, 7, 3, EOS]])
memory = model.encode(src)
ys = torch.ones(1, 1).fill_(BOS).type(torch.long)
for _ in range(5):
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(ys.size(1)).type(torch.bool)
    out = model.decode(ys, memory, tgt_mask)
    prob = model.generator(out[:, -1])
    _, next_word = torch.max(prob, dim=1)
    ys = torch.cat([ys, torch.ones(1, 1).type_as(src.data).fill_(next_word.item())], dim=1)
print("greedy", ys.flatten().tolist(), memory.shape, tgt_mask.dtype)
print(nn.Transformer.generate_square_subsequent_mask(3))
