/** The catalogue for the configured language, and the hook every component reads it through. */
import { DEFAULT_LANGUAGE, type Language } from '@shared/language';
import { useLivewall } from '../store';
import type { LivewallState } from '../store/store';
import { CATALOGUES } from './catalogues';
import type { Messages } from './messages';

export function messagesFor(language: Language | null): Messages {
  return CATALOGUES[language ?? DEFAULT_LANGUAGE];
}

const messagesSelector = (s: LivewallState): Messages => messagesFor(s.language);

/** The current language's catalogue (the default until the first snapshot names one). */
export function useMessages(): Messages {
  return useLivewall(messagesSelector);
}
