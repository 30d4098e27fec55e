"""``eager.nn``: Modules, layers, losses, initialization and the functional API, with
PyTorch's names, arguments, defaults and printing.

    >>> import eager.nn as nn
    >>> nn.Linear(10, 5)
    Linear(in_features=10, out_features=5, bias=True)
"""

from . import functional, init, utils
from .activation import (
    ELU,
    GELU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from .activation_more import (
    CELU,
    GLU,
    Hardshrink,
    Hardsigmoid,
    Hardswish,
    PReLU,
    Softmax2d,
    Softmin,
    Softshrink,
    Softsign,
    Tanhshrink,
    Threshold,
)
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .bilinear import Bilinear
from .containers import ModuleDict, ModuleList, Sequential
from .conv import Conv2d
from .conv1d import Conv1d
from .conv_transpose import ConvTranspose1d, ConvTranspose2d
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d
from .embedding import Embedding
from .embedding_bag import EmbeddingBag
from .fold import Fold, Unfold
from .group_norm import GroupNorm
from .instance_norm import InstanceNorm1d, InstanceNorm2d
from .linear import Flatten, Identity, Linear, NonDynamicallyQuantizableLinear, Unflatten
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .loss_more import (
    CosineEmbeddingLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    MarginRankingLoss,
    MultiLabelSoftMarginLoss,
    PoissonNLLLoss,
    SoftMarginLoss,
    TripletMarginLoss,
)
from .margin_lrn import LocalResponseNorm, MultiLabelMarginLoss, MultiMarginLoss
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import LayerNorm
from .padding import (
    CircularPad1d,
    CircularPad2d,
    ConstantPad1d,
    ConstantPad2d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReplicationPad1d,
    ReplicationPad2d,
    ZeroPad1d,
    ZeroPad2d,
)
from .parameter import Parameter
from .parameter_containers import ParameterDict, ParameterList
from .pooling import AvgPool2d, MaxPool2d
from .pooling_1d_adaptive import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    MaxPool1d,
)
from .rms_norm import RMSNorm
from .rnn import GRU, LSTM, RNN, RNNBase
from .rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
from .transformer import Transformer, TransformerDecoder, TransformerEncoder
from .transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer
from .upsampling import (
    PixelShuffle,
    PixelUnshuffle,
    Upsample,
    UpsamplingBilinear2d,
    UpsamplingNearest2d,
)

__all__ = [
    "functional", "init", "utils",  # the submodules, then the layers
    "Module", "Parameter", "Sequential", "ModuleList",
    "ModuleDict", "ParameterList", "ParameterDict", "Linear", "Identity", "Flatten",
    "Unflatten", "NonDynamicallyQuantizableLinear", "Conv2d", "MaxPool2d", "AvgPool2d",
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "Embedding", "LayerNorm", "BatchNorm1d",
    "BatchNorm2d", "BatchNorm3d", "RNNCell", "GRUCell", "LSTMCell", "RNNCellBase", "ReLU",
    "ReLU6", "Sigmoid",
    "Tanh", "GELU", "SiLU", "Mish", "LeakyReLU", "ELU", "SELU", "Softplus", "Hardtanh",
    "LogSigmoid", "Softmax", "LogSoftmax", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss",
    "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss",
    "CosineSimilarity", "PairwiseDistance", "MultiheadAttention", "TransformerEncoderLayer",
    "TransformerEncoder", "TransformerDecoderLayer", "TransformerDecoder", "Transformer",
    "RNNBase", "RNN", "GRU", "LSTM", "Conv1d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool1d",
    "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "ConvTranspose2d", "GroupNorm",
    "PReLU", "Softmin", "Softsign", "Hardswish", "Hardsigmoid", "GLU", "Threshold", "CELU",
    "Softshrink", "Hardshrink", "Tanhshrink", "Softmax2d", "InstanceNorm1d", "InstanceNorm2d",
    "ZeroPad1d", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ReflectionPad1d",
    "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d", "CircularPad1d", "CircularPad2d",
    "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle",
    "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
    "CosineEmbeddingLoss", "TripletMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss", "RMSNorm",
    "EmbeddingBag", "Unfold", "Fold", "Bilinear",
    "ConvTranspose1d", "MultiMarginLoss", "MultiLabelMarginLoss", "LocalResponseNorm",
]

