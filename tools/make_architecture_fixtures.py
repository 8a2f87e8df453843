#!/usr/bin/python3
"""Writes the architecture fixtures under tests/fixtures/architectures/.

Run with Debian's PyTorch (no pip, no network):
    /usr/bin/python3 tools/make_architecture_fixtures.py

Two kinds of output:

* Parity fixtures: small encoders (reduced widths, real layouts) saved with torch.save as
  state dicts in eval mode, each with `<name>.ref.safetensors` holding two fixed inputs
  [2, C, H, W] (float16-exact values, stored as F16) and what PyTorch computes for them in
  float64 from the saved weights (stored as F32): `stem` (after the stem max pool), `stage1`..
  (NCHW), `pooled`, and `projector`/`embedding`/`scores` or `logits` where the model has them.
* Key->shape tables (`tables/<name>.json`) of full-size models built from real torch modules
  (torchvision's resnet18/34/50 and vit_b_16, and a module-for-module replica of fastai 2.x
  XResNet), with what torch reports about them (stage channels from a forward pass, parameter
  counts), for recognition tests without megabytes of weights.

fastai is not installable here, so its modules (ConvLayer, ResBlock, AdaptiveConcatPool2d,
create_head's flat LinBnDrop list) are rebuilt with the same nesting, hence the same keys
(REFERENCE.md 3.1-3.4). Everything is seeded; rerunning gives the same tensors.
"""

import json
import os
import struct
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models import resnet18, resnet34, resnet50, vit_b_16
from torchvision.models.resnet import BasicBlock, Bottleneck

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures", "architectures")
TABLE_DIR = os.path.join(OUT_DIR, "tables")

# Running statistics come from this many train-mode batches of random inputs (cumulative
# average, momentum None), so activations stay O(1) through the deep stacks.
CALIBRATION_BATCHES = 4
CALIBRATION_BATCH_SIZE = 8


# ---------------------------------------------------------------------------------------------
# A minimal safetensors writer (format: 8-byte little-endian header length, JSON header with
# dtype / shape / data_offsets per tensor, then the raw little-endian bytes)

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64"}


