/**
 * What each channel of the contract table does, against the screen's feed: one handler per
 * channel, shared by the Electron IPC (src/main/shell/ipc.ts) and the web server's routes.
 */
import type { PasswordSaved } from '@shared/contracts';
import type { ChannelHandlers } from '@shared/channels';
import type { ScreenFeed } from './screenSource';

export function feedHandlers(
  feed: ScreenFeed,
  savePassword: (password: string) => Promise<PasswordSaved>,
): ChannelHandlers {
  return {
    'metrics.snapshot': () => feed.snapshot(),
    'burst.start': (request) => feed.burst(request),
    'source.status': () => feed.status(),
    'burst.targets': () => feed.burstTargets(),
    'mysql.password': (request) => savePassword(request.password),
    'health.run': () => feed.health(),
  };
}
