import { stageStatus } from './status';
import {
  unreachableReport,
  webhookFailingReport,
} from './__fixtures__/reports';

describe('stageStatus', () => {
  const checksOf = (stage: string) =>
    webhookFailingReport.checks.filter(c => c.stage === stage);

  it('is the worst status of the stage', () => {
    expect(stageStatus(checksOf('control-plane'))).toBe('fail');
    expect(stageStatus(checksOf('logs'))).toBe('error');
    expect(stageStatus(checksOf('environment'))).toBe('pass');
    expect(stageStatus(checksOf('app'))).toBe('pass');
    expect(
      stageStatus(unreachableReport.checks.filter(c => c.stage === 'app')),
    ).toBe('skipped');
  });

  it('is none for a stage without checks', () => {
    expect(stageStatus([])).toBe('none');
  });
});