def write_safetensors(path, named_tensors):
    header = {}
    chunks = []
    offset = 0
    for name, tensor in named_tensors.items():
        data = tensor.detach().contiguous().cpu()
        raw = data.numpy().tobytes()
        header[name] = {
            "dtype": SAFETENSORS_DTYPES[data.dtype],
            "shape": list(data.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # keeps the data 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)


# ---------------------------------------------------------------------------------------------
# fastai 2.x XResNet replica (fastai/layers.py ConvLayer, ResBlock; vision/models/xresnet.py)


def conv_layer(ni, nf, ks=3, stride=1, act=True):
    """fastai ConvLayer: Sequential([0] Conv2d(bias=False, pad (ks-1)//2), [1] BN2d, [2] ReLU?)."""
    parts = [nn.Conv2d(ni, nf, ks, stride=stride, padding=(ks - 1) // 2, bias=False),
             nn.BatchNorm2d(nf)]
    if act:
        parts.append(nn.ReLU(inplace=True))
    return nn.Sequential(*parts)


class XResBlock(nn.Module):
    """fastai ResBlock: ReLU(convpath(x) + idpath(x)), basic (2 convs) or bottleneck (3 convs).

    Bottlenecks put the stride on the middle 3x3. idpath: AvgPool2d(2, ceil_mode) when strided,
    then a 1x1 ConvLayer without ReLU when channels change (so `idpath.0` is the conv when the
    block changes width at stride 1, `idpath.1` when a pool comes first).
    """

    def __init__(self, expansion, ni, nh, nf, stride):
        super().__init__()
        if expansion == 1:
            path = [conv_layer(ni, nh, 3, stride), conv_layer(nh, nf, 3, act=False)]
        else:
            path = [conv_layer(ni, nh, 1), conv_layer(nh, nh, 3, stride),
                    conv_layer(nh, nf, 1, act=False)]
        self.convpath = nn.Sequential(*path)
        identity = []
        if stride != 1:
            identity.append(nn.AvgPool2d(stride, ceil_mode=True))
        if ni != nf:
            identity.append(conv_layer(ni, nf, 1, act=False))
        self.idpath = nn.Sequential(*identity)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.convpath(x) + self.idpath(x))


def xresnet_children(c_in, stem_sizes, widths, layers, expansion):
    """XResNet children 0..3+len(layers): stem ConvLayers, MaxPool2d(3, 2, 1), then the stages.

    widths are the per-stage inner widths (fastai's block_szs[1:]); stage i outputs
    widths[i] * expansion channels; the first stage takes the stem's output.
    """
    sizes = [c_in, *stem_sizes]
    stem = [conv_layer(sizes[i], sizes[i + 1], 3, 2 if i == 0 else 1) for i in range(len(stem_sizes))]
    stages = []
    channels = stem_sizes[-1]
    for i, count in enumerate(layers):
        blocks = []
        for b in range(count):
            stride = 2 if (i > 0 and b == 0) else 1
            blocks.append(XResBlock(expansion, channels, widths[i], widths[i] * expansion, stride))
            channels = widths[i] * expansion
        stages.append(nn.Sequential(*blocks))
    return [*stem, nn.MaxPool2d(3, stride=2, padding=1), *stages]


class ConcatPool(nn.Module):
    """fastai AdaptiveConcatPool2d(1): [N, C, H, W] -> [N, 2C, 1, 1], max first, then average."""

    def forward(self, x):
        return torch.cat([F.adaptive_max_pool2d(x, 1), F.adaptive_avg_pool2d(x, 1)], 1)


class Flatten(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class FastaiXResNet(nn.Sequential):
    """The whole fastai XResNet classifier: body, AdaptiveAvgPool2d, Flatten, Dropout, Linear."""

    def __init__(self, c_in, stem_sizes, widths, layers, expansion, n_out):
        body = xresnet_children(c_in, stem_sizes, widths, layers, expansion)
        super().__init__(*body, nn.AdaptiveAvgPool2d(1), Flatten(), nn.Dropout(0.0),
                         nn.Linear(widths[-1] * expansion, n_out))


# ---------------------------------------------------------------------------------------------
# Heads: self_supervised's SwAV model and create_cls_module / fastai create_head classifiers


def swav_projector(dim, hidden, out):
    """self_supervised create_mlp_module(bn=True, nlayers=2): Linear, BN1d, ReLU, Linear."""
    return nn.Sequential(nn.Linear(dim, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True),
                         nn.Linear(hidden, out))


def unit_prototypes(dim, count):
    layer = nn.Linear(dim, count, bias=False)
    with torch.no_grad():
        layer.weight.copy_(F.normalize(layer.weight, dim=1))
    return layer


class SelfSupervisedSwav(nn.Module):
    """self_supervised SwAVModel: attributes encoder, projector, prototypes (hence the keys)."""

    def __init__(self, encoder, projector, prototypes):
        super().__init__()
        self.encoder, self.projector, self.prototypes = encoder, projector, prototypes


def lin_bn_drop_head(features, pool):
    """A fastai-style classifier head, flat like create_head builds it with `layers += LinBnDrop`.

    features = [n_in, hidden.., n_out]. Each block is BN1d(ni), Dropout, Linear(ni, no,
    bias=False) and ReLU except after the last. `pool` puts AdaptiveConcatPool2d + Flatten first
    (create_head on an unpooled body); without it the head reads pooled features
    (create_cls_module after create_encoder).
    """
    layers = [ConcatPool(), Flatten()] if pool else []
    blocks = list(zip(features[:-1], features[1:]))
    for i, (ni, no) in enumerate(blocks):
        last = i == len(blocks) - 1
        layers += [nn.BatchNorm1d(ni), nn.Dropout(0.5 if last else 0.25), nn.Linear(ni, no, bias=False)]
        if not last:
            layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


# ---------------------------------------------------------------------------------------------
# torchvision-style ResNets of any width, from torchvision's own BasicBlock / Bottleneck


class TorchvisionStyleResNet(nn.Module):
    """torchvision.models.ResNet's module tree (conv1, bn1, relu, maxpool, layer1..N, avgpool,
    fc) with a chosen base width, built from torchvision's BasicBlock / Bottleneck.

    swav=True gives facebookresearch/swav's backbone: an extra ConstantPad2d(1) before a conv1
    with padding 2, projection_head (Linear, BN1d, ReLU, Linear) and bias-free prototypes.
    """

    def __init__(self, block, layers, base, c_in=3, n_classes=0, swav=None):
        super().__init__()
        self.swav = swav is not None
        if self.swav:
            self.padding = nn.ConstantPad2d(1, 0.0)
        self.conv1 = nn.Conv2d(c_in, base, 7, stride=2, padding=2 if self.swav else 3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        inplanes = base
        self.stage_names = []
        for i, count in enumerate(layers):
            planes = base * 2 ** i
            stride = 1 if i == 0 else 2
            out = planes * block.expansion
            downsample = None
            if stride != 1 or inplanes != out:
                downsample = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride=stride, bias=False),
                                           nn.BatchNorm2d(out))
            blocks = [block(inplanes, planes, stride, downsample)]
            blocks += [block(out, planes) for _ in range(1, count)]
            inplanes = out
            name = f"layer{i + 1}"
            setattr(self, name, nn.Sequential(*blocks))
            self.stage_names.append(name)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        if n_classes:
            self.fc = nn.Linear(inplanes, n_classes)
        if self.swav:
            hidden, out_dim, count = swav
            self.projection_head = swav_projector(inplanes, hidden, out_dim)
            self.prototypes = unit_prototypes(out_dim, count)

    def body_children(self):
        """The children fastai's create_body keeps (everything before the pooling layer)."""
        return [self.conv1, self.bn1, self.relu, self.maxpool,
                *[getattr(self, n) for n in self.stage_names]]


# ---------------------------------------------------------------------------------------------
# Weights and statistics


def randomise_affine(model, generator):
    """Non-trivial BN gamma / beta everywhere (fastai's BatchZero gammas of 0 would hide the
    residual branch from the parity check)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                m.weight.copy_(0.5 + torch.rand(m.num_features, generator=generator))
                m.bias.copy_(0.2 * torch.randn(m.num_features, generator=generator))
            elif isinstance(m, nn.Linear) and m.bias is not None:
                m.bias.copy_(0.1 * torch.randn(m.out_features, generator=generator))


def damp_residual_branches(model, generator):
    """Smaller gammas (0.2..0.6) on the last BN of every residual branch, as training leaves them
    (fastai and torchvision's zero_init_residual start them at 0). With gammas near 1 there, the
    16 bottleneck blocks compound float32 rounding to 3e-5 even in PyTorch itself."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, XResBlock):
                last = m.convpath[-1][1]
            elif isinstance(m, (BasicBlock, Bottleneck)):
                last = m.bn3 if isinstance(m, Bottleneck) else m.bn2
            else:
                continue
            last.weight.copy_(0.2 + 0.4 * torch.rand(last.num_features, generator=generator))


def calibrate(model, forward, shape, generator):
    """Fills BN running statistics with exact averages over random batches, then eval mode."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(CALIBRATION_BATCHES):
            forward(torch.randn(CALIBRATION_BATCH_SIZE, *shape, generator=generator))
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.momentum = 0.1
    model.eval()


def tiny_running_var(bn, channels):
    """B07: a few channels with running_var 1e-4, where eps 1e-5 vs 1e-3 matters 3x."""
    with torch.no_grad():
        bn.running_var[:channels] = 1e-4


def half_except_batchnorm(model):
    """fastai's early to_fp16 (now to_non_native_fp16): conv and linear weights in float16, BN in
    float32. The model itself keeps the rounded values in float32 so PyTorch's CPU reference
    computes with exactly the weights the file holds."""
    halves = set()
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                for pname, p in m.named_parameters(recurse=False):
                    p.copy_(p.half().float())
                    halves.add(f"{name}.{pname}" if name else pname)
    return halves


def state_dict_with_half(model, halves):
    out = OrderedDict()
    for key, value in model.state_dict().items():
        out[key] = value.detach().half() if key in halves else value.detach().clone()
    return out


def fixed_input(*shape_and_generator):
    """Two inputs whose values float16 holds exactly, so the reference file stores them in half."""
    *shape, generator = shape_and_generator
    return torch.randn(*shape, generator=generator).half().float()


def prefixed(state, prefix):
    return OrderedDict((prefix + k, v) for k, v in state.items())


# ---------------------------------------------------------------------------------------------
# Forward passes that keep every output the lab compares


def heads(pooled, projector=None, prototypes=None, classifier=None):
    out = OrderedDict(pooled=pooled)
    if projector is not None:
        z = projector(pooled)
        out["projector"] = z
        out["embedding"] = F.normalize(z, dim=1)
        if prototypes is not None:
            out["scores"] = prototypes(out["embedding"])
    if classifier is not None:
        out["logits"] = classifier(pooled)
    return out


def pool(x, kind):
    if kind == "avg":
        return F.adaptive_avg_pool2d(x, 1).flatten(1)
    return torch.cat([F.adaptive_max_pool2d(x, 1), F.adaptive_avg_pool2d(x, 1)], 1).flatten(1)


def xresnet_outputs(children, n_stem, x, pooling="max-avg", **head_modules):
    out = OrderedDict()
    h = x
    for layer in children[: n_stem + 1]:
        h = layer(h)
    out["stem"] = h
    for i, stage in enumerate(children[n_stem + 1:]):
        h = stage(h)
        out[f"stage{i + 1}"] = h
    out.update(heads(pool(h, pooling), **head_modules))
    return out


def resnet_outputs(model, x, pooling="avg", **head_modules):
    out = OrderedDict()
    h = model.padding(x) if model.swav else x
    h = model.maxpool(model.relu(model.bn1(model.conv1(h))))
    out["stem"] = h
    for i, name in enumerate(model.stage_names):
        h = getattr(model, name)(h)
        out[f"stage{i + 1}"] = h
    out.update(heads(pool(h, pooling), **head_modules))
    return out


def in_float64(model, compute, x):
    """Runs compute(x) with `model` (which holds every module compute uses) in float64, then
    returns the model to float32 (exact: its values were float32). Float64 references are the
    truth the lab's float32 forward is measured against; a float32 PyTorch forward of the deep
    bottleneck fixture is itself 3e-5 away from it."""
    model.double()
    try:
        with torch.no_grad():
            return OrderedDict((k, v.float()) for k, v in compute(x.double()).items())
    finally:
        model.float()


def save_fixture(name, state, outputs, inputs, wrap=None, protocol=2):
    """torch.save the state dict (optionally wrapped, e.g. fastai's {model, opt}) and the
    references; returns the two file sizes."""
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{name}.pth")
    torch.save(wrap(state) if wrap else state, path, pickle_protocol=protocol)
    refs = OrderedDict(input=inputs.half())
    for key, value in outputs.items():
        refs[key] = value.detach().float().contiguous()
    ref_path = os.path.join(OUT_DIR, f"{name}.ref.safetensors")
    write_safetensors(ref_path, refs)
    return os.path.getsize(path) + os.path.getsize(ref_path)


def fastai_learn_save(state):
    """learn.save's {'model', 'opt'}: the opt subtree holds per-parameter moments and hypers."""
    first = next(v for v in state.values() if v.is_floating_point())
    opt = {"state": [{"grad_avg": torch.zeros_like(first).float(), "sqr_avg": torch.zeros_like(first).float(), "step": 3}],
           "hypers": [{"lr": 0.01, "mom": 0.9, "sqr_mom": 0.99, "eps": 1e-5, "wd": 0.01}]}
    return {"model": state, "opt": opt}


# ---------------------------------------------------------------------------------------------
# Parity fixtures


def fixture_xresnet_bare(sizes):
    """self_supervised create_encoder output saved alone: keys 0.0.weight .. 7.1.idpath..."""
    g = torch.Generator().manual_seed(101)
    torch.manual_seed(101)
    children = xresnet_children(3, (4, 4, 8), (4, 8, 8, 16), (2, 2, 2, 2), 1)
    encoder = nn.Sequential(*children, ConcatPool(), Flatten())
    randomise_affine(encoder, g)
    damp_residual_branches(encoder, g)
    calibrate(encoder, encoder, (3, 40, 40), g)
    tiny_running_var(encoder[0][1], 2)
    x = fixed_input(2, 3, 40, 40, g)
    outputs = in_float64(encoder, lambda b: xresnet_outputs(children, 3, b), x)
    sizes["xresnet_basic_bare"] = save_fixture("xresnet_basic_bare", encoder.state_dict(), outputs, x)


def fixture_xresnet_bottleneck_swav(sizes):
    """Whole self_supervised SwAV model with bottleneck blocks [3, 4, 6, 3], float16 conv and
    linear weights (BN float32), saved by fastai's learn.save as {model, opt}."""
    g = torch.Generator().manual_seed(202)
    torch.manual_seed(202)
    children = xresnet_children(3, (4, 4, 4), (2, 4, 8, 16), (3, 4, 6, 3), 4)
    encoder = nn.Sequential(*children, ConcatPool(), Flatten())
    model = SelfSupervisedSwav(encoder, swav_projector(128, 32, 16), unit_prototypes(16, 24))
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, lambda b: model.projector(model.encoder(b)), (3, 37, 37), g)
    halves = half_except_batchnorm(model)
    with torch.no_grad():
        model.prototypes.weight.copy_(F.normalize(model.prototypes.weight, dim=1).half().float())
    x = fixed_input(2, 3, 37, 37, g)
    outputs = in_float64(model, lambda b: xresnet_outputs(children, 3, b, projector=model.projector, prototypes=model.prototypes), x)
    state = state_dict_with_half(model, halves)
    sizes["xresnet_bottleneck_swav_learnsave"] = save_fixture(
        "xresnet_bottleneck_swav_learnsave", state, outputs, x, wrap=fastai_learn_save)


def fixture_xresnet_finetuned(sizes):
    """nn.Sequential(body, head) as fastai fine-tunes it (head = concat pool, flatten, then flat
    LinBnDrop blocks), saved from DataParallel: every key starts with module.0. or module.1."""
    g = torch.Generator().manual_seed(303)
    torch.manual_seed(303)
    children = xresnet_children(3, (4, 8, 8), (8, 8, 16, 16), (1, 2, 1, 1), 1)
    body = nn.Sequential(*children)
    head = lin_bn_drop_head([32, 12, 5], pool=True)
    model = nn.Sequential(body, head)
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, model, (3, 33, 33), g)
    x = fixed_input(2, 3, 33, 33, g)
    outputs = in_float64(model, lambda b: xresnet_outputs(children, 3, b, classifier=lambda p: head[2:](p)), x)
    sizes["xresnet_finetuned_dataparallel"] = save_fixture(
        "xresnet_finetuned_dataparallel", prefixed(model.state_dict(), "module."), outputs, x)


def fixture_resnet18_fc(sizes):
    """torchvision layout, BasicBlock [2, 2, 2, 2], base width 4, with fc; float16 weights."""
    g = torch.Generator().manual_seed(404)
    torch.manual_seed(404)
    model = TorchvisionStyleResNet(BasicBlock, (2, 2, 2, 2), 4, n_classes=10)
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, lambda b: resnet_outputs(model, b), (3, 40, 40), g)
    tiny_running_var(model.bn1, 2)
    halves = half_except_batchnorm(model)
    x = fixed_input(2, 3, 40, 40, g)
    outputs = in_float64(model, lambda b: resnet_outputs(model, b, classifier=model.fc), x)
    sizes["resnet18_w4_fc_half"] = save_fixture("resnet18_w4_fc_half", state_dict_with_half(model, halves), outputs, x)


def fixture_resnet50_swav(sizes):
    """facebookresearch/swav layout: Bottleneck [1, 2, 2, 1] (base width 2), ConstantPad2d(1) +
    conv1 padding 2, projection_head + prototypes, all under module. (DDP)."""
    g = torch.Generator().manual_seed(505)
    torch.manual_seed(505)
    model = TorchvisionStyleResNet(Bottleneck, (1, 2, 2, 1), 2, swav=(32, 16, 20))
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, lambda b: model.projection_head(resnet_outputs(model, b)["pooled"]), (3, 37, 37), g)
    x = fixed_input(2, 3, 37, 37, g)
    outputs = in_float64(model, lambda b: resnet_outputs(model, b, projector=model.projection_head, prototypes=model.prototypes), x)
    sizes["resnet50_w2_swav_ddp"] = save_fixture("resnet50_w2_swav_ddp", prefixed(model.state_dict(), "module."), outputs, x)


