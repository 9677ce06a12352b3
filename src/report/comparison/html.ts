/**
 * `comparison.html`: one self-contained page with the comparison matrix. No script: the page is
 * plain HTML and inline CSS, and its Content-Security-Policy ({@link COMPARISON_CSP}) forbids every
 * script, image, font, frame and connection, so even markup that slipped through escaping could
 * not run. Everything an implementation reports is escaped with {@link htmlText}.
 */
import { interopMatrix } from './interop.js';
import { RULE_LEVELS } from '../../catalogue/catalogue.js';
import { COMPARISON_VERDICT_TEXT, DIFFERS_TEXT, OUTCOME_TEXT, denominator, type Comparison, type ComparedCell, type ComparedImplementation } from './model.js';
import { htmlText, safeUrl } from './escape.js';

export const COMPARISON_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; font-size: 14px; color: #1b1b1b; }
body { margin: 1.5rem; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; position: sticky; top: 0; }
th.impl .version, th.impl .language { display: block; font-weight: normal; color: #555; }
tr.feature th { background: #e4e9f2; }
td.verdict { text-align: center; white-space: nowrap; }
tr.rule th { white-space: nowrap; }
.v-pass { background: #dff3e3; }
.v-fail, .v-unexpected-pass { background: #f9d6d5; font-weight: 700; }
.v-error { background: #fbe5c8; font-weight: 700; }
.v-known-failure { background: #ece3f7; font-style: italic; }
.v-differs { background: #e3ecf7; }
.v-not-applicable, .v-not-run, .v-absent { background: #f4f4f4; color: #666; }
.outcome-conformant { color: #16692b; font-weight: 700; }
.outcome-non-conformant { color: #a31515; font-weight: 700; }
.outcome-harness-error { color: #9a5b00; font-weight: 700; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .5rem; max-width: 100ch; }
`;

function implHeader(impl: ComparedImplementation): string {
  return `<th scope="col" class="impl"><span class="name">${htmlText(impl.name, 200)}</span><span class="version">${htmlText(impl.version, 100)}</span></th>`;
}

function cellHtml(c: ComparedCell): string {
  const text = c.differs ? DIFFERS_TEXT : COMPARISON_VERDICT_TEXT[c.verdict];
  const tip: string[] = [];
  if (c.expectation !== undefined) tip.push(`expected ${c.expectation.expected} (${c.expectation.status}): ${c.expectation.reason}`);
  if (c.message !== undefined) tip.push(c.message);
  const title = tip.length > 0 ? ` title="${htmlText(tip.join('\n'), 1000)}"` : '';
  const marked = c.verdict === 'known-failure' && c.expectation !== undefined ? `${text} <small>(${c.expectation.expected})</small>` : text;
  return `<td class="verdict v-${c.differs ? 'differs' : c.verdict}"${title}>${marked}</td>`;
}

function metaHtml(comparison: Comparison): string {
  const m = comparison.meta;
  const rows: [string, string][] = [
    ['Harness', `${m.harness.name} ${m.harness.version}`],
    ['Plug-in protocol', `version ${m.protocolVersion}`],
    ['Sources', m.sources],
    ['Generated', m.generatedAt],
    ['Seed', m.seed ?? 'none (the suite is deterministic)'],
  ];
  return `<dl class="meta">${rows.map(([k, v]) => `<dt>${htmlText(k)}</dt><dd>${htmlText(v)}</dd>`).join('')}</dl>`;
}

function implementationsHtml(impls: readonly ComparedImplementation[]): string {
  const rows = impls.map((impl) => {
    const dens = RULE_LEVELS.map((level) => `<li>${htmlText(denominator(level, impl.totals[level]))}</li>`).join('');
    const dir = encodeURI(impl.dir);
    return [
      '<tr>',
      `<th scope="row">${htmlText(impl.name, 200)}</th>`,
      `<td>${htmlText(impl.version, 100)}</td>`,
      `<td>${htmlText(impl.language, 100)}</td>`,
      `<td><code>${htmlText(impl.spec, 300)}</code></td>`,
      `<td>${impl.profile}</td>`,
      `<td class="outcome-${impl.outcome}">${OUTCOME_TEXT[impl.outcome]} (exit ${impl.exitCode})</td>`,
      `<td><ul class="denominators">${dens}</ul></td>`,
      `<td><a href="${htmlText(`${dir}/conformance.md`)}">${htmlText(impl.dir)}/</a>${impl.expectations !== undefined ? `<br>expectations: <code>${htmlText(impl.expectations, 300)}</code>` : ''}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<table class="implementations">',
    '<thead><tr><th scope="col">implementation</th><th scope="col">version</th><th scope="col">language</th><th scope="col">spec</th><th scope="col">profile</th><th scope="col">result</th><th scope="col">denominators</th><th scope="col">reports</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/** Guests by hosts, when the runs pair halves: each cell the outcome and denominators of that pairing. */
function interopHtml(impls: readonly ComparedImplementation[]): string {
  const interop = interopMatrix(impls);
  if (interop === undefined) return '';
  const head = `<thead><tr><th scope="col">guest \\ host</th>${interop.hosts.map((h) => `<th scope="col"><code>${htmlText(h, 300)}</code></th>`).join('')}</tr></thead>`;
  const rows = interop.guests.map((guest, g) => {
    const cells = interop.cells[g]!.map((index) => {
      const impl = index === undefined ? undefined : impls[index];
      if (impl === undefined) return '<td>—</td>';
      const dens = RULE_LEVELS.map((level) => htmlText(denominator(level, impl.totals[level]))).join('<br>');
      return `<td class="outcome-${impl.outcome}">${OUTCOME_TEXT[impl.outcome]}<br>${dens}<br><a href="${htmlText(`${encodeURI(impl.dir)}/conformance.md`)}">${htmlText(impl.dir)}/</a></td>`;
    });
    return `<tr><th scope="row"><code>${htmlText(guest, 300)}</code></th>${cells.join('')}</tr>`;
  });
  return `<h2>Interop matrix</h2>\n<p>Every guest half with every host half, the harness carrying the wire.</p>\n<table class="interop">${head}<tbody>${rows.join('\n')}</tbody></table>`;
}

function matrixHtml(comparison: Comparison): string {
  const impls = comparison.implementations;
  const columns = 3 + impls.length;
  const head = `<thead><tr><th scope="col">rule</th><th scope="col">level</th><th scope="col">title</th>${impls.map(implHeader).join('')}</tr></thead>`;
  const bodies = comparison.features.map((feature) => {
    const rows = feature.rules.map(
      (rule) =>
        `<tr class="rule" id="rule-${htmlText(rule.id)}"><th scope="row">${htmlText(rule.id)}</th><td>${rule.level}</td><td>${htmlText(rule.title, 300)}</td>${rule.cells.map(cellHtml).join('')}</tr>`,
    );
    return `<tbody>\n<tr class="feature"><th scope="rowgroup" colspan="${columns}">${htmlText(feature.name, 200)} <small>(${htmlText(feature.feature)})</small></th></tr>\n${rows.join('\n')}\n</tbody>`;
  });
  return `<table id="matrix">\n<caption>Verdict of every rule, per implementation</caption>\n${head}\n${bodies.join('\n')}\n</table>`;
}

function detailsHtml(comparison: Comparison): string {
  const impls = comparison.implementations;
  const sections = impls.map((impl, i) => {
    const items = comparison.features.flatMap((f) =>
      f.rules.flatMap((rule) => {
        const c = rule.cells[i]!;
        if (c.verdict === 'pass' || c.verdict === 'absent' || c.verdict === 'not-run' || (c.message === undefined && c.expectation === undefined)) return [];
        const expectation = c.expectation;
        const issue = safeUrl(expectation?.issue);
        const expected =
          expectation !== undefined
            ? `<p>expected ${expectation.expected}, ${expectation.status === 'met' ? 'met' : `NOT MET (${expectation.status}, measured ${expectation.measured})`}: ${htmlText(expectation.reason, 500)}${issue !== undefined ? ` <a href="${htmlText(issue)}" rel="noreferrer">${htmlText(issue)}</a>` : ''}</p>`
            : '';
        const message = c.message !== undefined ? `<pre>${htmlText(c.message, 2000)}</pre>` : '';
        return [`<li><strong>${htmlText(rule.id)}</strong> ${COMPARISON_VERDICT_TEXT[c.verdict]}${expected}${message}</li>`];
      }),
    );
    const problems = impl.problems.map((p) => `<li class="problem">${htmlText(p, 2000)}</li>`);
    if (items.length === 0 && problems.length === 0) return '';
    return `<details><summary>${htmlText(impl.name, 200)} ${htmlText(impl.version, 100)}: ${items.length} rules did not pass${problems.length > 0 ? `, ${problems.length} problems` : ''}</summary><ul>${[...problems, ...items].join('\n')}</ul></details>`;
  });
  const body = sections.filter((s) => s !== '');
  return body.length > 0 ? `<h2>Details</h2>\n${body.join('\n')}` : '';
}

export function renderComparisonHtml(comparison: Comparison): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${COMPARISON_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VMBus GPADL conformance: comparison</title>
<style>${STYLE}</style>
</head>
<body>
<h1>VMBus GPADL conformance: comparison</h1>
${metaHtml(comparison)}
<h2>Implementations</h2>
${implementationsHtml(comparison.implementations)}
<p>Denominators count every rule of the level; a not-applicable rule and a known failure (the failure the implementation's expectations file expects) count neither as a pass nor as a fail.</p>
${interopHtml(comparison.implementations)}
<h2>Rules</h2>
${matrixHtml(comparison)}
${detailsHtml(comparison)}
</body>
</html>
`;
}
