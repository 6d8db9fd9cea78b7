import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { servingHealthApiRef } from './api';
import { fleetSummary } from './__fixtures__/reports';
import plugin from './alpha';

describe('serving-health alpha plugin', () => {
  it('provides the API, the entity tab, the entity card and the fleet page', () => {
    expect(plugin.pluginId).toBe('serving-health');
    for (const id of [
      'api:serving-health',
      'entity-content:serving-health',
      'entity-card:serving-health',
      'page:serving-health',
    ]) {
      expect(plugin.getExtension(id)).toBeDefined();
    }
  });

  it('renders the fleet page through the page extension', async () => {
    const api = {
      getReport: jest.fn(),
      getFleet: jest.fn(async () => fleetSummary),
    };
    const tester = createExtensionTester(
      plugin.getExtension('page:serving-health'),
    );
    renderInTestApp(tester.reactElement(), {
      apis: [[servingHealthApiRef, api]],
    });
    expect(
      await screen.findByTestId('fleet-row-fraud-model'),
    ).toBeInTheDocument();
  });
});
