/**
 * What the person finally sees of a generated answer: only links to retrieved documents survive
 * (the privacy output guard), citation numbers that point nowhere are removed, and the sources are
 * exactly the documents the answer cites, under the numbers it shows.
 */
import type { Citation } from '../core/types';
import { guardModelOutput } from '../privacy/output-guard';
import { toCitation, type NumberedSource } from './context';

export interface CheckedAnswer {
  text: string;
  sources: Citation[];
  removedLinks: string[];
  /** The answer quoted the system prompt at length and must not be shown. */
  withheld: boolean;
}

/** `[1]`, `[1, 2]`, `[1][3]`, full-width `［1］`; not Markdown link labels (`[1](url)`). */
const CITATION = /[[［]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]］](?!\()/g;

/** The citation numbers used in a text, in order of first appearance. */
export function citedNumbers(text: string): number[] {
  const seen: number[] = [];
  for (const match of text.matchAll(CITATION)) {
    for (const n of match[1]!.split(/[,，、]/).map((s) => Number(s.trim()))) if (!seen.includes(n)) seen.push(n);
  }
  return seen;
}

/** Checks a generated answer against the sources it was given. */
export function checkAnswer(raw: string, sources: NumberedSource[], confidential: string[] = []): CheckedAnswer {
  const guarded = guardModelOutput(raw, { allowedUrls: sources.map((s) => s.document.url), confidential });
  const valid = new Set(sources.map((s) => s.n));
  // Drop numbers that match no source; a bracket left empty disappears.
  const text = guarded.text
    .replace(CITATION, (_all, list: string) => {
      const kept = list
        .split(/[,，、]/)
        .map((s) => Number(s.trim()))
        .filter((n) => valid.has(n));
      return kept.length ? kept.map((n) => `[${n}]`).join('') : '';
    })
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/[ \t]+([。、.,])/g, '$1')
    .trim();
  const cited = citedNumbers(text);
  const citations = sources.filter((s) => cited.includes(s.n)).map(toCitation);
  return { text, sources: citations, removedLinks: guarded.removedLinks, withheld: guarded.withheld };
}

/**
 * Passes streamed tokens on only once they cannot be part of a link still being written, so a
 * foreign URL never flashes on the person's screen before the final check removes it.
 * The emitted text is always a prefix of the checked final text; when it would not be, streaming
 * stops and the final answer replaces the preview.
 */
export class StreamingLinkFilter {
  private raw = '';
  private emitted = '';
  private stopped = false;

  constructor(
    private readonly sources: NumberedSource[],
    private readonly emit: (chunk: string) => void | Promise<void>,
  ) {}

  async push(token: string): Promise<void> {
    this.raw += token;
    if (this.stopped) return;
    const stable = stablePrefix(this.raw);
    if (stable.length === 0) return;
    const checked = checkAnswer(stable, this.sources).text;
    if (!checked.startsWith(this.emitted)) {
      this.stopped = true;
      return;
    }
    const delta = checked.slice(this.emitted.length);
    if (delta) {
      this.emitted = checked;
      await this.emit(delta);
    }
  }

  /** The whole raw text received. */
  get text(): string {
    return this.raw;
  }

  /** True once anything reached the person. */
  get started(): boolean {
    return this.emitted.length > 0;
  }
}

/** The part of a growing text that ends at whitespace with no link or bracket still open. */
export function stablePrefix(text: string): string {
  let end = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n'), text.lastIndexOf('\u3000'), text.lastIndexOf('。'), text.lastIndexOf('、'));
  if (end < 0) return '';
  let prefix = text.slice(0, end + 1);
  // An unclosed "[" or "](" or "<" may still become a link: hold back from there.
  const open = Math.max(prefix.lastIndexOf('['), prefix.lastIndexOf('<'), prefix.lastIndexOf('［'));
  if (open >= 0) {
    const rest = prefix.slice(open);
    const closed = /^\[[^\]\n]*\](?:\([^)\s]*\))?(?!\()/.test(rest) && !/^\[[^\]\n]*\]\([^)]*$/.test(rest);
    const closedAngle = /^<[^>]*>/.test(rest);
    const closedFull = /^［[^］]*］/.test(rest);
    if (!closed && !closedAngle && !closedFull) {
      end = open - 1;
      prefix = text.slice(0, open);
    } else if (/\]\s*$/.test(prefix) && /^\[[^\]]*\]\s*$/.test(rest)) {
      // "[label] " could still be followed by "(url)" without a space in some models; hold it back too.
      prefix = text.slice(0, open);
    }
  }
  // A bare URL at the very end may be cut in the middle: hold it back.
  const lastUrl = /(?:https?|ftp):\/\/\S*\s*$/i.exec(prefix);
  if (lastUrl && lastUrl.index + lastUrl[0].length === prefix.length && !/\s$/.test(lastUrl[0])) prefix = prefix.slice(0, lastUrl.index);
  return prefix;
}
