import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsOf, sseFrames } from '../helpers/sse.ts';

/** The test rig's reader of the relay's event stream (test/helpers/sse.ts), as a panel reads it. */
describe("the tests' SSE reader", () => {
  it("reads past the relay's `: ping` heartbeat and a bare retry hint, as EventSource does (it stopped every stream at its first ping)", async () => {
    const text = 'id: 5\nevent: status\ndata: {"a":1}\n\n: ping\n\nid: 6\nevent: note\ndata: {"b":2}\n\nretry: 500\n\n';
    async function* body() {
      yield new TextEncoder().encode(text);
    }
    const toRow = rowsOf();
    const rows = [];
    for await (const frame of sseFrames(body())) {
      const row = toRow(frame);
      if (row) rows.push(row);
    }
    assert.deepEqual(rows.map((r) => [r.id, r.type]), [
      [5, 'status'],
      [6, 'note'],
    ]);
  });
});
