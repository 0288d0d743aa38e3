/**
 * The WebSocket transport of the bridge API (path `/ws`): the server pushes what IPC pushes.
 * Requests go over HTTP (the routes of the contract table, contract.ts). The MySQL password is set
 * in the app only, never over the web.
 */
import * as v from 'valibot';
import { entity, plainObject, type Schema } from './schema';
import { burstProgress, feedStatus, metricBatch, snapshot } from './schemas';

const messageOptions = (timeZone: string) =>
  [
    v.object({ type: v.literal('snapshot'), snapshot: snapshot(timeZone) }),
    v.object({ type: v.literal('batch'), batch: metricBatch(timeZone) }),
    v.object({ type: v.literal('status'), status: feedStatus }),
    v.object({ type: v.literal('burstProgress'), progress: burstProgress }),
  ] as const;

export type ServerMessage = v.InferOutput<ReturnType<typeof messageOptions>[number]>;

/** One WebSocket message; a whole message is refused if any part is wrong. */
export const serverMessage = (timeZone: string): Schema<ServerMessage> =>
  entity(
    'message',
    v.pipe(
      plainObject('not a JSON object'),
      v.variant(
        'type',
        messageOptions(timeZone),
        (issue) => `unknown "type" ${JSON.stringify(issue.input)}`,
      ),
    ),
  );

export const WS_PATH = '/ws';
