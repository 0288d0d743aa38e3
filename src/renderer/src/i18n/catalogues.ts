/** Every language's catalogue, by config value (no React, so scripts and tests read it too). */
import type { Language } from '@shared/language';
import { en } from './en';
import type { Messages } from './messages';
import { zh } from './zh';
import { zhEn } from './zhEn';

export const CATALOGUES: Readonly<Record<Language, Messages>> = { zh, en, 'zh+en': zhEn };
