import {
  EntityServingHealthCard,
  EntityServingHealthContent,
  ServingHealthPage,
  servingHealthPlugin,
} from './plugin';

describe('servingHealthPlugin', () => {
  it('exports the plugin and its extensions', () => {
    expect(servingHealthPlugin.getId()).toBe('serving-health');
    expect(servingHealthPlugin.getApis()).toHaveLength(1);
    expect(EntityServingHealthContent).toBeDefined();
    expect(EntityServingHealthCard).toBeDefined();
    expect(ServingHealthPage).toBeDefined();
  });
});
