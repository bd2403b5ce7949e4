/**
 * An agent's upload is kept for the message that will carry it; one no message ever carried
 * (attached, then the draft dropped; or a script uploading) would stay in the store for ever,
 * bytes and all. It goes a day after its public link lapsed: for an agent's upload that is a
 * day after the upload (its link opens only when a message carries it), for the simulator's
 * customer files a day after their longer link. A send naming it later is refused as
 * media_not_found, as for any unknown upload.
 */
import type { Database } from '../store/tx.ts';

export const UNSENT_UPLOAD_KEPT_MS = 24 * 60 * 60_000;
/** Uploads removed per transaction: each holds up to MEDIA_MAX_BYTES, and SQLite's writer is the relay's thread. */
export const UNSENT_UPLOAD_BATCH = 20;

export function forgetUnsentUploads(db: Database, now: number): Promise<{ forgotten: number; more: boolean }> {
  return db.transaction(async (tx) => {
    const forgotten = await tx.deleteUnsentUploads(now - UNSENT_UPLOAD_KEPT_MS, UNSENT_UPLOAD_BATCH);
    return { forgotten, more: forgotten === UNSENT_UPLOAD_BATCH };
  });
}
