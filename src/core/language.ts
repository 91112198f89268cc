/** Which language to answer in: the message's own language when it shows one, else the person's. */
import type { Locale } from './types';

const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/u;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * Detects ja/en from text. Any kana or kanji means Japanese (Japanese messages routinely
 * contain English terms such as AWS); three or more Latin words and no Japanese means English.
 * Otherwise (a bare command word, emoji, numbers) the fallback wins.
 */
export function detectLocale(text: string | undefined, fallback: Locale): Locale {
  if (!text) return fallback;
  if (JAPANESE.test(text)) return 'ja';
  const words = text.match(LATIN_WORD) ?? [];
  return words.length >= 3 ? 'en' : fallback;
}
