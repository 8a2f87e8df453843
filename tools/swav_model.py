"""Pure-torch replica of the fastai 2.x XResNet blocks and the self_supervised SwAV model.

fastai is not installable here, so the module tree is rebuilt by hand with the same nesting,
which gives the same state_dict keys (REFERENCE.md 3.1-3.4). Mirrors fastai/layers.py
(ConvLayer, ResBlock, AdaptiveConcatPool2d), fastai/vision/models/xresnet.py (XResNet,
init_cnn) and self_supervised/vision/swav.py (SwAVModel, create_swav_model).

Run it alone to print the demo architecture's parameter counts:
    /usr/bin/python3 tools/swav_model.py
"""

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

# The demo encoder (fixed: the TypeScript side is written against it). fastai's XResNet widths
# [64, 128, 256, 512] times widen, with 64 // expansion in front.
DEMO_IN_CHANNELS = 1
DEMO_STEM_SIZES = (16, 16, 64)
DEMO_LAYERS = (1, 1, 1, 1)
DEMO_WIDEN = 0.5
DEMO_EXPANSION = 1

# self_supervised create_swav_model defaults: hidden 256, projection 128. K is ours (10 classes,
# so 100 prototypes over-cluster by 10x, as 3000 does for ImageNet's 1000).
PROJECTOR_HIDDEN = 256
PROJECTION_SIZE = 128
N_PROTOTYPES = 100


class ConvLayer(nn.Sequential):
    """fastai ConvLayer: [0] Conv2d without bias, [1] BatchNorm2d, [2] ReLU when act is set.

    zero_bn gives NormType.BatchZero (gamma 0), used on the last conv of a residual branch.
    """

    def __init__(self, ni: int, nf: int, ks: int = 3, stride: int = 1, act: bool = True,
                 zero_bn: bool = False):
        conv = nn.Conv2d(ni, nf, ks, stride=stride, padding=(ks - 1) // 2, bias=False)
        bn = nn.BatchNorm2d(nf)
        with torch.no_grad():
            # fastai _get_norm sets bias 1e-3 here; init_cnn zeroes it again afterwards.
            bn.bias.fill_(1e-3)
            bn.weight.fill_(0.0 if zero_bn else 1.0)
        layers = [conv, bn] + ([nn.ReLU(inplace=True)] if act else [])
        super().__init__(*layers)


class ResBlock(nn.Module):
    """fastai ResBlock (expansion 1 only): ReLU(convpath(x) + idpath(x)).

    idpath is ResNet-D: AvgPool2d(2, ceil_mode=True) when strided, then a 1x1 ConvLayer without
    activation when the channel count changes; empty Sequential for a pure identity.
    """

    def __init__(self, expansion: int, ni: int, nf: int, stride: int = 1):
        super().__init__()
        assert expansion == 1, f"ResBlock: only expansion 1 is replicated, got {expansion}"
        self.convpath = nn.Sequential(
            ConvLayer(ni, nf, 3, stride=stride),
            ConvLayer(nf, nf, 3, act=False, zero_bn=True),
        )
        idpath = []
        if stride != 1:
            idpath.append(nn.AvgPool2d(stride, ceil_mode=True))
        if ni != nf:
            idpath.append(ConvLayer(ni, nf, 1, act=False))
        self.idpath = nn.Sequential(*idpath)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.convpath(x) + self.idpath(x))


class AdaptiveConcatPool2d(nn.Module):
    """fastai AdaptiveConcatPool2d at size 1: [N, C, H, W] -> [N, 2C, 1, 1], max first, then avg."""

    def __init__(self):
        super().__init__()
        self.ap = nn.AdaptiveAvgPool2d(1)
        self.mp = nn.AdaptiveMaxPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.mp(x), self.ap(x)], 1)


