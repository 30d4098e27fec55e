"""PyTorch's type objects for eager: dtypes (`eager.types.dtypes`), ``torch.Size``
(`eager.types.size`) and the legacy tensor types (`eager.types.legacy`, ``FloatTensor``...).

The package imports nothing itself, so that eager's Tensor can import the dtypes below it.
"""