def fixture_resnet34_fastai(sizes):
    """fastai vision_learner on a torchvision resnet34 layout (base width 2): create_body keeps
    the children (keys 0.0 = conv1, 0.1 = bn1, 0.4.. = layer1..), create_head concat-pools."""
    g = torch.Generator().manual_seed(606)
    torch.manual_seed(606)
    net = TorchvisionStyleResNet(BasicBlock, (3, 4, 6, 3), 2)
    body = nn.Sequential(*net.body_children())
    head = lin_bn_drop_head([32, 16, 7], pool=True)
    model = nn.Sequential(body, head)
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, model, (3, 33, 33), g)
    halves = half_except_batchnorm(model)
    x = fixed_input(2, 3, 33, 33, g)
    outputs = in_float64(model, lambda b: resnet_outputs(net, b, pooling="max-avg", classifier=lambda p: head[2:](p)), x)
    sizes["resnet34_w2_fastai_finetuned_half"] = save_fixture(
        "resnet34_w2_fastai_finetuned_half", state_dict_with_half(model, halves), outputs, x)


def fixture_b01(sizes):
    """CASES.md B01: one ResNet-18-layout state dict (base width 2) saved plain, under module.
    and under _orig_mod.module., each inside {"epoch": 3, "state_dict": ...}."""
    g = torch.Generator().manual_seed(707)
    torch.manual_seed(707)
    model = TorchvisionStyleResNet(BasicBlock, (2, 2, 2, 2), 2)
    randomise_affine(model, g)
    damp_residual_branches(model, g)
    calibrate(model, lambda b: resnet_outputs(model, b), (3, 32, 32), g)
    state = model.state_dict()
    for name, prefix in (("plain", ""), ("module", "module."), ("orig_mod_module", "_orig_mod.module.")):
        path = os.path.join(OUT_DIR, f"b01_resnet18_w2_{name}.pth")
        torch.save({"epoch": 3, "state_dict": prefixed(state, prefix)}, path)
        sizes[f"b01_{name}"] = os.path.getsize(path)


