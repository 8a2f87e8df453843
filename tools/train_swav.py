"""Train the bundled demo: SwAV from scratch on the Fashion-MNIST training images, on the CPU.

Writes checkpoints (float16 state dicts), train_log.csv (one row per optimiser step) and
manifest.json to public/models/fmnist-swav/. Semantics follow self_supervised's SWAV callback
(REFERENCE.md 3.5): two views per image, prototypes renormalised after each step, a shared queue
of crop-0 embeddings read once the run is past QUEUE_START_PCT.

    nice -n 10 /usr/bin/python3 tools/train_swav.py            # the demo run
    /usr/bin/python3 tools/train_swav.py --time-steps 10       # time steps, write nothing
"""

import argparse
import csv
import json
import math
import sys
import time
from pathlib import Path

import torch

from fmnist_idx import read_images
from swav_loss import (EPSILON, SINKHORN_ITERATIONS, TEMPERATURE, EmbeddingQueue,
                       swapped_prediction_loss)
from swav_model import (DEMO_LAYERS, DEMO_STEM_SIZES, N_PROTOTYPES, PROJECTION_SIZE,
                        count_parameters, create_swav_model)
from swav_views import AUGMENTATIONS, make_views

OUT_DIR = Path(__file__).resolve().parent.parent / "public" / "models" / "fmnist-swav"
SEED = 0
# The machine has 2 cores shared with other work; results are reproducible at this thread count.
THREADS = 2

BATCH_SIZE = 256
N_VIEWS = 2
# Chosen by timing: 0.25-0.30 s per step on an idle 2-core machine, so 15 epochs of 234 steps
# take about 17 minutes, inside a 25-minute budget. The bundled run shared its cores with other
# jobs and took 30 minutes.
TOTAL_STEPS = 3510
# fastai Adam defaults (fastai/optimizer.py): mom 0.9, sqr_mom 0.99, eps 1e-5, wd 0.01 decoupled,
# none on BN and bias parameters (wd_bn_bias=False).
ADAM_BETAS = (0.9, 0.99)
ADAM_EPS = 1e-5
WEIGHT_DECAY = 1e-2
# Peak LR for Adam on a BN network this small; fastai's div_final 1e5 for the cosine floor.
PEAK_LR = 4e-3
FINAL_LR_DIV = 1e5
WARMUP_STEPS = 100
# facebookresearch/swav's batch-256 scripts use a 3840-row queue (15 batches of 256).
QUEUE_LENGTH = 3840
# queue_start_pct of self_supervised's ImageWang SwAV example. A 400-step pilot that started
# the queue at 25% (the callback's default, LR near its peak) made the loss jump from 2.6 to 4.7
# and cut kNN accuracy: 15-step-old embeddings lag a fast-moving encoder.
QUEUE_START_PCT = 0.5
# Fractions of the run at which to checkpoint: dense early, where the pilot's loss fell
# fastest, and on both sides of the queue start. Ten float16 checkpoints of this model are
# about 29 MB, the size budget of the bundled run.
CHECKPOINT_FRACTIONS = (0.0, 0.01, 0.03, 0.07, 0.15, 0.3, 0.5, 0.6, 0.8, 1.0)


