import type { ImageFormat, ImageProbe } from './types';

/**
 * A probe of `format` that knows nothing yet: sizes and depth null, colour model 'unknown', no
 * warnings. Each format's reader fills in what its header holds.
 */
export function blankProbe(format: ImageFormat): ImageProbe {
  return {
    format,
    width: null,
    height: null,
    colorModel: 'unknown',
    bitDepth: null,
    exifOrientation: null,
    adobeTransform: null,
    warnings: [],
  };
}
