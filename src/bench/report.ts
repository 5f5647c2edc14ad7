// The benchmark's text table: one row per figure (measured, reference, ratio, target), then the
// routes where a count differs from the benchmark's own floor or minimum.
import type { ApplyFigures, BenchResult } from './main.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const r2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '∞');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (x: number): string => `${x.toFixed(0)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n') + '\n';
}

function differences(title: string, measured: Record<string, number>, reference: Record<string, number>): string {
  const routes = [...new Set([...Object.keys(measured), ...Object.keys(reference)])].sort();
  const rows = routes.filter((k) => (measured[k] ?? 0) !== (reference[k] ?? 0)).map((k) => [k, n(measured[k] ?? 0), n(reference[k] ?? 0)]);
  if (rows.length === 0) return '';
  return `\n${title}\n` + table([['route', 'measured', 'reference'], ...rows]);
}

function applyRow(name: string, a: ApplyFigures, target: string): string[] {
  return [name, n(a.writes), `minimum ${n(a.minimum)}`, r2(a.ratio), target];
}

export function formatTable(b: BenchResult): string {
  const met = (name: string) => {
    const t = b.targets.find((x) => x.name.startsWith(name));
    return t ? (t.met ? 'met' : 'MISSED') : '';
  };
  const z = b.size;
  let out = `devinctl bench: ${n(z.orgs)} orgs × (${z.gitPerms} git permissions, ${z.tags} tags, ${z.secrets} secrets, ${z.orgIdpGroups} IdP group roles, ${z.orgServiceUsers} service-user roles); `
    + `${n(z.idpGroups)} IdP groups, ${n(z.serviceUsers)} service users; latency ${b.latencyMs} ms, parallelism ${b.parallelism}\n`
    + `desired objects: ${n(Object.values(b.objects).reduce((x, y) => x + y, 0))}, desired file ${(b.desiredFileBytes / 1024 / 1024).toFixed(2)} MB; the targets are set for the default size\n\n`;
  const rows = [
    ['figure', 'measured', 'reference', 'ratio', 'target', 'status'],
    ['read requests, no-change plan', n(b.reads.noChangePlan), `floor ${n(b.reads.floor)}`, r2(b.reads.ratio), '= 1.00', met('reads')],
    [...applyRow('write requests, bootstrap apply', b.bootstrap, '<= 1.05'), met('bootstrap')],
    [...applyRow('write requests, 10% change apply', b.change10, '-'), ''],
    [`plan wall time (parallelism ${b.parallelism})`, s(b.planWall.ms), `ideal ${s(b.planWall.idealMs)}`, r2(b.planWall.ratio), '<= 1.3', met('plan wall')],
    [`engine CPU, makePlan ${n(b.engine.objects.desired)}+${n(b.engine.objects.live)} objects`, ms(b.engine.cpuMs), `cold run ${ms(b.engine.coldCpuMs)}${b.engineIsolated ? ', own process' : ''}`, '-', '<= 1000 ms', met('engine')],
    ['CPU, load+validate (loadConfig)', ms(b.load.loadConfigCpuMs), `parseDocument ${ms(b.load.parseDocumentCpuMs)}`, r2(b.load.ratio), '<= 1.5', met('load')],
    ...(b.cliPeakRssMb
      ? [['peak RSS, devinctl CLI (child process)', mb(Math.max(b.cliPeakRssMb.plan, b.cliPeakRssMb.apply)), `plan ${mb(b.cliPeakRssMb.plan)}, apply ${mb(b.cliPeakRssMb.apply)}`, '-', '<= 400 MB', met('peak RSS')],
          ['peak RSS, bench process to the applies', mb(b.peakRssMb), `whole bench ${mb(b.peakRssWholeBenchMb)}`, '-', '-', '']]
      : [['peak RSS, bench process to the applies', mb(b.peakRssMb), `whole bench ${mb(b.peakRssWholeBenchMb)}`, '-', '<= 400 MB', met('peak RSS')]]),
  ];
  out += table(rows);
  out += `\nmachine: the reference loop (100,000 string-keyed Map inserts + JSON.stringify) took ${ms(b.calibrationCpuMs)} of CPU`;
  out += `\nbench process peak RSS by the end of each phase: ${Object.entries(b.peakRssByPhase).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`;
  out += `\nno-change plan: ${b.reads.noChangePlanChanges} changes (must be 0); engine plan: ${n(b.engine.changes)} changes`;
  out += `\nbootstrap: ${b.bootstrap.changes} changes, ${b.bootstrap.failed} failed, ${b.bootstrap.skipped} skipped, converged ${b.bootstrap.converged ? 'yes' : 'NO'}, apply ${s(b.bootstrap.wallMs)} (writes × latency / parallelism ${s(b.bootstrap.idealWallMs)})`;
  out += `\n10% change: ${b.change10.changes} changes, ${b.change10.failed} failed, ${b.change10.skipped} skipped, converged ${b.change10.converged ? 'yes' : 'NO'}, apply ${s(b.change10.wallMs)} (writes × latency / parallelism ${s(b.change10.idealWallMs)})\n`;
  for (const e of [...b.bootstrap.firstErrors, ...b.change10.firstErrors]) out += `  error: ${e}\n`;
  out += differences('reads of the no-change plan that differ from the floor:', b.reads.byRoute, b.reads.floorByRoute);
  out += differences('writes of the bootstrap apply that differ from the minimum:', b.bootstrap.byRoute, b.bootstrap.minimumByRoute);
  out += differences('writes of the 10% change apply that differ from the minimum:', b.change10.byRoute, b.change10.minimumByRoute);
  return out;
}
