"""A PyTorch program run by eager with one line changed: the variational autoencoder of the
pytorch/examples repository (vae/main.py), written the same way, on synthetic 28x28 images
so that it needs no download.

The only line changed from the PyTorch program:

    import torch          ->    import eager as torch

    python examples/torch_program_unchanged.py [--epochs 2] [--seed 1]

Change that line back and the program prints the same numbers under PyTorch
(tests/programs/test_example_unchanged.py runs both and compares them).
"""

import argparse

import eager as torch  # the PyTorch program says: import torch

nn = torch.nn
F = torch.nn.functional


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    """Reconstruction + KL divergence losses summed over all elements and batch."""
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


def synthetic_images(n):
    """``n`` images in [0, 1]: a bright bar (horizontal or vertical) on a dim background."""
    images = torch.rand(n, 1, 28, 28) * 0.2
    where = torch.randint(4, 24, (n,))
    for i in range(n):
        if i % 2:
            images[i, 0, :, where[i]] = 1.0
        else:
            images[i, 0, where[i], :] = 1.0
    return images


def main():
    parser = argparse.ArgumentParser(description="VAE example")
    parser.add_argument("--batch-size", type=int, default=32, metavar="N",
                        help="input batch size for training (default: 32)")
    parser.add_argument("--epochs", type=int, default=2, metavar="N",
                        help="number of epochs to train (default: 2)")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="random seed (default: 1)")
    parser.add_argument("--log-interval", type=int, default=2, metavar="N",
                        help="how many batches to wait before logging training status")
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    device = torch.device("cpu")

    train_set = torch.utils.data.TensorDataset(synthetic_images(96))
    test_set = torch.utils.data.TensorDataset(synthetic_images(32))
    train_loader = torch.utils.data.DataLoader(train_set, batch_size=args.batch_size,
                                               shuffle=True)
    test_loader = torch.utils.data.DataLoader(test_set, batch_size=args.batch_size)

    model = VAE().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    for epoch in range(1, args.epochs + 1):
        model.train()
        train_loss = 0
        for batch_idx, (data,) in enumerate(train_loader):
            data = data.to(device)
            optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                seen, done = batch_idx * len(data), 100.0 * batch_idx / len(train_loader)
                print(f"Train Epoch: {epoch} [{seen}/{len(train_loader.dataset)} ({done:.0f}%)]"
                      f"\tLoss: {loss.item() / len(data):.6f}")
        print(f"====> Epoch: {epoch} Average loss: {train_loss / len(train_loader.dataset):.4f}")

        model.eval()
        test_loss = 0
        with torch.no_grad():
            for data, in test_loader:
                recon_batch, mu, logvar = model(data)
                test_loss += loss_function(recon_batch, data, mu, logvar).item()
        print(f"====> Test set loss: {test_loss / len(test_loader.dataset):.4f}")


if __name__ == "__main__":
    main()
