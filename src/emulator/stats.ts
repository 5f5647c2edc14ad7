// Request counters: every request by templated route ("GET /v3/enterprise/organizations/{org_id}/tags"),
// reads (GET) vs writes (everything else), and each injected fault by name.

export interface EmulatorStats {
  total: number;
  reads: number;
  writes: number;
  byRoute: Record<string, number>;
  faults: Record<string, number>;
}

export class StatsCounter {
  private s: EmulatorStats = StatsCounter.empty();

  static empty(): EmulatorStats {
    return { total: 0, reads: 0, writes: 0, byRoute: {}, faults: {} };
  }

  request(method: string, routeKey: string): void {
    this.s.total++;
    if (method === 'GET') this.s.reads++;
    else this.s.writes++;
    this.s.byRoute[routeKey] = (this.s.byRoute[routeKey] ?? 0) + 1;
  }

  fault(name: string): void {
    this.s.faults[name] = (this.s.faults[name] ?? 0) + 1;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.s);
  }

  reset(): void {
    this.s = StatsCounter.empty();
  }
}
