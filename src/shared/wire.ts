/**
 * The WebSocket transport of the bridge API (path `/ws`): every push of the table (PUSHES in
 * channels.ts) as `{"channel": name, "payload": …}`, and first on each connection the snapshot,
 * under the name of the request it answers (`metrics.snapshot`), then the status. Requests go over
 * HTTP (the routes of the contract table). The MySQL password is set in the app only.
 */
import type * as v from 'valibot';
import { CONTRACT, PUSHES } from './channels';
import { fail, ok } from './result';
import { entity, FIRST_ISSUE, fromFunction, isObj, issueOf, runOn, type Schema } from './schemaKit';

/** What the WebSocket carries: the pushes, and the snapshot that starts each connection. */
const WIRE = { ...PUSHES, 'metrics.snapshot': CONTRACT['metrics.snapshot'].response };

export type WireChannel = keyof typeof WIRE;
export type WirePayloads = { [C in WireChannel]: v.InferOutput<(typeof WIRE)[C]> };
export type ServerMessage = {
  [C in WireChannel]: { channel: C; payload: WirePayloads[C] };
}[WireChannel];

const isWireChannel = (x: unknown): x is WireChannel =>
  typeof x === 'string' && Object.hasOwn(WIRE, x);

/** One message, as the server writes it. */
export function serverMessageOf<C extends WireChannel>(
  channel: C,
  payload: WirePayloads[C],
): ServerMessage {
  // A mapped union indexed by a generic key is this member; TypeScript cannot see it.
  return { channel, payload } as ServerMessage;
}

/** One WebSocket message; a whole message is refused if any part is wrong. */
export const serverMessage: Schema<ServerMessage> = entity(
  'message',
  fromFunction((m) => {
    if (!isObj(m)) return fail('not a JSON object');
    const { channel } = m;
    if (!isWireChannel(channel)) return fail(`unknown "channel" ${JSON.stringify(channel)}`);
    const payload = runOn<unknown>(WIRE[channel], m.payload, FIRST_ISSUE);
    const issue = issueOf(payload);
    if (issue !== null || !payload.typed) return fail(issue ?? 'invalid');
    // The payload passed the channel's own schema.
    return ok({ channel, payload: payload.value } as ServerMessage);
  }),
);

export const WS_PATH = '/ws';
