/**
 * Checkpoint readers: torch.save zip and legacy files through a restricted unpickler that never
 * runs code, and safetensors (read and write). Pure TypeScript for workers and Node alike.
 */

export { readCheckpoint } from './readCheckpoint';
export { readSafetensors } from './safetensorsRead';
export { writeSafetensors } from './safetensorsWrite';

export type { SafetensorsContents } from './safetensorsRead';
export type { SafetensorsTensorInput, SafetensorsWriteDtype } from './safetensorsWrite';
export type {
  CheckpointExtra,
  CheckpointFormat,
  HostTensor,
  LoadedCheckpoint,
  SourceDType,
} from './types';
