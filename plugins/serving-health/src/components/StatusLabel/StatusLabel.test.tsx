import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { CheckStatusLabel, OverallStatusLabel } from './StatusLabel';

describe('StatusLabel', () => {
  it('names the overall status for assistive technology', async () => {
    await renderInTestApp(
      <OverallStatusLabel status="degraded" testId="overall" />,
    );
    expect(
      screen.getByRole('img', { name: 'Overall status: Degraded' }),
    ).toHaveAttribute('data-status', 'degraded');
    expect(screen.getByTestId('overall')).toHaveTextContent('Degraded');
  });

  it('says "Could not run" for a check that errored', async () => {
    await renderInTestApp(<CheckStatusLabel status="error" />);
    expect(
      screen.getByRole('img', { name: 'Status: Could not run' }),
    ).toHaveTextContent('Could not run');
  });
});
