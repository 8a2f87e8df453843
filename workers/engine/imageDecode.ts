/**
 * Decodes an image file off the main thread and resizes it for the encoder: the browser's
 * decoder (JPEG, PNG, WebP; grayscale, palette, 16-bit and CMYK handled by it), EXIF
 * orientation applied, the shorter side scaled to `size` and the centre cropped, as
 * torchvision's Resize + CenterCrop do. Returns RGB uint8 [size, size, 3].
 */
export async function decodeImage(bytes: Uint8Array, size: number): Promise<Uint8Array> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { imageOrientation: 'from-image', premultiplyAlpha: 'none' });
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas context in this worker');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, size, size);
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const rgb = new Uint8Array(size * size * 3);
    for (let p = 0; p < size * size; p++) {
      rgb[3 * p] = rgba[4 * p];
      rgb[3 * p + 1] = rgba[4 * p + 1];
      rgb[3 * p + 2] = rgba[4 * p + 2];
    }
    return rgb;
  } finally {
    bitmap.close();
  }
}
