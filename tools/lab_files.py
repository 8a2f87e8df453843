"""Paths of the bundled demo files and readers for the ones the tools read back."""

import json
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "public" / "models" / "fmnist-swav"
DATA_DIR = ROOT / "public" / "data" / "fashion-mnist"


def read_manifest(model_dir: Path = MODEL_DIR) -> dict:
    """The run's manifest.json as a dict."""
    return json.loads((Path(model_dir) / "manifest.json").read_text())


def read_analysis_set(data_dir: Path = DATA_DIR):
    """Return (images uint8 [N, 1, 28, 28], labels int64 [N]) from the shipped .u8 files."""
    meta = json.loads((Path(data_dir) / "meta.json").read_text())
    shape = (meta["count"], meta["channels"], meta["height"], meta["width"])
    images = np.fromfile(Path(data_dir) / "test2000-images.u8", dtype=np.uint8)
    labels = np.fromfile(Path(data_dir) / "test2000-labels.u8", dtype=np.uint8)
    assert images.size == np.prod(shape) and labels.size == shape[0], (
        f"read_analysis_set: {images.size} pixels and {labels.size} labels for {shape}"
    )
    return torch.from_numpy(images.reshape(shape)), torch.from_numpy(labels.astype(np.int64))


def normalize_input(images_u8: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """float32 network input [N, 1, H, W]: (u8 / 255 - mean) / std, every step in float32.

    The same arithmetic as training (swav_views.make_views), so the lab can repeat it exactly.
    """
    return (images_u8.float() / 255.0 - mean) / std
