/** The human part of whatever was thrown, for a notice or an area's error line. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