# ---------------------------------------------------------------------------------------------
# Key->shape tables of full-size models


def dtype_name(t):
    return {torch.float32: "float32", torch.int64: "int64"}[t.dtype]


def stage_channels_by_forward(stem_and_stages, x):
    """Channels after the stem and after each stage, as a real forward pass reports them."""
    channels = []
    with torch.no_grad():
        for part in stem_and_stages:
            x = part(x)
            channels.append(int(x.shape[1]))
    return channels


def count(params):
    return int(sum(p.numel() for p in params))


def write_table(name, source, state, expected):
    os.makedirs(TABLE_DIR, exist_ok=True)
    table = {
        "name": name,
        "source": source,
        "tensors": [[k, list(v.shape), dtype_name(v)] for k, v in state.items()],
        "expected": expected,
    }
    path = os.path.join(TABLE_DIR, f"{name}.json")
    with open(path, "w") as f:
        json.dump(table, f, separators=(",", ":"))
        f.write("\n")
    return os.path.getsize(path)


def torchvision_table(name, factory, block):
    torch.manual_seed(0)
    model = factory().eval()
    stages = [model.layer1, model.layer2, model.layer3, model.layer4]
    stem = nn.Sequential(model.conv1, model.bn1, model.relu, model.maxpool)
    channels = stage_channels_by_forward([stem, *stages], torch.zeros(1, 3, 64, 64))
    encoder_params = count(p for n, p in model.named_parameters() if not n.startswith("fc."))
    return write_table(name, f"torchvision.models.{factory.__name__}() (torchvision 0.14)", model.state_dict(), {
        "family": "torchvision-resnet",
        "block": block,
        "layers": [len(s) for s in stages],
        "stemChannels": [model.conv1.out_channels],
        "stageWidths": [s[0].conv2.out_channels if block == "bottleneck" else s[0].conv1.out_channels for s in stages],
        "stageChannels": channels,
        "inputChannels": 3,
        "pooling": "avg",
        "encoderDim": channels[-1],
        "encoderParams": encoder_params,
        "totalParams": count(model.parameters()),
        "classes": model.fc.out_features,
        "projectionDim": None,
        "nPrototypes": None,
    })


