/**
 * Escaping for text that comes from an implementation (its name, version, language, messages) or
 * from a user (specs, expectation reasons) in the comparison reports. Nothing such a string holds
 * can become markup: in Markdown every character that can open markup inside a line is
 * backslash-escaped (CommonMark allows that for any ASCII punctuation), in HTML the five significant
 * characters are entities.
 */

/** Control characters other than tab, CR and LF become U+FFFD; very long text is cut. */
export function cleanText(text: string, max = 2000): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/**
 * Inline Markdown (a table cell, or a list item after its marker): newlines folded, and every
 * character that can start markup in the middle of a line backslash-escaped: emphasis, code,
 * links and images, raw HTML and entities, table pipes, strikethrough, GitHub's math (`$`).
 */
export function markdownText(text: string, max?: number): string {
  return cleanText(text, max)
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~&#!{}$]/g, (c) => `\\${c}`);
}

/** Text content or a double-quoted attribute value in HTML. */
export function htmlText(text: string, max?: number): string {
  return cleanText(text, max).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An `http(s)` URL usable as a link target, or undefined. */
export function safeUrl(text: string | undefined): string | undefined {
  if (text === undefined || !/^https?:\/\/[^\s<>"'`]+$/.test(text)) return undefined;
  return text;
}
