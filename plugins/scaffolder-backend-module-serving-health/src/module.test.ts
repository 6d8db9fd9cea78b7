import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleServingHealth } from './module';

describe('scaffolderModuleServingHealth', () => {
  it('registers the three actions, each supporting dry-run', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleServingHealth,
        mockServices.rootConfig.factory({
          data: {
            servingHealth: {
              scaffolder: { conventions: { requiredLabels: ['owner'] } },
            },
          },
        }),
      ],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map((a: any) => [a.id, a.supportsDryRun])).toEqual([
      ['serving-health:validate', true],
      ['serving-health:kustomize-lint', true],
      ['serving-health:admission-dry-run', true],
    ]);
    // zod schemas become JSON schemas for the scaffolder's action list
    expect(actions[0].schema.input.properties.failOnViolation.type).toBe(
      'boolean',
    );
  });

  it('refuses to start with malformed conventions', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [scaffolderActionsExtensionPoint, { addActions: jest.fn() }],
        ],
        features: [
          scaffolderModuleServingHealth,
          mockServices.rootConfig.factory({
            data: {
              servingHealth: {
                scaffolder: { conventions: { keyStyle: 'Pascal' } },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /servingHealth\.scaffolder\.conventions: `keyStyle` must be one of/,
    );
  });
});
