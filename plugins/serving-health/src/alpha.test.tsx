import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { ComponentType } from 'react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { servingHealthApiRef } from './api';
import { fleetSummary } from './__fixtures__/reports';
import plugin, { servingHealthTranslationRef } from './alpha';

describe('serving-health alpha plugin', () => {
  it('provides the API, the entity tab, the entity card and the fleet page', () => {
    expect(plugin.pluginId).toBe('serving-health');
    for (const id of [
      'api:serving-health',
      'entity-content:serving-health',
      'entity-card:serving-health',
      'entity-card:serving-health/endpoints',
      'catalog-filter:serving-health/serving-health',
      'page:serving-health',
      'scaffolder-form-field:serving-health/labels',
    ]) {
      expect(plugin.getExtension(id)).toBeDefined();
    }
  });

  it('renders the fleet page through the page extension', async () => {
    const api = {
      getReport: jest.fn(),
      getFleet: jest.fn(async () => fleetSummary),
      getHistory: jest.fn(async () => ({ transitions: [] })),
      getFleetHistory: jest.fn(async () => ({ states: [], transitions: [] })),
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

  it('loads the ServingHealthLabels form field, which renders the labels editor', async () => {
    const tester = createExtensionTester(
      plugin.getExtension('scaffolder-form-field:serving-health/labels'),
    );
    // getExtension's type does not keep the blueprint's outputs, so name the loader's type here.
    const load = tester.get(
      FormFieldBlueprint.dataRefs.formFieldLoader as any,
    ) as () => Promise<unknown>;
    const field = await load();
    // FormField is opaque in the public types; its instance carries what createFormField was given.
    const { name, component: Field } = field as unknown as {
      name: string;
      component: ComponentType<any>;
    };
    expect(name).toBe('ServingHealthLabels');
    renderInTestApp(
      <Field
        formData={undefined}
        onChange={jest.fn()}
        uiSchema={{ 'ui:options': {} }}
        schema={{ title: 'Labels', type: 'object' }}
        idSchema={{ $id: 'root_labels' }}
        rawErrors={[]}
        required
      />,
    );
    expect(
      ((await screen.findByLabelText('label key 1')) as HTMLInputElement).value,
    ).toBe('owner');
  });

  it('exports the translation ref of every UI string', () => {
    expect(servingHealthTranslationRef.id).toBe('serving-health');
  });
});
