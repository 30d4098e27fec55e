"""``eager.hub``, ``torch.hub``: the cache of downloaded weights, as PyTorch keeps it.

`get_dir` is PyTorch's directory (``$TORCH_HOME/hub``, by default ``~/.cache/torch/hub``), so
weights PyTorch already downloaded are found. `load_state_dict_from_url` reads
``<hub dir>/checkpoints/<file name>`` when it is there and downloads it first otherwise
(`download_url_to_file`, which fails as PyTorch's does where there is no network), then
loads it with `eager.load` (which never unpickles: tensors and state dicts only).

`load`, `list` and `help` would import the repository's ``hubconf.py`` and run its code:
eager never runs code read from a file, so they refuse with a clear error.

    >>> import os
    >>> get_dir() == os.path.join(os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(
    ...     os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch"))), "hub")
    True
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import uuid
import warnings
from typing import Any
from urllib.parse import urlparse
from urllib.request import Request, urlopen

_hub_dir: str | None = None
# A file name's hash prefix, as in resnet18-5c106cde.pth (check_hash=True compares it).
_HASH_IN_NAME = re.compile(r"-([a-f0-9]*)\.")
_CHUNK = 8192


def _torch_home() -> str:
    default = os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"), "torch")
    return os.path.expanduser(os.getenv("TORCH_HOME", default))


def get_dir() -> str:
    """The hub cache directory: the one `set_dir` chose, else ``$TORCH_HOME/hub``."""
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead",
                      stacklevel=2)
    if _hub_dir is not None:
        return _hub_dir
    return os.path.join(_torch_home(), "hub")


def set_dir(d: str | os.PathLike) -> None:
    """Use ``d`` as the hub cache directory from now on."""
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


def download_url_to_file(url: str, dst: str, hash_prefix: str | None = None,
                         progress: bool = True) -> None:
    """Download ``url`` to ``dst`` (through a temporary file, moved into place when complete
    and, with ``hash_prefix``, when its SHA-256 starts with it). ``progress`` is accepted; no
    progress bar is drawn."""
    dst = os.path.expanduser(dst)
    partial = f"{dst}.{uuid.uuid4().hex}.partial"
    try:
        with urlopen(Request(url, headers={"User-Agent": "torch.hub"})) as response, \
                open(partial, "wb") as out:
            digest = hashlib.sha256()
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                digest.update(chunk)
        if hash_prefix is not None and not digest.hexdigest().startswith(hash_prefix):
            raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got '
                               f'"{digest.hexdigest()}")')
        shutil.move(partial, dst)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location: Any = None,
                             progress: bool = True, check_hash: bool = False,
                             file_name: str | None = None, weights_only: bool = False) -> Any:
    """The object saved at ``url``, from the hub's ``checkpoints`` cache (downloaded there
    first when missing), loaded by `eager.load` with ``map_location`` and ``weights_only``."""
    from .serialization import load  # eager.serialization imports the tensor machinery

    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        sys.stderr.write(f'Downloading: "{url}" to {cached_file}\n')
        match = _HASH_IN_NAME.search(filename) if check_hash else None
        download_url_to_file(url, cached_file, match.group(1) if match else None,
                             progress=progress)
    return load(cached_file, map_location=map_location, weights_only=weights_only)


def _runs_hubconf(what: str) -> RuntimeError:
    return RuntimeError(f"hub.{what}: this would import the repository's hubconf.py and run "
                        "its code; eager never runs code read from a file. Build the model "
                        "from its class and load its weights with "
                        "hub.load_state_dict_from_url or eager.load")


def load(repo_or_dir: str, model: str, *args: Any, source: str = "github",
         trust_repo: Any = None, force_reload: bool = False, verbose: bool = True,
         skip_validation: bool = False, **kwargs: Any) -> Any:
    """``torch.hub.load``: refused (see the module docstring)."""
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    raise _runs_hubconf("load")


def list(github: str, force_reload: bool = False, skip_validation: bool = False,  # noqa: A001
         trust_repo: Any = None, verbose: bool = True) -> Any:
    """``torch.hub.list``: refused (see the module docstring)."""
    raise _runs_hubconf("list")


def help(github: str, model: str, force_reload: bool = False,  # noqa: A001
         skip_validation: bool = False, trust_repo: Any = None) -> Any:
    """``torch.hub.help``: refused (see the module docstring)."""
    raise _runs_hubconf("help")


__all__ = ["download_url_to_file", "get_dir", "help", "list", "load",
           "load_state_dict_from_url", "set_dir"]
