// The markdown renderer beyond its golden files: the counts table, masking, the size limit and
// well-formedness (read back with `marked`), for the fixtures, hostile names and random plans.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Change, FieldDiff, JsonValue, Plan, Spec } from '../../src/engine/types.js';
import { renderPlanJson } from '../../src/render/json.js';
import { DEFAULT_MAX_CHARS, GITHUB_COMMENT_LIMIT, PLAN_MARKER, renderPlanMarkdown } from '../../src/render/markdown.js';
import { CASCADE_VERB, summaryLine } from '../../src/render/symbols.js';
import { renderPlanText } from '../../src/render/text.js';
import { CANARY, create, emptyPlan, largePlan, mixedPlan, plan, remove, update, warning } from './fixtures.js';
import { checkMarkdown, expectedCounts } from './md-check.js';

function wellFormed(md: string, p: Plan, maxChars = DEFAULT_MAX_CHARS): ReturnType<typeof checkMarkdown> {
  const check = checkMarkdown(md);
  expect(check.problems).toEqual([]);
  expect(md.length).toBeLessThanOrEqual(maxChars);
  expect(check.counts).toEqual(expectedCounts(p));
  expect(md).not.toContain(CANARY);
  return check;
}

const destructive = (p: Plan): string[] => p.changes.filter((c) => c.action === 'delete' || c.action === 'replace').map((c) => c.address);

describe('renderPlanMarkdown: the small mixed plan', () => {
  const p = mixedPlan();
  const md = renderPlanMarkdown(p, {});
  const check = wellFormed(md, p);

  it('starts with the marker, a heading and the shared summary line', () => {
    const [marker, heading, , summary] = md.split('\n');
    expect(marker).toBe(PLAN_MARKER);
    expect(heading).toBe('## devinctl plan');
    expect(summary).toBe(`**${summaryLine(p.summary)}**`);
    expect(renderPlanMarkdown(p, { title: 'Plan for <prod> #1' }).split('\n')[1]).toBe('## Plan for \\<prod\\> #1');
  });

  it('has one table: a row per kind, sorted, and a total row', () => {
    expect(check.tables).toHaveLength(1);
    expect(check.tables[0].rows).toHaveLength(new Set(p.changes.map((c) => c.kind)).size + 1);
    expect([...check.counts.keys()]).toEqual([...new Set(p.changes.map((c) => c.kind))].sort().concat('**total**'));
    expect(check.counts.get('**total**')).toEqual(p.summary);
  });

  it('lists every delete and replace first, organization deletes with their cascades nested', () => {
    expect(md.indexOf('### Destructive changes (7)')).toBeLessThan(md.indexOf('<details>'));
    expect([...check.listed].sort()).toEqual(destructive(p).sort());
    expect(check.listed.slice(0, 3)).toEqual(['organization:legacy', 'tags:legacy', 'secret:legacy/LEGACY_TOKEN']);
    expect(md).toContain('- `-` `organization:legacy` will be deleted, together with 2 objects in it\n');
    expect(md).toContain(`  - \`-\` \`tags:legacy\` ${CASCADE_VERB}\n`);
    expect(md).toContain('`-/+` `secret:frontend/STAGING_KEY` must be replaced — _note, value cannot be changed in place_');
  });

  it('shows every change once, in a section per scope: the enterprise first, an organization with its own change', () => {
    expect([...check.shown].sort()).toEqual(p.changes.map((c) => c.address).sort());
    expect(check.detailsSections).toBe(4);
    expect(md).toMatch(/<details><summary>Enterprise — [^\n]*\n\n`\+` `idp-group:data-science`/);
    expect(md).toMatch(/<summary>Organization <code>legacy<\/code> — 3 to delete<\/summary>\n\n`-` `organization:legacy`/);
  });

  it('gives updates field-level diffs, multi-line strings a unified diff, sensitive values masked', () => {
    expect(md).toContain('```diff\n- max_session_acu_limit: 100\n+ max_session_acu_limit: 200\n```');
    expect(md).toContain('@@ -1,3 +1,4 @@ note\n Deploy key for the staging cluster.\n-Rotated by the platform team.\n');
    // the note holds ``` so that fence is longer
    expect(md).toContain('````diff\n@@ -1,3 +1,4 @@ note');
    expect(md).toContain('- value: null\n+ value: "(sensitive)"\n');
    expect(md).toContain('+ value: "(sensitive)"');
    expect(md).not.toContain('BEGIN KEY');
  });

  it('lists the warnings, escaped', () => {
    expect(md).toContain('### Warnings (2)\n\n- service user ci-reporter expires');
    expect(md).toContain("- devin.yaml:31:9: group\\_prefix 'acme/web/' has a trailing '/': stripped (D10) \\| \\<details\\> \\`x\\`\n");
  });

  it('needs no closing note when everything fits', () => {
    expect(md).not.toContain('the full plan is in the artifact');
    expect(md.endsWith('</details>\n')).toBe(true);
  });
});

