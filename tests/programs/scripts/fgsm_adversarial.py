"""The FGSM tutorial on a small classifier: gradients with respect to the input
(requires_grad on data), data.grad.data.sign(), clamped perturbed images, accuracy per epsilon,
and an iterated PGD variant projecting back into the epsilon ball."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(31)
data_all = torch.rand(64, 1, 6, 6)
target_all = (data_all[:, 0, :3].mean((1, 2)) > data_all[:, 0, 3:].mean((1, 2))).long()
model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for _ in range(40):
    loss = F.cross_entropy(model(data_all), target_all)
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
print(f"trained loss {loss.item():.4f}")


def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    return torch.clamp(perturbed_image, 0, 1)


for epsilon in [0, 0.05, 0.1, 0.2]:
    correct = 0
    examples = []
    for data, target in zip(data_all.split(16), target_all.split(16), strict=True):
        data.requires_grad = True
        output = model(data)
        loss = F.nll_loss(F.log_softmax(output, dim=1), target)
        model.zero_grad()
        loss.backward()
        data_grad = data.grad.data
        perturbed = fgsm_attack(data, epsilon, data_grad)
        final_pred = model(perturbed).max(1, keepdim=True)[1]
        correct += final_pred.squeeze(1).eq(target).sum().item()
        adv_ex = perturbed.squeeze().detach().cpu().numpy()
        examples.append(adv_ex.shape)
    final_acc = correct / float(len(data_all))
    print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {len(data_all)} = {final_acc}",
          examples[0])

x_adv = data_all.clone().detach()
for _ in range(5):
    x_adv.requires_grad_(True)
    loss = F.cross_entropy(model(x_adv), target_all)
    grad, = torch.autograd.grad(loss, [x_adv])
    x_adv = x_adv.detach() + 0.02 * grad.sign()
    x_adv = torch.min(torch.max(x_adv, data_all - 0.1), data_all + 0.1).clamp(0, 1)
acc = (model(x_adv).argmax(1) == target_all).float().mean().item()
print(f"pgd acc {acc:.4f} max delta {(x_adv - data_all).abs().max().item():.4f}")
