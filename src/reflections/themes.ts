/**
 * Themes: a few keywords that say what a person's lessons are about, used to find a fitting
 * training, posting or job-shadowing programme. Offline and deterministic: katakana words,
 * kanji compounds and Latin words, minus common words, ranked by frequency then first appearance.
 */

const STOP_WORDS = new Set([
  // English
  'the', 'and', 'for', 'with', 'that', 'this', 'was', 'were', 'are', 'have', 'has', 'had', 'not', 'but', 'you', 'your', 'our',
  'from', 'they', 'them', 'what', 'when', 'how', 'about', 'into', 'more', 'less', 'than', 'then', 'just', 'also', 'very',
  'will', 'would', 'could', 'should', 'can', 'did', 'does', 'week', 'next', 'last', 'try', 'tried', 'trying', 'felt', 'feel',
  'got', 'get', 'make', 'made', 'some', 'one', 'two', 'out', 'its', 'it', 'his', 'her', 'their', 'there', 'here', 'who',
  'again', 'time', 'first', 'before', 'after', 'because', 'which', 'while', 'being', 'been', 'other', 'others', 'lesson',
  'myself', 'team', 'work', 'things', 'thing', 'really', 'much', 'many', 'good', 'well', 'new', 'hard',
  // Japanese (kanji compounds that carry no theme)
  '今週', '来週', '先週', '自分', '今回', '次回', '仕事', '経験', '学び', '感じ', '気持', '場合', '必要', '大事', '大切',
  '今日', '明日', '昨日', '最初', '最後', '以上', '以下', '問題', '結果', '本当', '全体', '部分', '相手', '他人',
]);

const TOKEN = /[\u30A0-\u30FFー]{2,}|[\u4E00-\u9FFF々]{2,}|[A-Za-z][A-Za-z0-9+#.-]{1,}/g;

/** Up to `max` theme words from the given texts. */
export function extractThemes(texts: Array<string | null | undefined>, max = 3): string[] {
  const counts = new Map<string, { word: string; count: number; first: number }>();
  let position = 0;
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(TOKEN)) {
      let word = match[0].replace(/[.-]+$/, '');
      const isLatin = /^[A-Za-z]/.test(word);
      if (isLatin && word.length < 3 && !/^[A-Z]{2}$/.test(word)) continue;
      const key = isLatin ? word.toLowerCase() : word;
      if (STOP_WORDS.has(key) || word === 'ー') continue;
      if (isLatin && /^[a-z]/.test(word)) word = key;
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { word, count: 1, first: position });
      position += 1;
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, max)
    .map((e) => e.word);
}
