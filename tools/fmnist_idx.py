"""Read Fashion-MNIST from the Debian package dataset-fashion-mnist (idx files, gzipped).

Nothing here downloads: the files come from `apt-get install dataset-fashion-mnist`.
"""

import gzip
import struct
from pathlib import Path

import numpy as np

# Where the Debian package dataset-fashion-mnist installs the four idx archives.
DATASET_DIR = Path("/usr/share/datasets/fashion-mnist")
LICENSE_FILE = Path("/usr/share/doc/dataset-fashion-mnist/copyright")

# Label order of the original release (zalandoresearch/fashion-mnist README, "Labels").
CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

# idx magic numbers: 0x0803 = unsigned byte, 3 dims; 0x0801 = unsigned byte, 1 dim.
_IMAGES_MAGIC = 0x00000803
_LABELS_MAGIC = 0x00000801


def read_images(split: str) -> np.ndarray:
    """Return the split's images as uint8 [count, 28, 28]; split is "train" or "t10k"."""
    raw = gzip.decompress((DATASET_DIR / f"{split}-images-idx3-ubyte.gz").read_bytes())
    magic, count, height, width = struct.unpack(">4I", raw[:16])
    assert magic == _IMAGES_MAGIC, f"read_images({split}): magic {magic:#x}, expected 0x803"
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16)
    assert pixels.size == count * height * width, (
        f"read_images({split}): {pixels.size} bytes for {count}x{height}x{width}"
    )
    return pixels.reshape(count, height, width)


def read_labels(split: str) -> np.ndarray:
    """Return the split's labels as uint8 [count], values 0..9 in CLASS_NAMES order."""
    raw = gzip.decompress((DATASET_DIR / f"{split}-labels-idx1-ubyte.gz").read_bytes())
    magic, count = struct.unpack(">2I", raw[:8])
    assert magic == _LABELS_MAGIC, f"read_labels({split}): magic {magic:#x}, expected 0x801"
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8)
    assert labels.size == count, f"read_labels({split}): {labels.size} labels, header says {count}"
    return labels