def main() -> None:
    args = _parse_args()
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)  # data order, views and queue init

    train_images = torch.from_numpy(read_images("train").copy()).unsqueeze(1)  # uint8 [N,1,28,28]
    mean, std = pixel_stats(train_images)
    steps_per_epoch = train_images.shape[0] // BATCH_SIZE  # the partial batch is dropped
    total_steps = args.time_steps or args.steps
    queue_start = queue_start_step(total_steps, QUEUE_START_PCT)
    checkpoint_steps = sorted({round(f * total_steps) for f in CHECKPOINT_FRACTIONS})
    print(f"mean {mean} std {std}; {total_steps} steps, {steps_per_epoch} per epoch; "
          f"queue from step {queue_start}; checkpoints {checkpoint_steps}", flush=True)

    model = create_swav_model()
    model.train()
    queue = EmbeddingQueue(QUEUE_LENGTH, PROJECTION_SIZE, generator)
    optimizer = _create_optimizer(model)
    out_dir = Path(args.out_dir)
    writing = not args.time_steps
    if writing:
        out_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(out_dir / "train_log.csv", "w", newline="")
        log = csv.writer(log_file)
        log.writerow(["step", "epoch", "loss", "lr", "queue_active"])
        _save_checkpoint(model, 0, out_dir)

    order = torch.empty(0, dtype=torch.long)
    started = time.time()
    for step in range(1, total_steps + 1):
        batch_in_epoch = (step - 1) % steps_per_epoch
        if batch_in_epoch == 0:
            order = torch.randperm(train_images.shape[0], generator=generator)
        rows = order[batch_in_epoch * BATCH_SIZE:(batch_in_epoch + 1) * BATCH_SIZE]
        lr = lr_at(step, total_steps)
        for group in optimizer.param_groups:
            group["lr"] = lr

        views = make_views(train_images[rows], N_VIEWS, generator, mean, std)
        embedding, scores = model(torch.cat(views))
        # self_supervised enqueues crop 0 before computing codes, so the queue already holds
        # this batch when it is read.
        queue.push(embedding[:BATCH_SIZE])
        queue_active = step >= queue_start
        queue_scores = None
        if queue_active:
            with torch.no_grad():
                queue_scores = model.prototypes(queue.rows)
        loss = swapped_prediction_loss(scores, BATCH_SIZE, N_VIEWS, queue_scores)
        assert torch.isfinite(loss), f"train_swav: loss {loss.item()} at step {step}"

        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        model.normalize_prototypes()

        if writing:
            epoch = round(step / steps_per_epoch, 4)
            log.writerow([step, epoch, repr(loss.item()), repr(lr), int(queue_active)])
            log_file.flush()
            if step in checkpoint_steps:
                _save_checkpoint(model, step, out_dir)
        if step % 50 == 0 or step == total_steps:
            elapsed = time.time() - started
            print(f"step {step} loss {loss.item():.4f} lr {lr:.2e} "
                  f"{elapsed / step:.3f} s/step", flush=True)

    wall_seconds = time.time() - started
    print(f"{total_steps} steps in {wall_seconds:.1f} s ({wall_seconds / total_steps:.3f} s/step)")
    if writing:
        log_file.close()
        manifest = _manifest(model, mean, std, total_steps, steps_per_epoch, queue_start,
                             checkpoint_steps, wall_seconds)
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def pixel_stats(images_u8: torch.Tensor):
    """Mean and population std of all pixels scaled to [0, 1], rounded to 4 decimals.

    Rounded so that the manifest, training and the lab all use the very same two numbers.
    """
    pixels = images_u8.double() / 255.0
    return round(pixels.mean().item(), 4), round(pixels.std(unbiased=False).item(), 4)


def queue_start_step(total_steps: int, start_pct: float) -> int:
    """First 1-based step whose codes use the queue: fastai's pct_train = (step - 1) / total
    must exceed start_pct (self_supervised `_compute_codes`)."""
    return math.floor(start_pct * total_steps) + 2


def lr_at(step: int, total_steps: int) -> float:
    """LR for 1-based step: linear warmup to PEAK_LR over WARMUP_STEPS, then cosine down to
    PEAK_LR / FINAL_LR_DIV at the last step."""
    if step <= WARMUP_STEPS:
        return PEAK_LR * step / WARMUP_STEPS
    final = PEAK_LR / FINAL_LR_DIV
    progress = (step - WARMUP_STEPS) / (total_steps - WARMUP_STEPS)
    return final + (PEAK_LR - final) * 0.5 * (1.0 + math.cos(math.pi * progress))


def checkpoint_name(step: int) -> str:
    """File name of the checkpoint taken after `step` optimiser steps."""
    return f"swav_fmnist_step{step:05d}.pth"


