"""d2l.ai's data pipelines for pretraining, written out: word2vec subsampling of frequent
tokens (Counter, random.uniform against sqrt(t / f)), centre/context pairs with random window
sizes, negatives drawn by a cached random.choices sampler, a batchify collate with padding,
masks and labels; BERT's next-sentence pairs and 80/10/10 masked-LM replacement, padded
to fixed length with valid_lens, and a tiny BERT encoder whose MaskLM head gathers the
masked positions with a repeat_interleave batch index, trained a few steps."""
# ruff: noqa: SIM905, B905
import collections
import math
import random

import torch
from torch import nn

random.seed(0)
torch.manual_seed(0)

words = "the cat sat on the mat the dog ate the bone a cat and a dog met on the road".split()
sentences = [[random.choice(words) for _ in range(random.randint(5, 12))] for _ in range(40)]
counter = collections.Counter([tk for line in sentences for tk in line])
idx_to_token = ['<unk>', '<pad>', '<cls>', '<sep>', '<mask>'] + sorted(counter)
token_to_idx = {t: i for i, t in enumerate(idx_to_token)}
print(len(idx_to_token), counter.most_common(3))


def subsample(sentences, counter):
    num_tokens = sum(counter.values())

    def keep(token):
        return random.uniform(0, 1) < math.sqrt(1e-2 / counter[token] * num_tokens)

    return [[token for token in line if keep(token)] for line in sentences]


subsampled = subsample(sentences, counter)
print(sum(len(s) for s in sentences), sum(len(s) for s in subsampled))
corpus = [[token_to_idx[t] for t in line] for line in subsampled]


def get_centers_and_contexts(corpus, max_window_size):
    centers, contexts = [], []
    for line in corpus:
        if len(line) < 2:
            continue
        centers += line
        for i in range(len(line)):
            window_size = random.randint(1, max_window_size)
            indices = list(range(max(0, i - window_size), min(len(line), i + 1 + window_size)))
            indices.remove(i)
            contexts.append([line[idx] for idx in indices])
    return centers, contexts


class RandomGenerator:
    def __init__(self, sampling_weights):
        self.population = list(range(1, len(sampling_weights) + 1))
        self.sampling_weights = sampling_weights
        self.candidates = []
        self.i = 0

    def draw(self):
        if self.i == len(self.candidates):
            self.candidates = random.choices(self.population, self.sampling_weights, k=10000)
            self.i = 0
        self.i = self.i + 1
        return self.candidates[self.i - 1]


centers, contexts = get_centers_and_contexts(corpus, 2)
weights = [counter.get(idx_to_token[i], 0) ** 0.75 for i in range(1, len(idx_to_token))]
gen = RandomGenerator(weights)
negatives = []
for ctx in contexts:
    negs = []
    while len(negs) < len(ctx) * 3:
        neg = gen.draw()
        if neg not in ctx:
            negs.append(neg)
    negatives.append(negs)


def batchify(data):
    max_len = max(len(c) + len(n) for _, c, n in data)
    centers, contexts_negatives, masks, labels = [], [], [], []
    for center, context, negative in data:
        cur_len = len(context) + len(negative)
        centers += [center]
        contexts_negatives += [context + negative + [0] * (max_len - cur_len)]
        masks += [[1] * cur_len + [0] * (max_len - cur_len)]
        labels += [[1] * len(context) + [0] * (max_len - len(context))]
    return (torch.tensor(centers).reshape((-1, 1)), torch.tensor(contexts_negatives),
            torch.tensor(masks), torch.tensor(labels))


batch = batchify(list(zip(centers[:3], contexts[:3], negatives[:3])))
for name, data in zip(['centers', 'contexts_negatives', 'masks', 'labels'], batch):
    print(name, '=', data)


def get_tokens_and_segments(tokens_a, tokens_b=None):
    tokens = ['<cls>'] + tokens_a + ['<sep>']
    segments = [0] * (len(tokens_a) + 2)
    if tokens_b is not None:
        tokens += tokens_b + ['<sep>']
        segments += [1] * (len(tokens_b) + 1)
    return tokens, segments


def replace_mlm_tokens(tokens, candidate_pred_positions, num_mlm_preds):
    mlm_input_tokens = [token for token in tokens]
    pred_positions_and_labels = []
    random.shuffle(candidate_pred_positions)
    for mlm_pred_position in candidate_pred_positions:
        if len(pred_positions_and_labels) >= num_mlm_preds:
            break
        if random.random() < 0.8:
            masked_token = '<mask>'
        elif random.random() < 0.5:
            masked_token = tokens[mlm_pred_position]
        else:
            masked_token = random.choice(idx_to_token[5:])
        mlm_input_tokens[mlm_pred_position] = masked_token
        pred_positions_and_labels.append((mlm_pred_position, tokens[mlm_pred_position]))
    return mlm_input_tokens, pred_positions_and_labels