XRESNET_CONFIGS = {
    "xresnet18": (1, (2, 2, 2, 2)),
    "xresnet34": (1, (3, 4, 6, 3)),
    "xresnet50": (4, (3, 4, 6, 3)),
}


def xresnet_table(name):
    """self_supervised create_encoder(name): the body's children 0..7, then concat pool."""
    expansion, layers = XRESNET_CONFIGS[name]
    torch.manual_seed(0)
    children = xresnet_children(3, (32, 32, 64), (64, 128, 256, 512), layers, expansion)
    encoder = nn.Sequential(*children, ConcatPool(), Flatten()).eval()
    channels = stage_channels_by_forward([nn.Sequential(*children[:4]), *children[4:]], torch.zeros(1, 3, 64, 64))
    return write_table(f"{name}_encoder", f"fastai {name} replica cut by self_supervised create_encoder", encoder.state_dict(), {
        "family": "xresnet",
        "block": "basic" if expansion == 1 else "bottleneck",
        "layers": list(layers),
        "stemChannels": [32, 32, 64],
        "stageWidths": [64, 128, 256, 512],
        "stageChannels": channels,
        "inputChannels": 3,
        "pooling": "max-avg",
        "encoderDim": 2 * channels[-1],
        "encoderParams": count(encoder.parameters()),
        "totalParams": count(encoder.parameters()),
        "classes": None,
        "projectionDim": None,
        "nPrototypes": None,
    })


