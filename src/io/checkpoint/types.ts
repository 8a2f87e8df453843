/** The checkpoint reader's public data types (see index.ts for the entry points). */

/** The element type of a tensor as it is stored in a checkpoint file. */
export type SourceDType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

/**
 * One tensor copied out of a checkpoint, owned by the caller (it shares no memory with the file
 * or with other tensors, even where the file stored them as views of one storage).
 */
export interface HostTensor {
  /** The dtype as stored in the file; `values` may be wider. */
  sourceDtype: SourceDType;
  /** Row-major (C order) shape; `[]` for a 0-dim scalar. Every entry is a non-negative integer. */
  shape: number[];
  /**
   * The elements in row-major order, `values.length === product(shape)`. Floats are upcast to
   * Float32Array (float64 stays Float64Array); integers and bool are Float64Array, exact because
   * int64 values beyond ±2^53 are refused.
   */
  values: Float32Array | Float64Array;
}

/** Which on-disk layout a checkpoint used, detected from its bytes. */
export type CheckpointFormat = 'pth-zip' | 'pth-legacy' | 'safetensors';

/** A plain scalar that sits beside the state dict at the top level of a checkpoint. */
export type CheckpointExtra = string | number | boolean | null;

/** What `readCheckpoint` found in one file. */
export interface LoadedCheckpoint {
  /** The layout detected from the bytes, never from the file name. */
  format: CheckpointFormat;
  /** The flat state dict in file order, after opening a known wrapper; never empty. */
  tensors: Map<string, HostTensor>;
  /** The top-level key that held the state dict ('model', 'state_dict', ...), or null when bare. */
  wrapperKey: string | null;
  /** Plain scalar top-level entries beside the state dict (e.g. `epoch`); numpy scalars decoded. */
  extras: Record<string, CheckpointExtra>;
  /** Qualified names of inert globals met anywhere in the pickle, deduplicated and sorted. */
  placeholders: string[];
  /** safetensors `__metadata__` (string to string); `{}` for the pickle formats. */
  metadata: Record<string, string>;
}
