import { ServingHealthApi } from '../api';

/** A ServingHealthApi of jest mocks: no history, nothing else answered unless a test gives it. */
export function mockServingHealthApi(
  overrides: Partial<ServingHealthApi> = {},
): jest.Mocked<ServingHealthApi> {
  const api: ServingHealthApi = {
    getReport: async () => {
      throw new Error('getReport not mocked');
    },
    getFleet: async () => {
      throw new Error('getFleet not mocked');
    },
    getSummaries: async () => {
      throw new Error('getSummaries not mocked');
    },
    getHistory: async () => ({ transitions: [] }),
    getFleetHistory: async () => ({ states: [], transitions: [] }),
    ...overrides,
  };
  return {
    getReport: jest.fn(api.getReport),
    getFleet: jest.fn(api.getFleet),
    getSummaries: jest.fn(api.getSummaries),
    getHistory: jest.fn(api.getHistory),
    getFleetHistory: jest.fn(api.getFleetHistory),
  };
}