def xresnet_full_table():
    """fastai xresnet50(n_out=1000) itself: the classifier is child 11, after an average pool."""
    torch.manual_seed(0)
    model = FastaiXResNet(3, (32, 32, 64), (64, 128, 256, 512), (3, 4, 6, 3), 4, 1000).eval()
    channels = stage_channels_by_forward([nn.Sequential(*list(model)[:4]), *list(model)[4:8]], torch.zeros(1, 3, 64, 64))
    return write_table("xresnet50_full_classifier", "fastai xresnet50(n_out=1000) replica", model.state_dict(), {
        "family": "xresnet",
        "block": "bottleneck",
        "layers": [3, 4, 6, 3],
        "stemChannels": [32, 32, 64],
        "stageWidths": [64, 128, 256, 512],
        "stageChannels": channels,
        "inputChannels": 3,
        "pooling": "avg",
        "encoderDim": channels[-1],
        "encoderParams": count(p for n, p in model.named_parameters() if not n.startswith("11.")),
        "totalParams": count(model.parameters()),
        "classes": 1000,
        "projectionDim": None,
        "nPrototypes": None,
    })


def swav_resnet50_table():
    """facebookresearch/swav's released layout: resnet50 without fc, projection_head 2048 ->
    2048 -> 128, 3000 prototypes, saved from DDP (module.)."""
    torch.manual_seed(0)
    trunk = resnet50().eval()
    head = swav_projector(2048, 2048, 128).eval()
    protos = nn.Linear(128, 3000, bias=False)
    state = OrderedDict((k, v) for k, v in trunk.state_dict().items() if not k.startswith("fc."))
    state.update(prefixed(head.state_dict(), "projection_head."))
    state["prototypes.weight"] = protos.weight.detach()
    encoder_params = count(p for n, p in trunk.named_parameters() if not n.startswith("fc."))
    stages = [trunk.layer1, trunk.layer2, trunk.layer3, trunk.layer4]
    stem = nn.Sequential(trunk.conv1, trunk.bn1, trunk.relu, trunk.maxpool)
    channels = stage_channels_by_forward([stem, *stages], torch.zeros(1, 3, 64, 64))
    return write_table("swav_resnet50_ddp", "facebookresearch/swav resnet50 layout (torchvision resnet50 trunk + nn.Sequential head)", prefixed(state, "module."), {
        "family": "torchvision-resnet",
        "block": "bottleneck",
        "layers": [3, 4, 6, 3],
        "stemChannels": [64],
        "stageWidths": [64, 128, 256, 512],
        "stageChannels": channels,
        "inputChannels": 3,
        "pooling": "avg",
        "encoderDim": 2048,
        "encoderParams": encoder_params,
        "totalParams": encoder_params + count(head.parameters()) + protos.weight.numel(),
        "classes": None,
        "projectionDim": 128,
        "nPrototypes": 3000,
    })


