import { analysisKey } from '../store/analysisSlice';
import { useLab } from '../store/labStore';
import { getAnalysis } from '../store/resultCache';

import type { CheckpointAnalysis } from '../../workers/engineApi';
import type { AnalysisStatus } from '../store/analysisSlice';

/** The current checkpoint's analysis, its status and error, re-rendering when it lands. */
export function useCurrentAnalysis(): { status: AnalysisStatus; result: CheckpointAnalysis | undefined; error: string | undefined; index: number } {
  const index = useLab((s) => s.currentIndex);
  const key = useLab((s) => analysisKey(s.run?.id ?? 'none', s.currentIndex, s.options));
  const status = useLab((s) => s.status[key] ?? 'pending');
  const error = useLab((s) => s.errors[key]);
  return { status, result: status === 'done' ? getAnalysis(key) : undefined, error, index };
}
