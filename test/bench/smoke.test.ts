// The benchmark's smoke test: `npm run bench -- --small` end to end, in-process. It checks that
// every figure is present and sane (counts against the benchmark's own floor and minimum, plans
// that converge), never how fast anything ran: timings on CI machines mean nothing.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs, runBench, type BenchResult } from '../../src/bench/main.js';
import { formatTable } from '../../src/bench/report.js';
import { bootstrapMinimum, generateEnterprise, readFloor, sum } from '../../src/bench/generate.js';
import { DEFAULT_SIZE } from '../../src/bench/main.js';

describe('bench --small', () => {
  let result: BenchResult;

  it('runs and reports every figure', async () => {
    result = await runBench(parseBenchArgs(['--small']));
    expect(result.size.orgs).toBe(5);
    for (const t of result.targets) expect(Number.isFinite(t.value), t.name).toBe(true);
    expect(result.targets.map((t) => t.name.split(' ')[0])).toEqual(['reads', 'bootstrap', 'plan', 'engine', 'load+validate', 'peak']);
  }, 120_000);

  it('reads a no-change plan at or above the floor, and plans nothing', () => {
    expect(result.reads.floor).toBe(sum(result.reads.floorByRoute));
    expect(result.reads.noChangePlan).toBeGreaterThanOrEqual(result.reads.floor);
    expect(result.reads.noChangePlanChanges).toBe(0);
  });

  it('applies the bootstrap and the 10% change completely, at or above the minimum, and converges', () => {
    for (const a of [result.bootstrap, result.change10]) {
      expect(a.minimum).toBeGreaterThan(0);
      expect(a.writes).toBeGreaterThanOrEqual(a.minimum);
      expect(a.changes).toBeGreaterThan(0);
      expect(a.failed).toBe(0);
      expect(a.skipped).toBe(0);
      expect(a.firstErrors).toEqual([]);
      expect(a.converged).toBe(true);
    }
  });

  it('measures CPU, wall time and memory as positive numbers', () => {
    expect(result.planWall.ms).toBeGreaterThan(0);
    expect(result.planWall.idealMs).toBeGreaterThan(0);
    expect(result.engine.objects.desired).toBe(2_000);
    expect(result.engine.objects.live).toBe(2_000);
    expect(result.engine.changes).toBeGreaterThan(0);
    expect(result.engine.cpuMs).toBeGreaterThan(0);
    expect(typeof result.engineIsolated).toBe('boolean');
    expect(result.load.loadConfigCpuMs).toBeGreaterThan(0);
    expect(result.load.parseDocumentCpuMs).toBeGreaterThan(0);
    expect(result.peakRssMb).toBeGreaterThan(0);
    expect(result.peakRssWholeBenchMb).toBeGreaterThanOrEqual(result.peakRssMb);
    expect(Object.keys(result.peakRssByPhase)).toContain('bootstrap apply');
    expect(result.calibrationCpuMs).toBeGreaterThan(0);
    // the CLI's own peak runs only from dist/ (a child process runs plain JavaScript)
    if (result.cliPeakRssMb !== null) {
      expect(result.cliPeakRssMb.plan).toBeGreaterThan(0);
      expect(result.cliPeakRssMb.apply).toBeGreaterThan(0);
    }
  });

  it('prints a table and JSON with the same figures', () => {
    const text = formatTable(result);
    expect(text).toContain('read requests, no-change plan');
    expect(text).toContain('peak RSS');
    const json = JSON.parse(JSON.stringify(result)) as BenchResult;
    expect(json.reads.noChangePlan).toBe(result.reads.noChangePlan);
  });
});

describe('bench arithmetic', () => {
  it('the default size has a read floor of 2,519', () => {
    expect(sum(readFloor(DEFAULT_SIZE, 'equal'))).toBe(2_519);
  });

  it('the bootstrap minimum counts every collection once, with the bulk limits', () => {
    const min = bootstrapMinimum(DEFAULT_SIZE);
    expect(min['POST /v3/enterprise/idp-groups']).toBe(10);
    expect(min['POST /v3/enterprise/organizations/{org_id}/git-providers/permissions']).toBe(500);
    expect(sum(min)).toBe(8_310);
  });

  it('the 10% file changes about a tenth of each collection', () => {
    const ent = generateEnterprise(DEFAULT_SIZE, 'k');
    expect(ent.changes.orgLimits).toBe(50);
    expect(ent.changes.gitMoved + ent.changes.gitFlipped).toBe(1_000);
    expect(ent.changes.secretsRotated).toBe(250);
    expect(ent.changes.idpGroupRoles).toBe(100);
  });

  it('rejects sizes it cannot generate', () => {
    expect(() => parseBenchArgs(['--orgs', 'x'])).toThrow(/--orgs/);
    expect(() => generateEnterprise({ ...DEFAULT_SIZE, orgIdpGroups: 2000 }, 'k')).toThrow(/org-idp-groups/);
  });
});
