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

/**
 * A matcher for one normalised term: Latin terms match whole words with light morphology (a
 * plural, and -ing/-ed/-ion forms of the same stem, so "negotiating" finds "negotiation"),
 * others (Japanese) as substrings.
 */
export function compileMatcher(term: string): (query: string) => boolean {
  if (LATIN.test(term)) {
    const stem = englishStem(term);
    const body = stem === term ? escape(term) : `${escape(stem)}(?:e|es|ed|ing|ion|ions|ation|ations|ate|ated|ates|ating|er|ers)?`;
    // ASCII boundaries, no Unicode property classes: the text is NFKC-normalised and lower-cased,
    // and V8 compiles a \\p{…} pattern slowly (a thousand of them cost ~0.5 s on the first query).
    const pattern = new RegExp(`(?<![a-z0-9])${body}(?:s|es)?(?![a-z0-9])`);
    return (query: string) => pattern.test(query);
  }
  return (query: string) => query.includes(term);
}

/** The stem of a single English word ending in -ing/-ion/-ed/-e (long enough to stay specific); phrases are kept. */
function englishStem(term: string): string {
  if (term.includes(' ') || term.length < 6) return term;
  const match = /^(.{4,}?)(?:ation|ion|ing|ed|e)$/.exec(term);
  return match ? match[1]! : term;
}

/** Compiled matchers: Latin terms match whole words (with light morphology), others as substrings. */
export class GlossaryExpander {
  private readonly rows: Array<{ terms: string[]; matchers: Array<(query: string) => boolean> }>;

  constructor(glossary: Glossary) {
    this.rows = glossary.map((terms) => ({ terms, matchers: terms.map(compileMatcher) }));
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * Terms to add to `query` (normalised), excluding those it already contains. `ignore` names
   * terms that do not trigger a row (words that state the kind of document wanted, which are
   * handled as a kind boost rather than expanded into every synonym of "course").
   */
  expand(query: string, ignore?: (term: string) => boolean): string[] {
    const normalized = normalizeText(query);
    const added = new Set<string>();
    for (const row of this.rows) {
      const hit = row.matchers.some((matches, i) => matches(normalized) && !ignore?.(row.terms[i]!));
      if (!hit) continue;
      row.terms.forEach((term, i) => {
        if (!row.matchers[i]!(normalized)) added.add(term);
      });
    }
    return [...added];
  }
}
