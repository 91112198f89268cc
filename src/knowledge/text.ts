/**
 * Text normalisation and segmentation shared by indexing and querying, so both sides see the
 * same tokens. FTS5's unicode61 tokenizer treats a run of kanji as one token and its trigram
 * tokenizer matches nothing under three characters, so Japanese is segmented here first:
 * `Intl.Segmenter('ja')` words, plus character bigrams of every kanji/katakana run so that a
 * two-character term (営業, 品質, 財務) matches even inside a longer compound (品質管理).
 */

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

const SCRIPT_RUNS = /([\p{Script=Han}\p{Script=Katakana}ー々]+)|([^\p{Script=Han}\p{Script=Katakana}ー々]+)/gu;
const JAPANESE_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;
const SINGLE_HAN = /^[\p{Script=Han}々]$/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Particles, auxiliaries and English function words: they match everything and rank nothing. */
const STOPWORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'do', 'does', 'for', 'from', 'how', 'i', 'in', 'is', 'it',
  'me', 'my', 'of', 'on', 'or', 'should', 'so', 'that', 'the', 'there', 'this', 'to', 'was', 'what', 'when', 'where',
  'which', 'who', 'will', 'with', 'would', 'you', 'your', 'am', 'any', 'about', 'want', 'we', 'our', 'have', 'has',
  'ます', 'です', 'する', 'して', 'した', 'ない', 'ある', 'いる', 'なる', 'れる', 'られる', 'こと', 'もの', 'ため',
  'ありま', 'できる', 'できま', 'よう', 'これ', 'それ', 'あれ', 'どれ', 'どう', 'どんな', 'ください', 'でしょう', 'ありますか', 'ですか', 'ません',
]);

/** NFKC (ＡＷＳ → AWS, ｶﾀｶﾅ → カタカナ), lower case, collapsed whitespace. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when the text contains kana or kanji. */
export function hasJapanese(text: string): boolean {
  return JAPANESE_CHAR.test(text);
}

/**
 * The search tokens of a text: normalised words (Japanese segmented), without stopwords and
 * one-character hiragana, plus kanji/katakana bigrams. Order follows the text; duplicates kept
 * (term frequency matters to BM25).
 */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  const tokens: string[] = [];
  // Runs of kanji/katakana become overlapping bigrams in place, so phrase queries still see
  // the original order; the rest goes through the word segmenter.
  for (const match of normalized.matchAll(SCRIPT_RUNS)) {
    const run = match[1];
    if (run !== undefined) {
      if (run.length === 1) {
        if (SINGLE_HAN.test(run)) tokens.push(run);
        continue;
      }
      for (let i = 0; i + 2 <= run.length; i++) tokens.push(run.slice(i, i + 2));
      continue;
    }
    for (const { segment, isWordLike } of segmenter.segment(match[2] ?? '')) {
      if (!isWordLike || !HAS_LETTER_OR_DIGIT.test(segment)) continue;
      if (STOPWORDS.has(segment)) continue;
      if (HIRAGANA_ONLY.test(segment) && segment.length < 3) continue;
      tokens.push(segment);
    }
  }
  return tokens;
}

/** Tokens joined by spaces: what goes into an FTS5 column (unicode61 then splits on the spaces). */
export function indexText(text: string): string {
  return tokenize(text).join(' ');
}

/** Unique tokens in first-seen order. */
export function uniqueTokens(text: string): string[] {
  return [...new Set(tokenize(text))];
}

/** Quotes one token or phrase for an FTS5 MATCH expression (double quotes doubled). */
export function ftsPhrase(tokens: string[]): string {
  return `"${tokens.join(' ').replace(/"/g, '""')}"`;
}
