import fs from 'node:fs';
import { toError } from '@backstage/errors';

type ReportFile = { file: string; content: () => string } | undefined | '';

/** Writes the requested report files; a file that cannot be written is a usage error (exit 2), never silent. */
export function writeReportFiles(
  files: Record<string, ReportFile>,
  UsageError: new (message: string) => Error,
) {
  for (const [format, spec] of Object.entries(files)) {
    if (!spec) continue;
    try {
      fs.writeFileSync(spec.file, spec.content());
    } catch (e) {
      throw new UsageError(
        `cannot write the ${format} report to ${spec.file}: ${toError(e).message}`,
      );
    }
  }
}
