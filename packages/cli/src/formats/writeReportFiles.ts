import fs from 'node:fs';
import path from 'node:path';
import { toError } from '@backstage/errors';

/**
 * Writes the report files the user asked for (`--sarif`, `--junit`, relative to `cwd`); a file that cannot be
 * written is a usage error (exit 2), never silent.
 */
export function writeReportFiles(
  requested: { cwd: string; sarif?: string; junit?: string },
  render: { sarif: () => string; junit: () => string },
  UsageError: new (message: string) => Error,
) {
  for (const format of ['sarif', 'junit'] as const) {
    const target = requested[format];
    if (!target) continue;
    const file = path.resolve(requested.cwd, target);
    try {
      fs.writeFileSync(file, render[format]());
    } catch (e) {
      throw new UsageError(
        `cannot write the ${format} report to ${file}: ${toError(e).message}`,
      );
    }
  }
}
