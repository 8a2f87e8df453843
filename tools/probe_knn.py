"""Leave-one-out kNN accuracy of each checkpoint's encoder features on the 2000 analysis images.

A quick check that the run learned something: features are the encoder's pooled output [512],
L2-normalised; each image is classified by a cosine-similarity-weighted vote of its K nearest
other images. Chance is 10%.

    /usr/bin/python3 tools/probe_knn.py
"""

import argparse
from pathlib import Path

import torch
import torch.nn.functional as F

from lab_files import MODEL_DIR, normalize_input, read_analysis_set, read_manifest
from swav_model import load_half_checkpoint

# Neighbours per vote: 20, as the kNN monitor commonly paired with self-supervised runs.
K = 20
N_CLASSES = 10


def knn_accuracy(features: torch.Tensor, labels: torch.Tensor, k: int = K) -> float:
    """Leave-one-out accuracy for features [N, D] and labels int64 [N]."""
    unit = F.normalize(features, dim=1)
    similarity = unit @ unit.t()
    similarity.fill_diagonal_(-float("inf"))  # an image may not vote for itself
    top_similarity, top_index = similarity.topk(k, dim=1)
    votes = torch.zeros(features.shape[0], N_CLASSES)
    votes.scatter_add_(1, labels[top_index], top_similarity)
    return (votes.argmax(dim=1) == labels).float().mean().item()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=str(MODEL_DIR))
    model_dir = Path(parser.parse_args().model_dir)
    torch.set_num_threads(2)

    manifest = read_manifest(model_dir)
    mean, std = manifest["input"]["mean"][0], manifest["input"]["std"][0]
    images, labels = read_analysis_set()
    inputs = normalize_input(images, mean, std)

    print(f"leave-one-out {K}-NN on {len(labels)} test images, encoder pooled features")
    for checkpoint in manifest["checkpoints"]:
        model = load_half_checkpoint(model_dir / checkpoint["file"])
        with torch.no_grad():
            pooled = model.encoder(inputs)
            embedding, _ = model(inputs)
        print(f"step {checkpoint['step']:5d}: pooled {100 * knn_accuracy(pooled, labels):5.1f}%  "
              f"embedding {100 * knn_accuracy(embedding, labels):5.1f}%")


if __name__ == "__main__":
    main()