describe('renderPlanMarkdown: the empty plan', () => {
  it('says there are no changes, with no table and no sections', () => {
    const p = emptyPlan();
    const md = renderPlanMarkdown(p, {});
    const check = wellFormed(md, p);
    expect(md).toBe(`${PLAN_MARKER}\n## devinctl plan\n\n**No changes. Live state matches the desired state.**\n`);
    expect(check.tables).toHaveLength(0);
  });

  it('still lists warnings', () => {
    const p = plan([], [warning('a warning')]);
    expect(renderPlanMarkdown(p, {})).toContain('### Warnings (1)\n\n- a warning\n');
  });
});

describe('renderPlanMarkdown: 3,000 changes in 60 organizations', () => {
  const p = largePlan();
  const md = renderPlanMarkdown(p, { artifactHint: 'devinctl-plan' });
  const check = wellFormed(md, p);

  it('stays under GitHub\'s limit with the full counts', () => {
    expect(p.changes.length).toBe(3000);
    expect(new Set(p.changes.map((c) => c.parent).filter(Boolean)).size).toBe(60);
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md.length).toBeGreaterThan(DEFAULT_MAX_CHARS * 0.95); // the room is used
    expect(check.tables[0].rows).toHaveLength(new Set(p.changes.map((c) => c.kind)).size + 1);
    expect(check.counts.get('**total**')).toEqual({ create: 1396, update: 652, replace: 54, delete: 898 });
  });

  it('drops whole changes from the end and says how many, naming the artifact', () => {
    // sections in order (the enterprise, then organizations by name), changes in plan order within
    const scope = (c: Change): string => (c.kind === 'organization' ? c.key : c.parent);
    const order = [...new Set(p.changes.map(scope))].sort().flatMap((s) => p.changes.filter((c) => scope(c) === s).map((c) => c.address));
    expect(check.shown).toEqual(order.slice(0, check.shown.length));
    const hidden = p.changes.length - check.shown.length;
    expect(hidden).toBeGreaterThan(0);
    expect(md.endsWith(`_… ${hidden} more changes not shown; the full plan is in the artifact devinctl-plan._\n`)).toBe(true);
    expect(md).toMatch(/<summary>Organization <code>org-\d\d<\/code> — [^<]* \(\d+ of \d+ shown\)<\/summary>/);
  });

  it('shortens the destructive list the same way, organization deletes first', () => {
    expect(check.listed.length + check.listedMore).toBe(destructive(p).length);
    expect(check.listed[0]).toBe('organization:org-03');
    expect(check.listedMore).toBeGreaterThan(0);
  });

  it('fits any smaller limit too, with the same table', () => {
    for (const maxChars of [4000, 10_000, 30_000]) {
      const small = renderPlanMarkdown(p, { maxChars, artifactHint: 'https://github.com/acme/infra/actions/runs/1' });
      const c = wellFormed(small, p, maxChars);
      expect(small).toContain('the full plan is in the artifact <https://github.com/acme/infra/actions/runs/1>._');
      expect(c.counts.get('**total**')).toEqual(p.summary);
    }
  });
});

describe('renderPlanMarkdown: data that looks like markdown', () => {
  it('cannot open or close a fence, a table, a <details> block or an HTML tag', () => {
    const evil = '</details>\n\n```\n<script>x</script> | `a` # h';
    const p = plan(
      [
        create(`organization:${evil}`, { name: evil }),
        update(`tags:${evil}`, { allowed: ['a'], default: null }, { allowed: ['a', '```'], default: '</details>' }),
        update('secret:o/K', { note: 'a\n```\nb' }, { note: 'a\n````\n</details>\nb\r\nc\x1b[31m' }),
        remove(`git-permission:${evil}/x`, { path: evil }, { reason: `${evil} _x_` }),
      ],
      [warning(evil)],
    );
    const md = renderPlanMarkdown(p, {});
    const check = wellFormed(md, p);
    expect(check.shown).toHaveLength(4);
    expect(md).toContain('\\u001b[31m');
  });

  it('leaves a diff too long for a comment to the artifact, and shows the rest', () => {
    const huge = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n');
    const p = plan([update('secret:o/BIG', { note: '' }, { note: huge }), create('tags:o', { allowed: ['a'] })]);
    const md = renderPlanMarkdown(p, {});
    const check = wellFormed(md, p);
    expect(md).toContain('`~` `secret:o/BIG` will be updated in-place\n\n_(the diff is too long for a comment; it is in the full plan)_');
    expect(check.shown).toEqual(['secret:o/BIG', 'tags:o']);
  });
});

// ---- random plans ------------------------------------------------------------------------------

