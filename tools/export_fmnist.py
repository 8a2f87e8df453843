"""Write the lab's 2000 Fashion-MNIST analysis images to public/data/fashion-mnist/.

The first 200 test images of each class, kept in test-set order, so the selection is fixed by the
data alone. Outputs: test2000-images.u8 (raw uint8 [2000, 28, 28], row-major, no header),
test2000-labels.u8 (uint8 [2000]), meta.json and README.md (provenance and licence).

    /usr/bin/python3 tools/export_fmnist.py
"""

import json
from pathlib import Path

import numpy as np

from fmnist_idx import CLASS_NAMES, LICENSE_FILE, read_images, read_labels

OUT_DIR = Path(__file__).resolve().parent.parent / "public" / "data" / "fashion-mnist"
PER_CLASS = 200
SOURCE = "Debian dataset-fashion-mnist t10k"


def select_indices(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Return the indices of the first per_class samples of each class, ascending."""
    chosen = [np.flatnonzero(labels == c)[:per_class] for c in range(len(CLASS_NAMES))]
    for c, rows in enumerate(chosen):
        assert rows.size == per_class, f"select_indices: class {c} has only {rows.size} samples"
    return np.sort(np.concatenate(chosen))


def main() -> None:
    images, labels = read_images("t10k"), read_labels("t10k")
    indices = select_indices(labels, PER_CLASS)
    count = indices.size

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "test2000-images.u8").write_bytes(np.ascontiguousarray(images[indices]).tobytes())
    (OUT_DIR / "test2000-labels.u8").write_bytes(labels[indices].tobytes())
    meta = {
        "count": int(count),
        "height": 28,
        "width": 28,
        "channels": 1,
        "classes": CLASS_NAMES,
        "source": SOURCE,
        "testIndices": [int(i) for i in indices],
    }
    (OUT_DIR / "meta.json").write_text(_one_field_per_line(meta))
    (OUT_DIR / "README.md").write_text(_readme(count))
    print(f"wrote {count} images to {OUT_DIR} (last test index {indices[-1]})")


def _one_field_per_line(record: dict) -> str:
    """JSON with one top-level field per line, so the 2000 indices do not take 2000 lines."""
    fields = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in record.items()]
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _readme(count: int) -> str:
    """README text: what the files are, how they were chosen, and the dataset's licence."""
    licence = LICENSE_FILE.read_text()
    return f"""# Fashion-MNIST analysis images

{count} images from the Fashion-MNIST **test** split (t10k), used by the lab for activations,
similarity and probes. They are never used for training: the bundled SwAV run trains on the
train split only.

## Files

| file | content |
| --- | --- |
| `test2000-images.u8` | raw uint8, {count} x 28 x 28, row-major, no header; 0 = black background |
| `test2000-labels.u8` | raw uint8, {count} labels, values 0..9 |
| `meta.json` | sizes, class names (label order), source, and `testIndices`: for each image its index in the original t10k files |

## How they were chosen

For each class 0..9, the first {PER_CLASS} test images with that label, in test-set order; the
union is kept in ascending test-index order (so classes are interleaved as in the original file).
Nothing random is involved. Reproduce with:

    /usr/bin/python3 tools/export_fmnist.py

## Provenance

Read from the Debian package `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist/`,
files `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`). Upstream:
Zalando Research, https://github.com/zalandoresearch/fashion-mnist (Xiao, Rasul and Vollgraf,
"Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms", 2017).

## Licence

Fashion-MNIST is released by Zalando SE under the MIT (Expat) licence. The Debian package's
copyright file (`{LICENSE_FILE}`) reads:

```
{licence.rstrip()}
```
"""


if __name__ == "__main__":
    main()
