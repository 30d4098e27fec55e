"""The PyTorch tutorial "text classification with the torchtext library", without torchtext: a
word vocabulary built from built-in news-like headlines, a collate_batch that concatenates the
token ids of a batch and records each text's offset, a model of one EmbeddingBag (mean) and a
Linear layer with uniform_ initialization, SGD with StepLR and clip_grad_norm_, and the
tutorial's train/evaluate loops reporting accuracy."""

import time

import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
from torch.utils.data.dataset import Dataset

HEADLINES = [
    (0, "stocks rally as markets rise on strong earnings"), (0, "bank shares fall on rate fears"),
    (0, "oil prices climb as markets open"), (0, "earnings beat forecasts and shares rise"),
    (1, "team wins the final match in extra time"), (1, "striker scores twice as team wins"),
    (1, "coach praises players after the match"), (1, "champions lose the final at home"),
    (2, "new phone chip promises faster apps"), (2, "software update fixes battery bug"),
    (2, "startup unveils faster chip for phones"), (2, "apps crash after software update"),
] * 3


def tokenizer(text):
    return text.lower().split()


vocab = {"<unk>": 0}
for _, text in HEADLINES:
    for token in tokenizer(text):
        vocab.setdefault(token, len(vocab))


def text_pipeline(text):
    return [vocab.get(token, 0) for token in tokenizer(text)]


class Headlines(Dataset):
    def __len__(self):
        return len(HEADLINES)

    def __getitem__(self, idx):
        return HEADLINES[idx]


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for _label, _text in batch:
        label_list.append(_label)
        processed_text = torch.tensor(text_pipeline(_text), dtype=torch.int64)
        text_list.append(processed_text)
        offsets.append(processed_text.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    text_list = torch.cat(text_list)
    return label_list, text_list, offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        embedded = self.embedding(text, offsets)
        return self.fc(embedded)


torch.manual_seed(0)
model = TextClassificationModel(len(vocab), 16, 3)
print(model)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
train_split, valid_split = random_split(Headlines(), [27, 9])
train_dataloader = DataLoader(train_split, batch_size=8, shuffle=True, collate_fn=collate_batch)
valid_dataloader = DataLoader(valid_split, batch_size=8, shuffle=True, collate_fn=collate_batch)


def train(dataloader):
    model.train()
    total_acc, total_count = 0, 0
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        accuracy = total_acc / total_count
        print(f"| batch {idx:2d} | loss {loss.item():8.5f} | accuracy {accuracy:8.3f}")


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for label, text, offsets in dataloader:
            predicted_label = model(text, offsets)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


total_accu = None
for epoch in range(1, 4):
    epoch_start_time = time.time()
    train(train_dataloader)
    accu_val = evaluate(valid_dataloader)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    print(f"| end of epoch {epoch:3d} | valid accuracy {accu_val:8.3f} "
          f"| lr {scheduler.get_last_lr()[0]}")
ex_text_str = "markets rise as bank earnings beat forecasts"
print("This is a", ["Business", "Sports", "Sci/Tec"][model(
    torch.tensor(text_pipeline(ex_text_str)), torch.tensor([0])).argmax(1).item()], "news")
