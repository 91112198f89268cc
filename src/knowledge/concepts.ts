/**
 * The worry → experience concept map (`data/concepts.tsv`, header `cues<TAB>experiences`, terms
 * separated by `|`). People describe a worry ("マンネリ", "burned out", "査定が怖い"); documents
 * describe experiences that answer it (ジョブシャドウイング, キャリア相談, 挑戦加点). A query that
 * contains a cue is expanded with the row's experiences, one direction only: this is what turns
 * a vague worry into a concrete next experience without embeddings. Unlike the glossary, whose
 * rows are synonyms, a concept row says "this worry is usually met by these experiences".
 *
 * Cues are matched like glossary terms: English as whole words (with a plural), Japanese as
 * substrings, so a Japanese cue is written as a stem (飽き matches 飽きた and 飽きてきた).
 */
import { compileMatcher } from './glossary';
import { normalizeText } from './text';

export interface ConceptRow {
  cues: string[];
  experiences: string[];
}

/** Parses the TSV; blank lines and `#` comments are skipped, the header row is optional. */
export function parseConcepts(tsv: string): ConceptRow[] {
  const rows: ConceptRow[] = [];
  for (const [index, line] of tsv.replace(/^\uFEFF/, '').split(/\r?\n/).entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [cueCell, experienceCell] = line.split('\t');
    if (index === 0 && cueCell?.trim() === 'cues') continue;
    const split = (cell: string | undefined) => [...new Set((cell ?? '').split('|').map(normalizeText).filter(Boolean))];
    const cues = split(cueCell);
    const experiences = split(experienceCell);
    if (cues.length > 0 && experiences.length > 0) rows.push({ cues, experiences });
  }
  return rows;
}

/** Compiled cue matchers over the concept map. */
export class ConceptExpander {
  private readonly rows: Array<{ experiences: string[]; matchers: Array<(query: string) => boolean> }>;

  constructor(concepts: ConceptRow[]) {
    this.rows = concepts.map((row) => ({ experiences: row.experiences, matchers: row.cues.map(compileMatcher) }));
  }

  get size(): number {
    return this.rows.length;
  }

  /** Experience terms for the worries `query` mentions (normalised, deduplicated, map order). */
  expand(query: string): string[] {
    const normalized = normalizeText(query);
    const added = new Set<string>();
    for (const row of this.rows) {
      if (row.matchers.some((matches) => matches(normalized))) for (const term of row.experiences) added.add(term);
    }
    return [...added];
  }
}
