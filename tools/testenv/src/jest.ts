import { startTestEnv, StartTestEnvOptions, TestEnv } from './testenv';

// Generous: the first start on a machine may have to build the binary.
const START_TIMEOUT_MS = 10 * 60_000;

/**
 * One testenv for the whole test file: started in beforeAll, stopped in
 * afterAll. Call it at the top level of a describe block; the returned
 * function gives the running env inside tests.
 */
export function useTestEnv(options: StartTestEnvOptions = {}): () => TestEnv {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await startTestEnv(options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await env?.stop();
  }, 60_000);
  return () => {
    if (!env) {
      throw new Error('the testenv is not running (did beforeAll fail?)');
    }
    return env;
  };
}
