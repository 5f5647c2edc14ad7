// Golden files: every fixture plan rendered by every renderer, compared with test/render/golden/.
// Update after a deliberate format change with `npx vitest run test/render -u` and review the diff.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/text.js';
import { CANARY, FIXTURES } from './fixtures.js';

const RENDERERS = {
  'text.txt': (p) => renderPlanText(p, { colour: false }),
  'colour.txt': (p) => renderPlanText(p, { colour: true }),
  'md': (p) => renderPlanMarkdown(p, { artifactHint: 'devinctl-plan (plan.json)' }),
  'json': (p) => renderPlanJson(p),
} satisfies Record<string, (p: ReturnType<(typeof FIXTURES)[string]>) => string>;

describe.each(Object.entries(FIXTURES))('%s plan', (name, make) => {
  it.each(Object.entries(RENDERERS))('renders %s as in its golden file, without the canary', async (ext, render) => {
    const out = render(make());
    expect(out).not.toContain(CANARY);
    // the 3,000-change plan is kept as markdown (the PR comment) and as digests elsewhere,
    // so the repository does not carry megabytes of golden text
    if (name === 'large' && ext !== 'md') {
      const digest = createHash('sha256').update(out).digest('hex');
      await expect(`${digest}  ${out.length} chars\n`).toMatchFileSnapshot(`./golden/${name}.${ext}.sha256`);
    } else await expect(out).toMatchFileSnapshot(`./golden/${name}.${ext}`);
  });
});
