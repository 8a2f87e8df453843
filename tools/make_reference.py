"""Write reference.safetensors: PyTorch outputs of every shipped checkpoint on 4 fixed images.

For the lab's golden tests (tfjs must match these to about 1e-4). Each checkpoint is loaded back
from its .pth file and upcast to float32, so the numbers are those of the weights as saved, and
run in eval mode (BatchNorm uses running statistics). Tensors, all float32:

    input                 [4, 1, 28, 28]  first 4 analysis images, (u8 / 255 - mean) / std
    step{NNNNN}/stem      [4, 64, 7, 7]   output of encoder.3 (stem max-pool), NCHW
    step{NNNNN}/stage1..4 NCHW outputs of encoder.4 .. encoder.7
    step{NNNNN}/pooled    [4, 512]        encoder output ([max, avg] pool, flattened)
    step{NNNNN}/projector [4, 128]        projector output before L2 normalisation
    step{NNNNN}/embedding [4, 128]        L2-normalised projector output
    step{NNNNN}/scores    [4, 100]        prototype scores of the embedding

    /usr/bin/python3 tools/make_reference.py
"""

import argparse
from pathlib import Path

import torch
import torch.nn.functional as F

from lab_files import MODEL_DIR, normalize_input, read_analysis_set, read_manifest
from safetensors_io import read_safetensors, write_safetensors
from swav_model import load_half_checkpoint

N_IMAGES = 4
STAGE_NAMES = {3: "stem", 4: "stage1", 5: "stage2", 6: "stage3", 7: "stage4"}


def reference_outputs(model, inputs: torch.Tensor) -> dict:
    """Named intermediate outputs of an eval-mode SwAVModel for inputs [N, 1, 28, 28]."""
    outputs = {}
    with torch.no_grad():
        x = inputs
        for index, child in enumerate(model.encoder):
            x = child(x)
            if index in STAGE_NAMES:
                outputs[STAGE_NAMES[index]] = x.clone()  # later ReLUs run in place
        outputs["pooled"] = x
        outputs["projector"] = model.projector(x)
        outputs["embedding"] = F.normalize(outputs["projector"], dim=1)
        outputs["scores"] = model.prototypes(outputs["embedding"])

        embedding, scores = model(inputs)
        assert torch.equal(embedding, outputs["embedding"]) and torch.equal(scores, outputs["scores"]), (
            "reference_outputs: step-by-step outputs differ from SwAVModel.forward"
        )
    return outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=str(MODEL_DIR))
    model_dir = Path(parser.parse_args().model_dir)
    torch.set_num_threads(2)

    manifest = read_manifest(model_dir)
    mean, std = manifest["input"]["mean"][0], manifest["input"]["std"][0]
    images, _ = read_analysis_set()
    inputs = normalize_input(images[:N_IMAGES], mean, std)

    tensors = {"input": inputs.numpy()}
    for checkpoint in manifest["checkpoints"]:
        model = load_half_checkpoint(model_dir / checkpoint["file"])
        prefix = f"step{checkpoint['step']:05d}"
        for name, value in reference_outputs(model, inputs).items():
            tensors[f"{prefix}/{name}"] = value.numpy()

    path = model_dir / manifest["reference"]
    metadata = {
        "format": "pt",
        "layout": "NCHW",
        "input": f"analysis images 0..{N_IMAGES - 1}, (u8 / 255 - {mean}) / {std}, float32",
        "mode": "eval (BatchNorm running statistics), float16 checkpoints upcast to float32",
        "torch": torch.__version__,
    }
    write_safetensors(path, tensors, metadata)

    reread, _ = read_safetensors(path)
    assert sorted(reread) == sorted(tensors), "make_reference: tensor names changed on re-read"
    for name, value in tensors.items():
        assert (reread[name] == value).all(), f"make_reference: {name} changed on re-read"
    print(f"wrote {len(tensors)} tensors for {len(manifest['checkpoints'])} checkpoints to {path} "
          f"({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
