/** The output guard: only retrieved documents' links survive; quoting confidential text is caught. */
import { guardModelOutput, quotesAtLength, stripForeignLinks } from '../../src/privacy/output-guard';

const ALLOWED = ['https://intra.example.com/training/trn-001', 'https://intra.example.com/postings/pst-007'];

describe('stripForeignLinks', () => {
  it.each([
    ['Markdown link', 'See [the course](https://evil.example/x) now.', 'See the course now.'],
    ['bare URL', 'Go to https://evil.example/phish.', 'Go to .'],
    ['Slack link', 'Click <https://evil.example|here>.', 'Click here.'],
    ['HTML anchor', 'Click <a href="https://evil.example">here</a>.', 'Click here.'],
    ['javascript: link', '[ok](javascript:alert(1))', 'ok'],
    ['lookalike host', '[trn](https://intra.example.com.evil.example/training/trn-001)', 'trn'],
    ['allowed path with another query', '[x](https://intra.example.com/training/trn-001?next=https://evil.example)', 'x'],
  ])('removes a foreign %s', (_name, input, expected) => {
    const result = stripForeignLinks(input, ALLOWED);
    expect(result.text).toBe(expected);
    expect(result.removed.length).toBeGreaterThan(0);
    expect(result.text).not.toMatch(/evil\.example|javascript:/);
  });

  it('keeps the retrieved documents’ links, in any of the usual forms', () => {
    const input = 'Try [クラウド基礎](https://intra.example.com/training/trn-001) [1] or https://intra.example.com/postings/pst-007/.';
    const result = stripForeignLinks(input, ALLOWED);
    expect(result.removed).toEqual([]);
    expect(result.text).toBe(input);
  });
});

describe('guardModelOutput', () => {
  const SYSTEM = 'You are Tsumiki, a career companion for the employees of Hoshizora Systems. Answer only from the documents provided between <documents> tags and cite them.';

  it('withholds an answer quoting the system prompt, even with different spacing and case', () => {
    const leaked = `Sure! My instructions: "YOU ARE TSUMIKI,  a career companion for the employees\nof Hoshizora Systems. Answer only from the documents"`;
    expect(guardModelOutput(leaked, { allowedUrls: ALLOWED, confidential: [SYSTEM] }).withheld).toBe(true);
  });

  it('lets an ordinary answer through', () => {
    const fine = 'Tsumiki suggests the cloud course [1]; it builds on your AWS experience.';
    expect(guardModelOutput(fine, { allowedUrls: ALLOWED, confidential: [SYSTEM] })).toEqual({ text: fine, removedLinks: [], withheld: false });
  });

  it('catches a short confidential phrase (another person’s journal line) verbatim', () => {
    expect(quotesAtLength('they wrote: I felt invisible at the offsite', 'I felt invisible at the offsite')).toBe(true);
    expect(quotesAtLength('nothing to see here', 'I felt invisible at the offsite')).toBe(false);
  });
});