# Issue 16's layers: 3-d convolution and pooling.
from .conv3d import Conv3d, ConvTranspose3d  # noqa: E402
from .pooling_3d import AdaptiveAvgPool3d, AdaptiveMaxPool3d, AvgPool3d, MaxPool3d  # noqa: E402

__all__ += ["Conv3d", "ConvTranspose3d", "MaxPool3d", "AvgPool3d", "AdaptiveAvgPool3d",
            "AdaptiveMaxPool3d"]

# Issue 16's lazy modules.
from .lazy import (  # noqa: E402
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyBatchNorm3d,
    LazyConv1d,
    LazyConv2d,
    LazyConv3d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyConvTranspose3d,
    LazyLinear,
    UninitializedBuffer,
    UninitializedParameter,
)

__all__ += ["LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d", "LazyConvTranspose1d",
            "LazyConvTranspose2d", "LazyConvTranspose3d", "LazyBatchNorm1d", "LazyBatchNorm2d",
            "LazyBatchNorm3d", "UninitializedParameter", "UninitializedBuffer"]

# Issue 16's CTC loss.
from .loss_ctc import CTCLoss  # noqa: E402

__all__ += ["CTCLoss"]

# Max unpooling (issue 16, F18).
from .unpooling import MaxUnpool1d, MaxUnpool2d, MaxUnpool3d  # noqa: E402

__all__ += ["MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d"]

# Self-normalizing networks' random layers (issue 16, F18).
from .activation_rrelu import RReLU  # noqa: E402
from .dropout import AlphaDropout, FeatureAlphaDropout  # noqa: E402

__all__ += ["AlphaDropout", "FeatureAlphaDropout", "RReLU"]

# 3-d paddings and instance norm (issue 16, F18).
from .instance_norm import InstanceNorm3d  # noqa: E402
from .padding import (  # noqa: E402
    CircularPad3d,
    ConstantPad3d,
    ReflectionPad3d,
    ReplicationPad3d,
    ZeroPad3d,
)

__all__ += ["InstanceNorm3d", "ConstantPad3d", "ZeroPad3d", "ReflectionPad3d",
            "ReplicationPad3d", "CircularPad3d"]

# Issue 16's pooling, loss and shuffle layers (F18).
from .channel_shuffle import ChannelShuffle  # noqa: E402
from .loss_more import TripletMarginWithDistanceLoss  # noqa: E402
from .pooling_lp import LPPool1d, LPPool2d, LPPool3d  # noqa: E402

__all__ += ["ChannelShuffle", "TripletMarginWithDistanceLoss", "LPPool1d", "LPPool2d",
            "LPPool3d"]

# Issue 16's module machinery: Buffer, PyTorch's nn.modules / nn.common_types paths.
from . import common_types, modules  # noqa: E402
from .parameter import Buffer  # noqa: E402

__all__ += ["Buffer", "modules", "common_types"]

# The adaptive softmax of the word-language-model example (issue 16, F18).
from .adaptive import AdaptiveLogSoftmaxWithLoss  # noqa: E402

__all__ += ["AdaptiveLogSoftmaxWithLoss"]

# Issue 16's data-parallel wrappers (as torch's on a machine without accelerators).
from . import parallel  # noqa: E402
from .parallel import DataParallel  # noqa: E402

__all__ += ["parallel", "DataParallel"]
from .parallel.sync_batchnorm import SyncBatchNorm  # noqa: E402

__all__ += ["SyncBatchNorm"]

# Fractional max pooling (issue 16, F18).
from .pooling_fractional import FractionalMaxPool2d, FractionalMaxPool3d  # noqa: E402

__all__ += ["FractionalMaxPool2d", "FractionalMaxPool3d"]