class Flatten(nn.Module):
    """fastai Flatten: [N, ...] -> [N, prod(...)]."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(x.size(0), -1)


def xresnet_body(c_in: int, stem_sizes, layers, widen: float, expansion: int = 1) -> list:
    """Return XResNet children 0..7 (stem convs, stem max-pool, four stages), fastai-initialised.

    Block widths follow fastai: [64 // expansion] + [int(w * widen) for w in 64, 128, 256, 512].
    """
    sizes = [c_in, *stem_sizes]
    stem = [ConvLayer(sizes[i], sizes[i + 1], 3, stride=2 if i == 0 else 1) for i in range(3)]
    block_sizes = [64 // expansion] + [int(w * widen) for w in (64, 128, 256, 512)]
    stages = []
    for i, n_blocks in enumerate(layers):
        ni, nf = block_sizes[i], block_sizes[i + 1]
        stride = 1 if i == 0 else 2
        blocks = [
            ResBlock(expansion, ni if b == 0 else nf, nf, stride=stride if b == 0 else 1)
            for b in range(n_blocks)
        ]
        stages.append(nn.Sequential(*blocks))
    children = [*stem, nn.MaxPool2d(3, stride=2, padding=1), *stages]
    for child in children:
        _init_cnn(child)
    return children


def create_encoder(c_in=DEMO_IN_CHANNELS, stem_sizes=DEMO_STEM_SIZES, layers=DEMO_LAYERS,
                   widen=DEMO_WIDEN) -> nn.Sequential:
    """self_supervised create_encoder with CatAvgMax pooling: [N, c_in, H, W] -> [N, 2 * C_last]."""
    body = xresnet_body(c_in, stem_sizes, layers, widen)
    return nn.Sequential(*body, AdaptiveConcatPool2d(), Flatten())


class SwAVModel(nn.Module):
    """SwAV encoder + projector + prototypes; forward(x) returns (embedding, scores).

    x is one batch [N, C, H, W] (all views share one resolution here, so one BN group); embedding
    is the L2-normalised projector output [N, 128] and scores are prototype logits [N, K].
    """

    def __init__(self, encoder: nn.Module, projector: nn.Module, prototypes: nn.Linear):
        super().__init__()
        self.encoder, self.projector, self.prototypes = encoder, projector, prototypes

    def forward(self, x: torch.Tensor):
        embedding = F.normalize(self.projector(self.encoder(x)), dim=1)
        return embedding, self.prototypes(embedding)

    @torch.no_grad()
    def normalize_prototypes(self) -> None:
        """L2-normalise the prototype rows in place (self_supervised does it after each step)."""
        self.prototypes.weight.copy_(F.normalize(self.prototypes.weight, dim=1))

    def state_dict_in_half(self) -> OrderedDict:
        """state_dict with floating tensors as float16 and integer buffers (int64) unchanged.

        Keeps `_metadata` (module versions, BN = 2) so the file pickles like a real state_dict.
        """
        full = self.state_dict()
        half = OrderedDict(
            (key, value.detach().half() if value.is_floating_point() else value.detach().clone())
            for key, value in full.items()
        )
        half._metadata = full._metadata
        return half


def load_half_checkpoint(path) -> SwAVModel:
    """Inverse of state_dict_in_half: a float32 demo SwAVModel in eval mode from a .pth file.

    Floating tensors are upcast exactly (float16 -> float32), so the model computes with the
    weights as saved; loading is strict, so a missing or extra key is an error.
    """
    saved = torch.load(path, map_location="cpu")
    full = OrderedDict(
        (key, value.float() if value.is_floating_point() else value) for key, value in saved.items()
    )
    model = create_swav_model()
    model.load_state_dict(full, strict=True)
    return model.eval()


def create_swav_model(encoder: nn.Module = None, n_prototypes: int = N_PROTOTYPES) -> SwAVModel:
    """self_supervised create_swav_model: MLP projector (BN, bias) and unit-norm prototypes."""
    encoder = encoder if encoder is not None else create_encoder()
    was_training = encoder.training
    encoder.eval()  # probing the width must not touch BN running stats
    with torch.no_grad():
        dim = encoder(torch.zeros(2, DEMO_IN_CHANNELS, 28, 28)).shape[1]
    encoder.train(was_training)

    projector = nn.Sequential(
        nn.Linear(dim, PROJECTOR_HIDDEN),
        nn.BatchNorm1d(PROJECTOR_HIDDEN),
        nn.ReLU(inplace=True),
        nn.Linear(PROJECTOR_HIDDEN, PROJECTION_SIZE),
    )
    # fastai apply_init: kaiming-normal Linear weights, zero biases, norm layers left alone.
    for layer in projector:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_normal_(layer.weight)
            nn.init.zeros_(layer.bias)

    # Prototypes keep PyTorch's default Linear init, then rows are made unit-norm.
    prototypes = nn.Linear(PROJECTION_SIZE, n_prototypes, bias=False)
    model = SwAVModel(encoder, projector, prototypes)
    model.normalize_prototypes()
    return model


def count_parameters(module: nn.Module) -> int:
    """Number of trainable parameter elements (buffers such as BN running stats excluded)."""
    return sum(p.numel() for p in module.parameters())


def _init_cnn(module: nn.Module) -> None:
    """fastai init_cnn: zero every bias (BN included), kaiming-normal conv and linear weights."""
    if getattr(module, "bias", None) is not None:
        nn.init.zeros_(module.bias)
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.kaiming_normal_(module.weight)
    for child in module.children():
        _init_cnn(child)


if __name__ == "__main__":
    torch.manual_seed(0)
    demo = create_swav_model()
    print("encoder parameters   ", count_parameters(demo.encoder))
    print("projector parameters ", count_parameters(demo.projector))
    print("prototypes parameters", count_parameters(demo.prototypes))
    print("total parameters     ", count_parameters(demo))
    print("state_dict entries   ", len(demo.state_dict()))
    x = torch.zeros(2, 1, 28, 28)
    for index, child in enumerate(demo.encoder):
        x = child(x)
        print(f"encoder.{index:<2} {type(child).__name__:<22} {tuple(x.shape)}")
