/**
 * The bilingual glossary (`data/glossary.tsv`, header `ja<TAB>en`, synonyms separated by `|`).
 * A query that contains any term of a row is expanded with the row's other terms, in both
 * languages: this bridges English questions to Japanese documents (and back) without
 * embeddings, and everyday words (飽きた, マンネリ) to the words documents use (停滞, 成長).
 */
import { normalizeText } from './text';

export type Glossary = string[][];

/** Parses the TSV; blank lines and `#` comments are skipped, the header row is optional. */
export function parseGlossary(tsv: string): Glossary {
  const rows: Glossary = [];
  for (const [index, line] of tsv.replace(/^\uFEFF/, '').split(/\r?\n/).entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (index === 0 && cells[0]?.trim() === 'ja' && cells[1]?.trim() === 'en') continue;
    const terms = [...new Set(cells.flatMap((cell) => cell.split('|')).map(normalizeText).filter(Boolean))];
    if (terms.length > 1) rows.push(terms);
  }
  return rows;
}

const LATIN = /^[\p{Script=Latin}\d\s.'’+#-]+$/u;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiled matchers: Latin terms match whole words (with an optional plural), others as substrings. */
export class GlossaryExpander {
  private readonly rows: Array<{ terms: string[]; matchers: Array<(query: string) => boolean> }>;

  constructor(glossary: Glossary) {
    this.rows = glossary.map((terms) => ({
      terms,
      matchers: terms.map((term) => {
        if (LATIN.test(term)) {
          const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escape(term)}(?:s|es)?(?![\\p{L}\\p{N}])`, 'u');
          return (query: string) => pattern.test(query);
        }
        return (query: string) => query.includes(term);
      }),
    }));
  }

  get size(): number {
    return this.rows.length;
  }

  /** Terms to add to `query` (normalised), excluding those it already contains. */
  expand(query: string): string[] {
    const normalized = normalizeText(query);
    const added = new Set<string>();
    for (const row of this.rows) {
      const hit = row.matchers.some((matches) => matches(normalized));
      if (!hit) continue;
      row.terms.forEach((term, i) => {
        if (!row.matchers[i]!(normalized)) added.add(term);
      });
    }
    return [...added];
  }
}
