import fs from 'node:fs';
import path from 'node:path';
import { lineage, Scenario } from './scenario';

/**
 * Puts a scenario's container logs (`logs/<namespace>/<pod>/<container>.log`, also those of the scenarios
 * it extends) where the running testenv's stand-in kubelet serves them, so `pods/log` reads through the
 * API server return them as a kubelet would.
 */
export function installScenarioLogs(scenario: Scenario, dataDir: string): number {
  let copied = 0;
  for (const dir of lineage(scenario.dir)) {
    const logs = path.join(dir, 'logs');
    if (!fs.existsSync(logs)) continue;
    fs.cpSync(logs, path.join(dataDir, 'logs'), { recursive: true });
    copied += fs
      .readdirSync(logs, { recursive: true })
      .filter(f => String(f).endsWith('.log')).length;
  }
  return copied;
}
