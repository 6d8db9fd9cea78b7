/** The message of anything thrown; this package has no Backstage dependency to borrow `toError` from. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
