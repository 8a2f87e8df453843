"""Seeded augmented views of 28x28 grayscale batches for SwAV, vectorised over the batch.

Every image gets its own crop box, flip and jitter, drawn from one torch.Generator, so a run is
reproducible from its seed. The recipe is a grayscale reading of self_supervised's
get_batch_augs (REFERENCE.md 3.5.1); rotation, grayscale and blur are left out because a 28x28
clothing silhouette has no colour and little detail left to blur.
"""

import math

import torch
import torch.nn.functional as F

# RandomResizedCrop area range: the brief's (0.3, 1); torchvision's default 0.08 would often keep
# only a patch of plain fabric at 28x28. Aspect ratio is torchvision's (3/4, 4/3), log-uniform.
CROP_SCALE = (0.3, 1.0)
CROP_RATIO = (3.0 / 4.0, 4.0 / 3.0)
# Horizontal flip probability, as kornia RandomHorizontalFlip in self_supervised.
FLIP_P = 0.5
# Brightness/contrast jitter: applied with p 0.8 as in facebookresearch/swav's colour jitter; the
# factors are drawn from [1 - 0.4, 1 + 0.4], half of swav's 0.8 because there is no hue or
# saturation to share the perturbation with.
JITTER_P = 0.8
BRIGHTNESS = 0.4
CONTRAST = 0.4

AUGMENTATIONS = (
    f"per image: RandomResizedCrop 28x28 scale {CROP_SCALE} ratio (3/4, 4/3) log-uniform, sides "
    f"clipped to the image, bilinear (grid_sample, align_corners=False, zero padding); "
    f"horizontal flip p {FLIP_P}; with p {JITTER_P} brightness x*b then contrast "
    f"(x-mean)*c+mean with b, c ~ U(1-{BRIGHTNESS}, 1+{CONTRAST}), clamped to [0, 1]; "
    f"then (x - mean) / std with the training-set statistics"
)


def make_views(images_u8: torch.Tensor, n_views: int, generator: torch.Generator,
               mean: float, std: float) -> list:
    """Return n_views augmented, normalised float32 batches [B, 1, 28, 28].

    images_u8: uint8 [B, 1, 28, 28]. Draws from generator in a fixed order (crop, flip, jitter)
    per view, so the same seed and batch give the same views.
    """
    assert images_u8.dtype == torch.uint8 and images_u8.dim() == 4, (
        f"make_views: expected uint8 [B, 1, H, W], got {images_u8.dtype} {tuple(images_u8.shape)}"
    )
    pixels = images_u8.float() / 255.0
    views = []
    for _ in range(n_views):
        view = _resized_crop_and_flip(pixels, generator)
        view = _brightness_contrast(view, generator)
        views.append((view - mean) / std)
    return views


def _resized_crop_and_flip(pixels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Per-image random resized crop plus horizontal flip, as one affine resampling."""
    batch = pixels.shape[0]
    area = _uniform(batch, *CROP_SCALE, generator)
    log_ratio = _uniform(batch, math.log(CROP_RATIO[0]), math.log(CROP_RATIO[1]), generator)
    ratio = torch.exp(log_ratio)
    # Side lengths as fractions of the image; torchvision retries boxes that do not fit, we clip.
    width = torch.sqrt(area * ratio).clamp(max=1.0)
    height = torch.sqrt(area / ratio).clamp(max=1.0)
    # Box centre in grid_sample's [-1, 1] coordinates, anywhere the box stays inside the image.
    centre_x = (2.0 * _uniform(batch, 0.0, 1.0, generator) - 1.0) * (1.0 - width)
    centre_y = (2.0 * _uniform(batch, 0.0, 1.0, generator) - 1.0) * (1.0 - height)
    flip = torch.where(_uniform(batch, 0.0, 1.0, generator) < FLIP_P, -1.0, 1.0)

    theta = torch.zeros(batch, 2, 3)
    theta[:, 0, 0] = width * flip
    theta[:, 0, 2] = centre_x
    theta[:, 1, 1] = height
    theta[:, 1, 2] = centre_y
    grid = F.affine_grid(theta, list(pixels.shape), align_corners=False)
    return F.grid_sample(pixels, grid, mode="bilinear", padding_mode="zeros",
                         align_corners=False)


def _brightness_contrast(pixels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """With probability JITTER_P per image, scale brightness, then contrast about the mean."""
    batch = pixels.shape[0]
    apply = _uniform(batch, 0.0, 1.0, generator) < JITTER_P
    brightness = _uniform(batch, 1.0 - BRIGHTNESS, 1.0 + BRIGHTNESS, generator)
    contrast = _uniform(batch, 1.0 - CONTRAST, 1.0 + CONTRAST, generator)
    brightness = torch.where(apply, brightness, torch.ones_like(brightness)).view(-1, 1, 1, 1)
    contrast = torch.where(apply, contrast, torch.ones_like(contrast)).view(-1, 1, 1, 1)

    bright = (pixels * brightness).clamp(0.0, 1.0)
    image_mean = bright.mean(dim=(1, 2, 3), keepdim=True)
    return ((bright - image_mean) * contrast + image_mean).clamp(0.0, 1.0)


def _uniform(count: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    """count float32 draws from U(low, high)."""
    return low + (high - low) * torch.rand(count, generator=generator)
