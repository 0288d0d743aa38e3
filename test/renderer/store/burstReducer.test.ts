import { describe, expect, test } from 'vitest';
import {
  burstErrorSentence,
  burstReducer,
  initialBurstData,
} from '../../../src/renderer/src/store/burstReducer';
import { burstProgress } from '../fixtures';

const BUSY = 'A burst of 100 000 demo orders is running (37 000 sent); wait for it to finish.';

describe('burst panel while another screen bursts', () => {
  test("the server's refusal stays on screen while the other burst runs, and goes when it ends", () => {
    const other = (inserted: number) =>
      burstProgress({
        burstId: 7,
        target: 'embedded',
        requested: 100_000,
        inserted,
        updated: 0,
        pendingSteps: 0,
      });
    let s = burstReducer(initialBurstData, { type: 'progress', progress: other(37_000) });
    expect(s).toMatchObject({ external: true, lastError: null });
    s = burstReducer(s, { type: 'start', orders: 1000 });
    // The web API throws the 409 body's sentence; IPC wraps the same sentence.
    const ipc = new Error(`Error invoking remote method 'burst.start': Error: ${BUSY}`);
    s = burstReducer(s, { type: 'failed', error: burstErrorSentence(ipc) });
    expect(s).toMatchObject({ running: false, lastError: BUSY });
    s = burstReducer(s, { type: 'progress', progress: other(50_000) });
    expect(s).toMatchObject({ external: true, lastError: BUSY, progress: { inserted: 50_000 } });
    s = burstReducer(s, { type: 'progress', progress: other(100_000) });
    expect(s).toMatchObject({ external: false, lastError: null });
  });
});
