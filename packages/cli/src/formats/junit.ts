export interface JUnitCase {
  name: string;
  classname: string;
  failure?: { message: string; text: string };
  error?: { message: string; text: string };
  skipped?: string;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

/** Characters XML 1.0 cannot hold at all, even escaped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const escapeXml = (s: string) =>
  s
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const count = (cases: JUnitCase[], what: 'failure' | 'error' | 'skipped') =>
  cases.filter(c => c[what] !== undefined).length;

/** JUnit XML in the shape CI systems read (Jenkins, GitLab, GitHub test reporters): testsuites > testsuite > testcase. */
export function toJUnit(name: string, suites: JUnitSuite[]): string {
  const all = suites.flatMap(s => s.cases);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(name)}" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}">`,
  ];
  for (const suite of suites) {
    const c = suite.cases;
    out.push(
      `  <testsuite name="${escapeXml(suite.name)}" tests="${c.length}" failures="${count(c, 'failure')}" errors="${count(c, 'error')}" skipped="${count(c, 'skipped')}">`,
    );
    for (const tc of c) {
      const open = `    <testcase name="${escapeXml(tc.name)}" classname="${escapeXml(tc.classname)}"`;
      const body: string[] = [];
      for (const kind of ['failure', 'error'] as const) {
        const f = tc[kind];
        if (f)
          body.push(
            `      <${kind} message="${escapeXml(f.message)}">${escapeXml(f.text)}</${kind}>`,
          );
      }
      if (tc.skipped !== undefined)
        body.push(`      <skipped message="${escapeXml(tc.skipped)}"/>`);
      out.push(
        body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`,
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
