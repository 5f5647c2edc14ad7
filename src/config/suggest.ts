// "Did you mean …?" suggestions: a small edit-distance helper shared by the loader (unknown keys)
// and the planner (unknown roles, connections, organizations). Transpositions count as one edit.

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

/**
 * Up to `max` candidates close to `name`, best first (ties by name). Comparison ignores case;
 * a candidate qualifies when at most a third of the longer name (at least one edit) differs,
 * or when `name` (3 characters or more) is its beginning ('ttl' → 'ttl_days').
 */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = name.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const lc = c.toLowerCase();
    const d = editDistance(needle, lc);
    const limit = Math.max(1, Math.floor(Math.max(needle.length, c.length) / 3));
    if (d <= limit) scored.push({ c, d });
    else if (needle.length >= 3 && lc.startsWith(needle)) scored.push({ c, d: limit + 1 }); // an abbreviation: after real typos
  }
  scored.sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0));
  return scored.slice(0, Math.max(0, max)).map((s) => s.c);
}

/** " (did you mean 'a' or 'b'?)", or "" when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>, max = 3): string {
  const near = closeMatches(name, candidates, max);
  if (near.length === 0) return '';
  const quoted = near.map((s) => `'${s}'`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
