/**
 * Escaping for text that comes from an implementation (its name, version, language, messages) or
 * from a user (specs, expectation reasons) in the comparison reports. Nothing such a string holds
 * can become markup: in Markdown every character that can open markup inside a line is
 * backslash-escaped (CommonMark allows that for any ASCII punctuation), in HTML the five significant
 * characters are entities.
 */

/**
 * Characters that are replaced by U+FFFD wherever text from an implementation goes: the C0 controls
 * but tab, LF and CR (NUL and ESC among them), DEL, the C1 controls (a terminal reads U+009B as
 * CSI), the line and paragraph separators, and the bidirectional embeddings, overrides and
 * isolates (which can make text display in another order than it reads).
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Every kind of line end: CRLF, LF, and a CR alone (which CommonMark and terminals also take as one). */
export const LINE_END = /\r\n?|\n/;

/** Unsafe characters (see {@link UNSAFE_CHARACTERS}) become U+FFFD; very long text is cut. */
export function cleanText(text: string, max = 2000): string {
  const clean = text.replace(UNSAFE_CHARACTERS, '\uFFFD');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/**
 * Inline Markdown (a table cell, or a list item after its marker): line ends of every kind folded
 * into a space, leading white space dropped, and every character that can start markup
 * backslash-escaped (CommonMark allows that for any ASCII punctuation): emphasis, code, links and
 * images, raw HTML and entities, table pipes, strikethrough, GitHub's math (`$`); at the start
 * of the text, list markers (`-`, `+`, `1.`) too, so that it is safe at the start of a line or of
 * a list item. (GitHub's extended autolinks may still turn a bare `https://` or `www.` URL in the
 * text into a link; that is only ever an http(s) link, never markup.)
 */
export function markdownText(text: string, max?: number): string {
  return cleanText(text, max)
    .replace(new RegExp(`[ \\t]*(?:${LINE_END.source})\\s*`, 'g'), ' ')
    .replace(/^\s+/, '')
    .replace(/[\\`*_[\]<>|~&#!{}$]/g, (c) => `\\${c}`)
    .replace(/^([-+])(?=\s|$)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A terminal line: unsafe characters and line ends shown as escapes (`\r`, `\n`, `\x1b`), cut to `max`. */
export function terminalText(text: string, max = 200): string {
  const escaped = text.replace(/\r\n|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\r\n' || c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return ' ';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length <= max ? escaped : `${escaped.slice(0, max - 1)}…`;
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

// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Output for a terminal that keeps its lines (tab and LF) but shows every other control character
 * as an escape (`\r`, `\x1b`, `\x00`): for text that is not ours, e.g. Cucumber's output under
 * `--debug` or an implementation's standard error echoed.
 */
export function escapeTerminalOutput(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
