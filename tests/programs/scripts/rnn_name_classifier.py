"""The PyTorch tutorial "classifying names with a character-level RNN", on a small built-in
set of surnames: names become (length, 1, n_letters) one-hot tensors, an RNN cell of two
Linear layers over the concatenated input and hidden state runs one letter at a time,
LogSoftmax + NLLLoss, a hand-written SGD update, random training examples drawn with
torch.randint, a confusion matrix, and top-3 predictions for new names."""

# ruff: noqa: UP031
# (written as the tutorial is: % formatting)

import string

import torch
import torch.nn as nn

all_letters = string.ascii_letters + " .,;'"
n_letters = len(all_letters)

category_lines = {
    "English": ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Walker", "Wright"],
    "French": ["Dubois", "Lefebvre", "Moreau", "Laurent", "Girard", "Rousseau", "Fournier"],
    "Italian": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo"],
    "Japanese": ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto"],
}
all_categories = list(category_lines)
n_categories = len(all_categories)


def letterToIndex(letter):
    return all_letters.find(letter)


def lineToTensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for li, letter in enumerate(line):
        tensor[li][0][letterToIndex(letter)] = 1
    return tensor


print(n_letters, n_categories, lineToTensor("Jones").size())


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = torch.tanh(self.i2h(combined))
        output = self.softmax(self.h2o(hidden))
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


torch.manual_seed(3)
n_hidden = 32
rnn = RNN(n_letters, n_hidden, n_categories)
output, next_hidden = rnn(lineToTensor("Albert")[0], rnn.initHidden())
print("first output", output)


def categoryFromOutput(output):
    top_n, top_i = output.topk(1)
    category_i = top_i[0].item()
    return all_categories[category_i], category_i


def randomTrainingExample():
    category = all_categories[torch.randint(n_categories, (1,)).item()]
    lines = category_lines[category]
    line = lines[torch.randint(len(lines), (1,)).item()]
    category_tensor = torch.tensor([all_categories.index(category)], dtype=torch.long)
    return category, line, category_tensor, lineToTensor(line)


criterion = nn.NLLLoss()
learning_rate = 0.005


def train(category_tensor, line_tensor):
    hidden = rnn.initHidden()
    rnn.zero_grad()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


n_iters = 600
current_loss = 0
for it in range(1, n_iters + 1):
    category, line, category_tensor, line_tensor = randomTrainingExample()
    output, loss = train(category_tensor, line_tensor)
    current_loss += loss
    if it % 150 == 0:
        guess, guess_i = categoryFromOutput(output)
        correct = "✓" if guess == category else "✗ (%s)" % category
        print("%d %d%% %.4f %s / %s %s" % (it, it / n_iters * 100, loss, line, guess, correct))
        print("average loss %.4f" % (current_loss / 150))
        current_loss = 0


def evaluate(line_tensor):
    hidden = rnn.initHidden()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    return output


confusion = torch.zeros(n_categories, n_categories)
with torch.no_grad():
    for category, lines in category_lines.items():
        for line in lines:
            guess, guess_i = categoryFromOutput(evaluate(lineToTensor(line)))
            confusion[all_categories.index(category)][guess_i] += 1
for i in range(n_categories):
    confusion[i] = confusion[i] / confusion[i].sum()
print(confusion)


def predict(input_line, n_predictions=3):
    print("\n> %s" % input_line)
    with torch.no_grad():
        output = evaluate(lineToTensor(input_line))
        topv, topi = output.topk(n_predictions, 1, True)
        for i in range(n_predictions):
            value = topv[0][i].item()
            category_index = topi[0][i].item()
            print("(%.2f) %s" % (value, all_categories[category_index]))


predict("Dovesky")
predict("Satoshi")
predict("Jackson")
