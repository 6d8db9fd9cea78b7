import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import {
  FAILURE_MODE_IDS,
  FAILURE_MODES,
  TRIAGE_STAGES,
} from '@serving-health/plugin-serving-health-common';
import { useServingHealthLabels } from './useServingHealthLabels';

/** What the hook says for each input, as the app's translation API resolves it. */
async function labels(
  probe: (l: ReturnType<typeof useServingHealthLabels>) => unknown,
) {
  const Probe = () => (
    <pre data-testid="labels">
      {JSON.stringify(probe(useServingHealthLabels()) ?? null)}
    </pre>
  );
  await renderInTestApp(<Probe />);
  return JSON.parse(screen.getByTestId('labels').textContent!);
}

describe('useServingHealthLabels', () => {
  it("says every stage and failure mode in -common's own English, numbered as the triage runs", async () => {
    expect(
      await labels(l => ({
        stages: TRIAGE_STAGES.map(s => l.stageTitle(s.id)),
        modes: FAILURE_MODE_IDS.map(l.failureModeTitle),
      })),
    ).toEqual({
      stages: TRIAGE_STAGES.map(s => `${s.order}. ${s.title}`),
      modes: FAILURE_MODE_IDS.map(id => FAILURE_MODES[id].title),
    });
  });

  it('shows an id it does not know as it is', async () => {
    expect(
      await labels(l => [
        l.failureModeTitle('gpu-quota-exceeded'),
        l.stageTitle(undefined),
      ]),
    ).toEqual(['gpu-quota-exceeded', null]);
  });
});
