/** The errors a probe throws when it ran and found something wrong: their message is the sentence. */
import type { HealthWords } from '@shared/healthWords';

/** A probe that ran and found something wrong: its message is the sentence. */
export class HealthFailure extends Error {
  constructor(
    message: string,
    readonly words?: HealthWords,
  ) {
    super(message);
  }
}

/** A probe that did not answer within its bound. */
export class HealthTimeout extends HealthFailure {}
