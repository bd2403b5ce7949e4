/**
 * Record ids: opaque, unguessable enough, and in creation order — the order is what keeps a
 * group commit's index writes together (domain/ids.ts), so a change back to random ids shows
 * up here and not only as a slower benchmark.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';

describe('newId', () => {
  it('keeps the prefix and 32 hex digits, as the API has always returned them', () => {
    assert.match(newId('msg'), /^msg_[0-9a-f]{32}$/);
    assert.match(newId('cv'), /^cv_[0-9a-f]{32}$/);
  });

  it('sorts ids in the order they were made, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('msg'));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
