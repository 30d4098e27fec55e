"""pytorch/examples' mnist_hogwild pattern on a small regression: the model's parameters are
moved to shared memory, worker processes (forked) train it in place with their own SGD, and
the parent sees their updates; around it the single-process guards of DDP-capable scripts
(torch.distributed availability, a DataParallel wrapper and its module.-prefixed
checkpoint, SyncBatchNorm conversion that changes nothing without a process group)."""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)  # forked workers and a parent OpenMP pool do not mix
torch.manual_seed(3)
true_w = torch.tensor([[1.5, -2.0, 0.5]])
data = torch.randn(64, 3)
target = data @ true_w.t() + 0.1


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 8)
        self.bn = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(F.relu(self.bn(self.fc1(x))))


def train(rank, model, epochs):
    torch.manual_seed(100 + rank)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5)
    for _ in range(epochs):
        for idx in torch.randperm(64).split(16):
            optimizer.zero_grad()
            loss = F.mse_loss(model(data[idx]), target[idx])
            loss.backward()
            optimizer.step()


def evaluate(model):
    model.eval()
    with torch.no_grad():
        loss = F.mse_loss(model(data), target).item()
    model.train()
    return loss


if __name__ == "__main__":
    distributed = dist.is_available() and dist.is_initialized()
    print("distributed:", distributed)
    model = Net()
    if distributed:  # not taken in one process
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    print(f"before: {evaluate(model):.5f}")
    model.share_memory()
    # The parent's own optimizer, for a last fine-tuning step once the workers are done.
    finetune = torch.optim.SGD(model.parameters(), lr=0.01)
    ctx = mp.get_context("fork")
    for rank in range(3):
        # One worker at a time (the example runs them concurrently): the updates each makes
        # in shared memory are what the next one, and the parent, start from.
        p = ctx.Process(target=train, args=(rank, model, 2))
        p.start()
        p.join()
        print(f"after worker {rank}: exit {p.exitcode}, loss {evaluate(model):.5f}")

    finetune.zero_grad()
    F.mse_loss(model(data), target).backward()
    finetune.step()
    print(f"fine-tuned: {evaluate(model):.5f}")

    wrapped = nn.DataParallel(model)
    checkpoint = wrapped.state_dict()
    print(sorted(checkpoint)[:3])
    plain = Net()
    result = plain.load_state_dict({k.removeprefix("module."): v for k, v in checkpoint.items()})
    print(result, f"{evaluate(plain):.5f}")
    print("num_batches_tracked", int(model.bn.num_batches_tracked))
