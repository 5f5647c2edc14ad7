// The text and JSON renderers on what goldens do not cover: masking when only the change (or only
// the field diff) marks a field sensitive, and live names that hold terminal escape sequences.
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/engine/types.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanText } from '../../src/render/text.js';
import { CANARY, plan, update, warning } from './fixtures.js';

describe('text and json renderers', () => {
  it('mask a field marked sensitive on the change only, or on the field diff only', () => {
    const onChange: Change = { ...update('secret:o/A', { value: null }, { value: CANARY }), sensitive: ['value'] };
    onChange.fields = onChange.fields.map(({ sensitive: _, ...f }) => f);
    const onField: Change = { ...update('secret:o/B', { value: null }, { value: CANARY }, { sensitive: ['value'] }) };
    delete onField.sensitive;
    const deleted: Change = { address: 'secret:o/C', kind: 'secret', key: 'o/C', parent: 'o', action: 'delete', before: { value: CANARY }, fields: [], deps: [], sensitive: ['value'] };
    const p = plan([onChange, onField, deleted]);
    for (const out of [renderPlanText(p, { colour: false }), renderPlanText(p, { colour: true }), renderPlanJson(p)]) {
      expect(out).not.toContain(CANARY);
      expect(out).toContain('(sensitive)');
    }
  });

  it('show control characters in live names, reasons, warnings and diffs as escapes, never raw', () => {
    const esc = '\x1b]0;pwned\x07\x1b[2J';
    const c = { ...update(`tags:evil${esc}`, { note: 'a\nb' }, { note: `a\n${esc}` }), reason: `because${esc}` };
    const out = renderPlanText(plan([c], [warning(`warn${esc}`)]), { colour: false });
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('tags:evil\\u001b]0;pwned\\u0007\\u001b[2J');
  });
});