const KINDS = ['organization', 'git-permission', 'tags', 'secret', 'idp-group', 'idp-group-org-role', 'service-user', 'service-user-org-role', 'org-group-limit'];
const TRICKS = ['', '</details>', '<details>', '```', '~~~', '`', '|', '<!-- -->', '<b>', '# h', '- ', '1. ', '> ', '*', '_', '[a](b)', '&amp;', '\u0000', '\x1b[1m', '\n', '\r\n', '\n\n', '\u202e', '    ', '@team', '$', '\\'];
const word = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  fc.array(fc.oneof(fc.constantFrom(...TRICKS), fc.stringMatching(/^[a-z]{1,4}$/)), { maxLength: 4 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const value: fc.Arbitrary<JsonValue> = fc.oneof(
  word,
  fc.array(word, { minLength: 2, maxLength: 6 }).map((a) => a.join('\n')),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(word, { maxLength: 3 }),
);
const field = fc.record({
  field: fc.oneof(fc.constantFrom('name', 'note', 'value', 'path', 'role', 'allowed', 'default'), word),
  before: value,
  after: value,
  secret: fc.constantFrom<'no' | 'field' | 'change' | 'both'>('no', 'no', 'field', 'change', 'both'),
});
const ORGS = Array.from({ length: 80 }, (_, i) => `org-${i}`);
const change = fc.record({
  kind: fc.constantFrom(...KINDS),
  action: fc.constantFrom<Change['action']>('create', 'update', 'replace', 'delete'),
  org: fc.oneof(fc.constant(''), fc.constantFrom(...ORGS), word),
  key: word,
  fields: fc.array(field, { maxLength: 4 }),
  cascade: fc.boolean(),
  reason: fc.option(word, { nil: undefined }),
});

function toChange(r: typeof change extends fc.Arbitrary<infer T> ? T : never, i: number): Change {
  const org = r.kind === 'organization' ? r.org || `org-x${i}` : r.org;
  const key = r.kind === 'organization' ? org : `${org}/${r.key}`;
  const fields: FieldDiff[] = [];
  const sensitive: string[] = [];
  const before: Spec = {};
  const after: Spec = {};
  for (const f of r.fields) {
    const secret = f.secret !== 'no';
    const d: FieldDiff = {
      field: f.field,
      before: r.action === 'create' ? undefined : secret ? `${CANARY}\n${String(f.before)}` : f.before,
      after: r.action === 'delete' ? undefined : secret ? `${String(f.after)}\n${CANARY}` : f.after,
    };
    if (f.secret === 'field' || f.secret === 'both') d.sensitive = true;
    // a delete has no field diffs: the change carries the kind's sensitive fields
    if (f.secret === 'change' || f.secret === 'both' || (secret && r.action === 'delete')) sensitive.push(f.field);
    if (d.before !== undefined) before[f.field] = d.before;
    if (d.after !== undefined) after[f.field] = d.after;
    fields.push(d);
  }
  return {
    address: `${r.kind}:${key}#${i}`, kind: r.kind, key, parent: r.kind === 'organization' ? '' : org, action: r.action,
    ...(r.action === 'create' ? {} : { before }), ...(r.action === 'delete' ? {} : { after }),
    fields: r.action === 'delete' ? [] : fields, deps: [],
    ...(sensitive.length ? { sensitive } : {}),
    ...(r.cascade && r.action === 'delete' ? { cascade: true } : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  };
}

const randomPlan = fc
  .record({
    changes: fc.oneof(
      { weight: 3, arbitrary: fc.array(change, { maxLength: 40 }) },
      { weight: 1, arbitrary: fc.array(change, { minLength: 500, maxLength: 4000, size: 'max' }) },
    ),
    warnings: fc.array(fc.record({ message: word, line: fc.nat(40) }), { maxLength: 30 }),
  })
  .map(({ changes, warnings }) => plan(changes.map(toChange), warnings.map((w) => warning(w.message, 'devin.yaml', w.line, 1))));

describe('renderPlanMarkdown: random plans', () => {
  it('stay within the limit and well-formed, with the right counts, and never show a sensitive value', () => {
    fc.assert(
      fc.property(randomPlan, fc.option(fc.integer({ min: 4000, max: DEFAULT_MAX_CHARS }), { nil: undefined }), (p, maxChars) => {
        const md = renderPlanMarkdown(p, { maxChars, artifactHint: 'plan.json' });
        const check = wellFormed(md, p, maxChars ?? DEFAULT_MAX_CHARS);
        expect(check.shown.length + (md.match(/_… (\d+) more changes? not shown/)?.slice(1).map(Number)[0] ?? 0)).toBe(p.changes.length);
        expect(renderPlanText(p, { colour: true })).not.toContain(CANARY);
        expect(renderPlanJson(p)).not.toContain(CANARY);
      }),
      { numRuns: 40 },
    );
  });
});
