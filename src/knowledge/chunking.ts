/**
 * Splits a Markdown body into retrieval chunks. Headings bound chunks: small sections are packed
 * together up to a target size, a long section is cut between sentences (。！？ as well as
 * . ! ? and line breaks), and only a single over-long sentence is ever cut mid-sentence.
 * Each chunk remembers the heading it starts under.
 */

export interface Chunk {
  seq: number;
  /** Heading of the first section in the chunk (null before the first heading). */
  heading: string | null;
  text: string;
}

export interface ChunkOptions {
  /** Soft target in characters (Japanese is dense: 500 characters is a good paragraph or two). */
  targetChars?: number;
  /** Hard limit; sentences longer than this are cut. */
  maxChars?: number;
}

interface Section {
  heading: string | null;
  text: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;

/** Sections of a Markdown body, split at ATX headings (outside fenced code). */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: null, text: '' };
  let inFence = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (match) {
      if (current.text.trim() || current.heading) sections.push(current);
      current = { heading: match[2]!.trim(), text: '' };
    } else {
      current.text += `${line}\n`;
    }
  }
  if (current.text.trim() || current.heading) sections.push(current);
  return sections.map((s) => ({ heading: s.heading, text: s.text.trim() }));
}

/** Sentences with their closing punctuation kept; line breaks also end a sentence (list items). */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  const pattern = /[^。！？!?\n]*?(?:[。！？]+|[!?]+(?=\s|$)|\.(?=\s|$)|\n|$)/g;
  for (const match of text.matchAll(pattern)) {
    const sentence = match[0];
    if (sentence.trim()) sentences.push(sentence.trim());
    if (match.index !== undefined && match[0] === '' && match.index >= text.length) break;
  }
  return sentences;
}

function cut(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < sentence.length; i += maxChars) pieces.push(sentence.slice(i, i + maxChars));
  return pieces;
}

/** Chunks of a body, in order. */
export function chunkMarkdown(body: string, options: ChunkOptions = {}): Chunk[] {
  const target = options.targetChars ?? 500;
  const max = Math.max(options.maxChars ?? 1000, target);
  const chunks: Chunk[] = [];
  let heading: string | null = null;
  let parts: string[] = [];
  let length = 0;
  const flush = () => {
    const text = parts.join('\n').trim();
    if (text) chunks.push({ seq: chunks.length, heading, text });
    parts = [];
    length = 0;
  };
  for (const section of splitSections(body)) {
    const block = section.heading ? `## ${section.heading}\n${section.text}`.trim() : section.text;
    if (length > 0 && length + block.length > target) flush();
    if (length === 0) heading = section.heading;
    if (block.length <= max) {
      parts.push(block);
      length += block.length + 1;
      continue;
    }
    // A long section: pack its sentences, repeating the heading at the top of each piece.
    const prefix = section.heading ? `## ${section.heading}\n` : '';
    let piece = prefix;
    for (const sentence of splitSentences(section.text).flatMap((s) => (s.length > max ? cut(s, max) : [s]))) {
      if (piece.length + sentence.length > target && piece.length > prefix.length) {
        parts.push(piece.trim());
        flush();
        heading = section.heading;
        piece = prefix;
      }
      piece += /[。！？]$/.test(piece) || piece === prefix ? sentence : `\n${sentence}`;
    }
    if (piece.length > prefix.length) {
      parts.push(piece.trim());
      length += piece.length;
    }
  }
  flush();
  return chunks;
}