max_len, examples = 24, []
for i in range(len(sentences) - 1):
    a = sentences[i][:8]
    b = sentences[i + 1][:8] if random.random() < 0.5 else random.choice(sentences)[:8]
    is_next = b == sentences[i + 1][:8]
    tokens, segments = get_tokens_and_segments(a, b)
    candidates = [j for j, t in enumerate(tokens) if t not in ('<cls>', '<sep>')]
    num_preds = max(1, round(len(tokens) * 0.15))
    mlm_tokens, pos_labels = replace_mlm_tokens(tokens, candidates, num_preds)
    pos_labels = sorted(pos_labels, key=lambda x: x[0])
    examples.append(([token_to_idx[t] for t in mlm_tokens], segments, [p for p, _ in pos_labels],
                     [token_to_idx[lab] for _, lab in pos_labels], is_next))
max_preds = max(len(e[2]) for e in examples)
all_ids, all_seg, valid_lens, all_pos, all_w, all_lab, nsp = [], [], [], [], [], [], []
for ids, seg, pos, lab, is_next in examples:
    pad = [token_to_idx['<pad>']] * (max_len - len(ids))
    all_ids.append(torch.tensor(ids + pad, dtype=torch.long))
    all_seg.append(torch.tensor(seg + [0] * (max_len - len(seg)), dtype=torch.long))
    valid_lens.append(torch.tensor(len(ids), dtype=torch.float32))
    all_pos.append(torch.tensor(pos + [0] * (max_preds - len(pos)), dtype=torch.long))
    all_w.append(torch.tensor([1.0] * len(lab) + [0.0] * (max_preds - len(pos)),
                              dtype=torch.float32))
    all_lab.append(torch.tensor(lab + [0] * (max_preds - len(lab)), dtype=torch.long))
    nsp.append(torch.tensor(is_next, dtype=torch.long))
tokens_X, segments_X = torch.stack(all_ids), torch.stack(all_seg)
valid_lens_x = torch.stack(valid_lens)
pred_positions_X, mlm_weights_X = torch.stack(all_pos), torch.stack(all_w)
mlm_Y, nsp_y = torch.stack(all_lab), torch.stack(nsp)
print(tokens_X[0], segments_X[0], valid_lens_x[:4], pred_positions_X[0], mlm_weights_X[0], nsp_y)


class TinyBERT(nn.Module):
    def __init__(self, vocab_size, num_hiddens=32, max_len=24):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, num_hiddens)
        self.segment_embedding = nn.Embedding(2, num_hiddens)
        self.pos_embedding = nn.Parameter(torch.randn(1, max_len, num_hiddens) * 0.02)
        layer = nn.TransformerEncoderLayer(num_hiddens, 4, 64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.mlm = nn.Sequential(nn.Linear(num_hiddens, num_hiddens), nn.ReLU(),
                                 nn.LayerNorm(num_hiddens), nn.Linear(num_hiddens, vocab_size))
        self.hidden = nn.Sequential(nn.Linear(num_hiddens, num_hiddens), nn.Tanh())
        self.nsp = nn.Linear(num_hiddens, 2)

    def forward(self, tokens, segments, valid_lens, pred_positions):
        X = self.token_embedding(tokens) + self.segment_embedding(segments) + self.pos_embedding
        pad_mask = torch.arange(tokens.shape[1])[None, :] >= valid_lens[:, None]
        X = self.encoder(X, src_key_padding_mask=pad_mask)
        num_pred_positions = pred_positions.shape[1]
        pred_positions = pred_positions.reshape(-1)
        batch_size = X.shape[0]
        batch_idx = torch.arange(0, batch_size)
        batch_idx = torch.repeat_interleave(batch_idx, num_pred_positions)
        masked_X = X[batch_idx, pred_positions].reshape((batch_size, num_pred_positions, -1))
        return X, self.mlm(masked_X), self.nsp(self.hidden(X[:, 0, :]))


net = TinyBERT(len(idx_to_token))
loss = nn.CrossEntropyLoss(reduction='none')
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for step in range(12):
    _, mlm_Y_hat, nsp_Y_hat = net(tokens_X, segments_X, valid_lens_x, pred_positions_X)
    mlm_l = (loss(mlm_Y_hat.reshape(-1, len(idx_to_token)), mlm_Y.reshape(-1))
             * mlm_weights_X.reshape(-1))
    mlm_l = mlm_l.sum() / (mlm_weights_X.sum() + 1e-8)
    nsp_l = loss(nsp_Y_hat, nsp_y).mean()
    l = mlm_l + nsp_l
    opt.zero_grad()
    l.backward()
    opt.step()
    if step % 4 == 3:
        print(f"step {step + 1}: mlm {mlm_l.item():.4f} nsp {nsp_l.item():.4f}")
