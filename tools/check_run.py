"""Sanity checks on the bundled run in public/models/fmnist-swav/; exits non-zero on a failure.

Checks: one log row per optimiser step 1..totalSteps with finite losses, queue_active switching
on at queueStartStep; every checkpoint loads with torch.load, holds only float16 tensors and
int64 BN counters under the expected keys; the reference file holds every checkpoint; the
folder stays within its size budget.

    /usr/bin/python3 tools/check_run.py
"""

import argparse
import csv
import math
from pathlib import Path

import torch

from lab_files import MODEL_DIR, read_manifest
from safetensors_io import read_safetensors
from swav_model import create_swav_model

# The brief's budget for the bundled run (checkpoints, log, reference, manifest).
MAX_FOLDER_BYTES = 31_000_000
# Window for the loss summary; about half an epoch of 234 steps.
LOSS_WINDOW = 100
REFERENCE_OUTPUTS = ("stem", "stage1", "stage2", "stage3", "stage4", "pooled", "projector",
                     "embedding", "scores")


def check_log(model_dir: Path, manifest: dict) -> None:
    with open(model_dir / manifest["log"], newline="") as log_file:
        rows = list(csv.DictReader(log_file))
    total, queue_start = manifest["swav"]["totalSteps"], manifest["swav"]["queueStartStep"]
    assert [int(r["step"]) for r in rows] == list(range(1, total + 1)), "log: steps are not 1..T"
    losses = [float(r["loss"]) for r in rows]
    assert all(math.isfinite(x) for x in losses), "log: a loss is NaN or infinite"
    active = [int(r["queue_active"]) for r in rows]
    assert active == [int(s >= queue_start) for s in range(1, total + 1)], "log: queue_active"
    print(f"log: {len(rows)} rows, loss {losses[0]:.4f} -> {losses[-1]:.4f}, "
          f"min {min(losses):.4f}")
    _print_loss_shape(losses, queue_start)


def _print_loss_shape(losses: list, queue_start: int) -> None:
    """Print window means of the raw loss and where it rose or fell fastest (for the README)."""
    window = LOSS_WINDOW
    means = [sum(losses[i:i + window]) / window for i in range(0, len(losses) - window + 1, window)]
    print("  mean loss per", window, "steps:",
          " ".join(f"{i * window + 1}-{(i + 1) * window}:{m:.3f}" for i, m in enumerate(means)))
    changes = [(means[i + 1] - means[i], i) for i in range(len(means) - 1)]
    fall, fall_at = min(changes)
    rise, rise_at = max(changes)
    print(f"  steepest fall {fall:+.3f} into steps {(fall_at + 1) * window + 1}-"
          f"{(fall_at + 2) * window}; steepest rise {rise:+.3f} into steps "
          f"{(rise_at + 1) * window + 1}-{(rise_at + 2) * window}")
    after = losses[queue_start - 1:queue_start - 1 + 4 * window]
    peak = max(range(len(after)), key=after.__getitem__)
    print(f"  after the queue starts (step {queue_start}): max loss {after[peak]:.4f} "
          f"at step {queue_start + peak}")


def check_checkpoints(model_dir: Path, manifest: dict) -> None:
    expected = create_swav_model().state_dict()
    steps = [c["step"] for c in manifest["checkpoints"]]
    assert steps[0] == 0 and steps[-1] == manifest["swav"]["totalSteps"], f"checkpoints {steps}"
    for checkpoint in manifest["checkpoints"]:
        saved = torch.load(model_dir / checkpoint["file"], map_location="cpu")
        assert list(saved) == list(expected), f"{checkpoint['file']}: keys differ"
        for key, value in saved.items():
            want = torch.int64 if key.endswith("num_batches_tracked") else torch.float16
            assert value.dtype == want, f"{checkpoint['file']}: {key} is {value.dtype}"
            assert value.shape == expected[key].shape, f"{checkpoint['file']}: {key} shape"
            if value.is_floating_point():
                assert torch.isfinite(value.float()).all(), f"{checkpoint['file']}: {key} not finite"
        tracked = saved["encoder.0.1.num_batches_tracked"].item()
        assert tracked == checkpoint["step"], f"{checkpoint['file']}: BN tracked {tracked} batches"
    print(f"checkpoints: {len(steps)} load back, steps {steps}")


def check_reference(model_dir: Path, manifest: dict) -> None:
    tensors, _ = read_safetensors(model_dir / manifest["reference"])
    names = {"input"} | {f"step{c['step']:05d}/{o}" for c in manifest["checkpoints"]
                         for o in REFERENCE_OUTPUTS}
    assert set(tensors) == names, f"reference: names differ: {sorted(set(tensors) ^ names)[:5]}"
    print(f"reference: {len(tensors)} tensors")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=str(MODEL_DIR))
    model_dir = Path(parser.parse_args().model_dir)
    manifest = read_manifest(model_dir)
    check_log(model_dir, manifest)
    check_checkpoints(model_dir, manifest)
    check_reference(model_dir, manifest)
    folder_bytes = sum(p.stat().st_size for p in model_dir.iterdir())
    assert folder_bytes <= MAX_FOLDER_BYTES, f"folder is {folder_bytes} bytes"
    print(f"folder: {folder_bytes} bytes")


if __name__ == "__main__":
    main()