def fastai_resnet34_table():
    """fastai vision_learner(resnet34, n_out=37): Sequential(create_body, create_head(1024, 37))."""
    torch.manual_seed(0)
    trunk = resnet34().eval()
    body = nn.Sequential(trunk.conv1, trunk.bn1, trunk.relu, trunk.maxpool,
                         trunk.layer1, trunk.layer2, trunk.layer3, trunk.layer4)
    head = lin_bn_drop_head([1024, 512, 37], pool=True)
    model = nn.Sequential(body, head).eval()
    channels = stage_channels_by_forward([nn.Sequential(*list(body)[:4]), *list(body)[4:]], torch.zeros(1, 3, 64, 64))
    return write_table("fastai_resnet34_finetuned", "fastai vision_learner layout on torchvision resnet34", model.state_dict(), {
        "family": "torchvision-resnet",
        "block": "basic",
        "layers": [3, 4, 6, 3],
        "stemChannels": [64],
        "stageWidths": [64, 128, 256, 512],
        "stageChannels": channels,
        "inputChannels": 3,
        "pooling": "max-avg",
        "encoderDim": 1024,
        "encoderParams": count(body.parameters()),
        "totalParams": count(model.parameters()),
        "classes": 37,
        "projectionDim": None,
        "nPrototypes": None,
    })


