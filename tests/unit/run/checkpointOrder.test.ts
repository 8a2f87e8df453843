import { describe, expect, it } from 'vitest';

import { checkpointPosition, orderCheckpoints } from '../../../src/io/run/checkpointOrder';

describe('checkpoint order', () => {
  it('checkpointPosition reads epochs and steps from the names training scripts write', () => {
    expect(checkpointPosition('swav_epc447.pth')).toEqual({ step: NaN, epoch: 447, source: 'name-epoch' });
    expect(checkpointPosition('runs/model_step_12000.pt')).toEqual({ step: 12000, epoch: NaN, source: 'name-step' });
    expect(checkpointPosition('checkpoint-epoch=3.ckpt')).toEqual({ step: NaN, epoch: 3, source: 'name-epoch' });
    expect(checkpointPosition('swav_fmnist_step00035.pth')).toEqual({ step: 35, epoch: NaN, source: 'name-step' });
    expect(checkpointPosition('ckpt_0042.pth')).toEqual({ step: 42, epoch: NaN, source: 'name-number' });
    expect(checkpointPosition('final.pth')).toEqual({ step: NaN, epoch: NaN, source: 'none' });
    // Architecture names carry numbers that are not steps.
    expect(checkpointPosition('resnet18.pth').source).toBe('none');
    expect(checkpointPosition('r18_half.pth').source).toBe('none');
    expect(checkpointPosition('r18_epoch3_module.pth')).toEqual({ step: NaN, epoch: 3, source: 'name-epoch' });
  });

  it('checkpointPosition prefers scalars saved beside the weights over the file name', () => {
    expect(checkpointPosition('best.pth', { epoch: 3 })).toEqual({ step: NaN, epoch: 3, source: 'metadata' });
    expect(checkpointPosition('step9.pth', { global_step: 1200, epoch: 4 })).toEqual({ step: 1200, epoch: 4, source: 'metadata' });
  });

  it('orderCheckpoints sorts by number, not by text, and falls back to natural name order', () => {
    const names = ['swav_epc100.pth', 'swav_epc20.pth', 'swav_epc3.pth', 'final.pth', 'ckpt10.pth', 'ckpt2.pth'];
    const items = names.map((name) => ({ name, position: checkpointPosition(name) }));
    expect(orderCheckpoints(items).map((i) => names[i])).toEqual(['ckpt2.pth', 'ckpt10.pth', 'swav_epc3.pth', 'swav_epc20.pth', 'swav_epc100.pth', 'final.pth']);
  });
});
