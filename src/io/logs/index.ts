/** Training-log readers: fastai, W&B, TensorBoard, plain CSV/TSV and JSON into scalar series. */

export { parseTrainingLog } from './parseTrainingLog';

export type { LogFormat, ParsedLog, ScalarSeries, StepLabel } from './types';