def vit_table():
    torch.manual_seed(0)
    model = vit_b_16()
    return write_table("vit_b_16", "torchvision.models.vit_b_16() (torchvision 0.14)", model.state_dict(), {"family": None})


def main():
    sizes = OrderedDict()
    fixture_xresnet_bare(sizes)
    fixture_xresnet_bottleneck_swav(sizes)
    fixture_xresnet_finetuned(sizes)
    fixture_resnet18_fc(sizes)
    fixture_resnet50_swav(sizes)
    fixture_resnet34_fastai(sizes)
    fixture_b01(sizes)
    sizes["table resnet18"] = torchvision_table("resnet18", resnet18, "basic")
    sizes["table resnet34"] = torchvision_table("resnet34", resnet34, "basic")
    sizes["table resnet50"] = torchvision_table("resnet50", resnet50, "bottleneck")
    for name in XRESNET_CONFIGS:
        sizes[f"table {name}"] = xresnet_table(name)
    sizes["table xresnet50 full"] = xresnet_full_table()
    sizes["table swav resnet50"] = swav_resnet50_table()
    sizes["table fastai resnet34"] = fastai_resnet34_table()
    sizes["table vit_b_16"] = vit_table()
    for name, size in sizes.items():
        print(f"{name:40s} {size / 1024:8.1f} KiB")
    print(f"{'total':40s} {sum(sizes.values()) / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
