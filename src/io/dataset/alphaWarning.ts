/**
 * Shared sentence for images that carry transparency, whatever their format, so the dataset
 * report groups PNG, WebP and BMP files with alpha under one warning.
 */
export const WARN_ALPHA =
  'Image with transparency: browsers premultiply alpha when drawing to a canvas, so fully transparent pixels may come out black, while PIL\'s convert("RGB") keeps their colour. Flatten the images onto a background before analysing if transparent areas matter.';
