/**
 * Text conversions between the core's Markdown subset and Slack's mrkdwn. Pure functions.
 *
 * The core writes **bold**, `- ` bullets, numbered lines, [label](url) links and `code`;
 * Slack wants *bold*, <url|label> and &, <, > escaped everywhere except inside its own <…> tokens.
 */

/** Escapes the three characters Slack reserves for its control sequences. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)/g;
const BOLD = /\*\*([^*\n]+?)\*\*/g;

/**
 * Converts the core's Markdown subset to Slack mrkdwn.
 * Links become `<url|label>` (label escaped, and `|`/`>` removed so the token cannot break);
 * everything else is escaped, so a person's text can never inject a mention such as `<!channel>`.
 */
export function markdownToMrkdwn(markdown: string): string {
  // Pull links out first so escaping does not damage their URLs, then put them back as Slack tokens.
  const links: string[] = [];
  const withPlaceholders = markdown.replace(LINK, (_m, label: string, url: string) => {
    const safeLabel = escapeMrkdwn(label.replace(/[|]/g, '/'));
    const safeUrl = url.replace(/[<>|\s]/g, encodeURIComponent);
    links.push(`<${safeUrl}|${safeLabel}>`);
    return `\u0000${links.length - 1}\u0000`;
  });
  return escapeMrkdwn(withPlaceholders)
    .replace(BOLD, (_m, inner: string) => `*${inner.trim()}*`)
    .replace(/^(\s*)[-*] /gm, '$1• ')
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => links[Number(i)] ?? '');
}

/**
 * What a person typed in Slack, as plain text for the core: Slack's escaped links and e-mails
 * (`<mailto:a@b.c|a@b.c>`, `<https://x|x>`) become their visible text, user mentions keep the
 * id (`<@U123>`), channel and special mentions become their label, and entities are decoded.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '<@$1>')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^[A-Z0-9]+\|)?([^>|]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<(https?:\/\/[^|>]+)\|([^>]*)>/g, (_m, url: string, label: string) => (label === url || url.endsWith(label) ? url : `${label} (${url})`))
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Removes mentions of the bot itself (`<@UBOT>`) from a channel message. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), '').replace(/\s{2,}/g, ' ').trim();
}

/** Cuts text to at most `max` characters (code points), adding an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Splits text into pieces of at most `max` characters, preferring paragraph, then line,
 * then sentence boundaries, so that a long answer is never cut mid-word when avoidable.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max * 0.5) cut = window.lastIndexOf('\n');
    if (cut < max * 0.5) cut = Math.max(window.lastIndexOf('。'), window.lastIndexOf('. '));
    if (cut < max * 0.5) cut = window.lastIndexOf(' ');
    if (cut < max * 0.5) cut = max - 1;
    // Never split a surrogate pair or a Slack <…> token.
    const open = window.lastIndexOf('<', cut);
    if (open > window.lastIndexOf('>', cut) && open > 0) cut = open - 1;
    // Nor an entity such as &amp;.
    const amp = window.lastIndexOf('&', cut);
    if (amp > cut - 5 && amp > 0 && window.indexOf(';', amp) > cut) cut = amp - 1;
    const code = rest.charCodeAt(cut);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut + 1).trimEnd());
    rest = rest.slice(cut + 1).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
