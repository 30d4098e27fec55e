"""The image programs print the same under torch and with only their imports changed to
eager's (issue 16): the pytorch/examples DCGAN and fast-neural-style network, a CIFAR-style
ResNet (BatchNorm, Nesterov SGD, a cosine schedule, a save/load round trip), and a small vision
transformer (Unfold patches, TransformerEncoder, AdamW with a LambdaLR warmup, SWA), and the
siamese-network and super-resolution examples (triplet and contrastive losses, bicubic
interpolation, PixelShuffle, orthogonal init), a tiny U-Net (ConvTranspose2d skips, BCE with
pos_weight plus Dice, RMSprop), SimCLR's NT-Xent loss with knowledge distillation (KLDivLoss
with temperature and log_target), mixup with CosineAnnealingWarmRestarts, a tiny DDPM
(cumprod schedule, gathered coefficients, ancestral sampling) and a PointNet (T-Net with bmm,
Conv1d shared MLPs, max pooling over points), CycleGAN's step (ReflectionPad2d,
InstanceNorm2d, LSGAN and cycle losses, an image pool, LambdaLR decay), and a capsule layer
with dynamic routing (squash, broadcast matmul, margin loss), a convolutional autoencoder
with a learning-rate range test (param_groups edited per batch, state dicts restored), and an
SN-GAN (spectral_norm in both forms, hinge losses), and a SegNet-style encoder-decoder
(MaxUnpool2d, ceil-mode average pooling, ChannelShuffle, AlphaDropout, RReLU, LPPool2d), and
modern blocks: ConvNeXt (a hand-written channels-first LayerNorm, depthwise 7x7, layer scale,
DropPath by rand/floor_), MobileNetV2 inverted residuals (ReLU6, OneCycleLR), Swin window
attention (window partition, roll shifts, a gathered relative position bias, -100 masks) and
MLP-Mixer (token mixing by Conv1d, a BytesIO state_dict round trip), and StyleGAN2's
modulated convolution (demodulation as one grouped conv2d, equalized learning rate, noise
injection, minibatch stddev, an R1 penalty), and BiT's weight-standardized convolutions
(var_mean) in GroupNorm pre-activation bottlenecks with CBAM channel and spatial attention,
and a masked autoencoder (argsort random masking, gathers with ids_restore, sin-cos positions
in a frozen Parameter, a loss over the removed patches only), and augmentation written with
tensor ops (reflect-padded crops, per-sample flips by where, affine_grid/grid_sample warps,
cutout, interpolate) with test-time augmentation, and DINO self-distillation (multi-crop
with antialiased interpolate, weight_norm's last layer, a teacher moved by _foreach_mul_ and
_foreach_add_, an EMA centre and teacher temperature warmup), and a diffusion U-Net (sinusoidal
timesteps, GroupNorm with AdaGN scale-shift, zero-initialized convs, pixel attention by einsum,
activation checkpointing, an EMA by lerp_), and EfficientNet MBConv blocks (squeeze-and-
excitation, stochastic depth, a classifier head whose in-place Dropout writes through
Flatten's view of the pooled features)."""

from __future__ import annotations

import pytest
from program_runner import check_program

pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["dcgan", "fast_neural_style", "cifar_resnet",
                                  "vision_transformer", "siamese_and_super_resolution",
                                  "unet_segmentation", "contrastive_distillation",
                                  "mixup_warm_restarts", "ddpm_tiny", "pointnet", "cyclegan_losses",
                                  "capsule_routing", "autoencoder_lr_finder",
                                  "sngan_hinge", "segnet_unpool_inception",
                                  "convnext_tiny", "mobilenetv2_blocks",
                                  "swin_window_attention", "mlp_mixer",
                                  "stylegan_modulated_conv", "bit_stdconv_cbam",
                                  "mae_random_masking", "tensor_augment_stn",
                                  "dino_ema_foreach", "diffusion_unet_adagn",
                                  "efficientnet_mbconv"])
def test_program_prints_the_same_under_eager(name, tmp_path):
    check_program(name, tmp_path)
