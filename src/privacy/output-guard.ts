/**
 * The last check on text written by the language model before a person sees it. A prompt can
 * ask the model to behave; only code can make sure it did:
 * - links: only URLs of the retrieved documents survive (a planted instruction cannot send
 *   people to https://evil.example);
 * - the system prompt: a reply that quotes a long stretch of it is withheld;
 * - other people's words: text the caller knows must not appear (e.g. another person's journal)
 *   is withheld the same way.
 */

export interface GuardOptions {
  /** URLs the answer may link to: those of the retrieved documents. */
  allowedUrls: Iterable<string>;
  /** Texts the answer must never quote at length: the system prompt and prompt templates. */
  confidential?: string[];
  /** Minimum run of characters, after normalising spaces, that counts as quoting (default 40). */
  quoteWindow?: number;
}

export interface GuardResult {
  text: string;
  /** Links removed because they were not among the retrieved documents. */
  removedLinks: string[];
  /** True when the text quoted confidential material and must be replaced by the caller. */
  withheld: boolean;
}

const MARKDOWN_LINK = /\[([^\]\n]*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))+)>?(?:\s+"[^"]*")?\s*\)/g;
const SLACK_LINK = /<((?:https?|ftp|mailto|javascript|data):[^>|\s]+)(?:\|([^>]*))?>/gi;
const BARE_URL = /\b(?:https?|ftp):\/\/[^\s<>()\[\]"'`]+/gi;
const HTML_ANCHOR = /<a\s[^>]*href\s*=\s*["']?([^"'\s>]+)["']?[^>]*>([\s\S]*?)<\/a>/gi;

/** Canonical form for comparing URLs: no trailing punctuation or slash, lower-case scheme and host. */
export function normaliseUrl(url: string): string {
  const trimmed = url.trim().replace(/[.,;:!?。、」』）)]+$/u, '');
  try {
    const parsed = new URL(trimmed);
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return trimmed.replace(/\/$/, '');
  }
}

/** Removes every link whose target is not an allowed URL; a Markdown link keeps its label as plain text. */
export function stripForeignLinks(text: string, allowedUrls: Iterable<string>): { text: string; removed: string[] } {
  const allowed = new Set([...allowedUrls].map(normaliseUrl));
  const removed: string[] = [];
  const ok = (url: string) => allowed.has(normaliseUrl(url));
  let out = text.replace(HTML_ANCHOR, (_all, url: string, label: string) => {
    if (ok(url)) return `[${label}](${url})`;
    removed.push(url);
    return label;
  });
  out = out.replace(SLACK_LINK, (all, url: string, label?: string) => {
    if (ok(url)) return all;
    removed.push(url);
    return label ?? '';
  });
  out = out.replace(MARKDOWN_LINK, (all, label: string, url: string) => {
    if (ok(url)) return all.replace(/\s*<|>\s*(?=\))/g, '');
    removed.push(url);
    return label;
  });
  // Bare URLs, skipping the targets of Markdown links already allowed above.
  out = out.replace(BARE_URL, (url: string, offset: number, whole: string) => {
    if (whole.slice(Math.max(0, offset - 2), offset) === '](') return url;
    const clean = url.replace(/[.,;:!?。、」』）)]+$/u, '');
    if (ok(clean)) return url;
    removed.push(clean);
    return url.slice(clean.length);
  });
  // javascript:/data: targets in Markdown were caught above; scheme-less "evil.example/x" is not a link in any renderer we use.
  return { text: out.replace(/[ \t]{2,}/g, ' '), removed };
}

function normaliseSpaces(text: string): string {
  return text.replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** True when `text` contains a run of at least `window` characters of `secret` (spaces normalised). */
export function quotesAtLength(text: string, secret: string, window = 40): boolean {
  const haystack = normaliseSpaces(text);
  const source = normaliseSpaces(secret);
  if (source.length < window) return source.length >= 12 && haystack.includes(source);
  const step = Math.max(1, Math.floor(window / 4));
  for (let i = 0; i + window <= source.length; i += step) {
    if (haystack.includes(source.slice(i, i + window))) return true;
  }
  return haystack.includes(source.slice(source.length - window));
}

/** Applies every output check; the caller replaces a `withheld` answer with a polite refusal. */
export function guardModelOutput(text: string, options: GuardOptions): GuardResult {
  const { text: linked, removed } = stripForeignLinks(text, options.allowedUrls);
  const window = options.quoteWindow ?? 40;
  const withheld = (options.confidential ?? []).some((secret) => secret.trim() !== '' && quotesAtLength(linked, secret, window));
  return { text: linked, removedLinks: removed, withheld };
}
