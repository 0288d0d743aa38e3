// Types of scripts/cdk.mjs (plain JavaScript: `npm run synth` and `npm run deploy`).

export function newestMtime(path: string): number;
export function jarIsStale(root: string): boolean;
export function cdkArgs(command: string, rest: string[]): string[];