def _create_optimizer(model: torch.nn.Module) -> torch.optim.AdamW:
    """torch AdamW, which is fastai's Adam with decoupled wd: same moments, debiasing and eps
    placement. Vectors (BN gamma/beta, biases) get no weight decay."""
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() <= 1]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY},
         {"params": no_decay, "weight_decay": 0.0}],
        lr=PEAK_LR, betas=ADAM_BETAS, eps=ADAM_EPS,
    )


def _save_checkpoint(model, step: int, out_dir: Path) -> None:
    torch.save(model.state_dict_in_half(), out_dir / checkpoint_name(step))


def _manifest(model, mean, std, total_steps, steps_per_epoch, queue_start, checkpoint_steps,
              wall_seconds) -> dict:
    data = "../../data/fashion-mnist"
    return {
        "name": "fmnist-swav",
        "description": (
            "SwAV trained from scratch on the 60000 Fashion-MNIST training images "
            f"({total_steps} steps, batch {BATCH_SIZE}, 2 views of 28x28) with a small "
            "fastai-style XResNet; checkpoints are float16 state dicts."
        ),
        "dataset": {
            "name": "Fashion-MNIST",
            "train": "Debian dataset-fashion-mnist train-images-idx3-ubyte",
            "analysisImages": f"{data}/test2000-images.u8",
            "analysisLabels": f"{data}/test2000-labels.u8",
            "analysisMeta": f"{data}/meta.json",
        },
        "input": {"height": 28, "width": 28, "channels": 1, "mean": [mean], "std": [std]},
        "architecture": {
            "family": "xresnet",
            "expansion": 1,
            "layers": list(DEMO_LAYERS),
            "stemSizes": list(DEMO_STEM_SIZES),
            "blockSizes": [64, 32, 64, 128, 256],
            "pool": "catavgmax",
            "encoderParams": count_parameters(model.encoder),
        },
        "swav": {
            "nPrototypes": N_PROTOTYPES,
            "temperature": TEMPERATURE,
            "epsilon": EPSILON,
            "sinkhornIterations": SINKHORN_ITERATIONS,
            "queueLength": QUEUE_LENGTH,
            "queueStartStep": queue_start,
            "views": N_VIEWS,
            "batchSize": BATCH_SIZE,
            "optimizer": (
                f"AdamW (fastai Adam): decoupled weight decay, betas {list(ADAM_BETAS)}, "
                f"eps {ADAM_EPS}, no decay on BatchNorm and bias parameters"
            ),
            "lr": PEAK_LR,
            "lrSchedule": (
                f"linear warmup from {PEAK_LR / WARMUP_STEPS:g} to {PEAK_LR:g} over steps "
                f"1..{WARMUP_STEPS}, then cosine to {PEAK_LR / FINAL_LR_DIV:g} at step "
                f"{total_steps}"
            ),
            "weightDecay": WEIGHT_DECAY,
            "totalSteps": total_steps,
            "stepsPerEpoch": steps_per_epoch,
            "seed": SEED,
            "augmentations": AUGMENTATIONS,
        },
        "checkpoints": [
            {"file": checkpoint_name(s), "step": s, "epoch": round(s / steps_per_epoch, 4)}
            for s in checkpoint_steps
        ],
        "log": "train_log.csv",
        "events": [
            {"step": WARMUP_STEPS, "kind": "warmup_end", "label": "LR warmup ends"},
            {"step": queue_start, "kind": "queue_start", "label": "queue starts"},
        ],
        "reference": "reference.safetensors",
        "tool": "tools/train_swav.py",
        "command": "nice -n 10 /usr/bin/python3 " + " ".join(["tools/train_swav.py", *sys.argv[1:]]),
        "run": {
            "wallSeconds": round(wall_seconds, 1),
            "threads": THREADS,
            "torch": torch.__version__,
        },
    }


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=TOTAL_STEPS, help="optimiser steps")
    parser.add_argument("--out-dir", default=str(OUT_DIR), help="where the run's files go")
    parser.add_argument("--time-steps", type=int, default=0,
                        help="run this many steps to time them and write nothing")
    return parser.parse_args()


if __name__ == "__main__":
    main()
