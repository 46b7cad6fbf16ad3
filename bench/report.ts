/** Renders bench/results/latest.md from the JSON results: one short table per benchmark. */
/* eslint-disable @typescript-eslint/no-explicit-any */

const n = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const ms = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${n(value, value < 10 ? 2 : 1)} ms`);
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

function fanoutSection(r: any): string[] {
  const lines = ['## Fan-out', '', '| readers | posting | Parley delivered/s | bare delivered/s | ratio | Parley p50 / p99 | bare p50 / p99 | Parley posts/s | server CPU (Parley / bare) |', '|---:|---|---:|---:|---:|---|---|---:|---|'];
  for (const row of r.rows) {
    lines.push(
      `| ${n(row.readers)} | ${row.mode} | ${n(row.parley.deliveredPerSecond)} | ${n(row.bare.deliveredPerSecond)} | ${n(row.ratio, 2)} | ${ms(row.parley.latencyMs.p50)} / ${ms(row.parley.latencyMs.p99)} | ${ms(row.bare.latencyMs.p50)} / ${ms(row.bare.latencyMs.p99)} | ${n(row.parley.postsPerSecond)} | ${row.parley.serverCpuPercent}% / ${row.bare.serverCpuPercent}% |`,
    );
  }
  const thousand = r.rows.find((row: any) => row.readers === 1000 && row.mode.startsWith('paced'));
  const maxRows = r.rows.filter((row: any) => row.mode === 'max');
  const lowest = maxRows.reduce((a: any, b: any) => (b.ratio < a.ratio ? b : a), maxRows[0]);
  lines.push('');
  lines.push(`Targets: fan-out ≥ 0.7 of bare — lowest flat-out ratio ${n(lowest?.ratio, 2)} at ${n(lowest?.readers)} readers (${verdict((lowest?.ratio ?? 0) >= 0.7)}); p99 ≤ 50 ms for 1,000 readers at 50 posts/s — ${ms(thousand?.parley.latencyMs.p99)} (${verdict((thousand?.parley.latencyMs.p99 ?? Infinity) <= 50)}). The machine holds ${r.machineHolds ? n(r.machineHolds) : '–'} readers at 50 posts/s.`);
  return [...lines, ...notes(r)];
}

function writeSection(r: any): string[] {
  return [
    '## Write path',
    '',
    '| path | posts/s | raw SQLite rows/s (same rows) | ratio | server CPU |',
    '|---|---:|---:|---:|---:|',
    `| socket (\`post:create\`) | ${n(r.socket.postsPerSecond)} | ${n(r.raw.postsPerSecond)} | ${n(r.socket.ratio, 3)} | ${r.socket.serverCpuPercent}% |`,
    `| REST (\`POST /posts\`) | ${n(r.rest.postsPerSecond)} | ${n(r.raw.postsPerSecond)} | ${n(r.rest.ratio, 3)} | ${r.rest.serverCpuPercent}% |`,
    '',
    `Target ≥ ${n(r.target)} posts/s: socket ${verdict(r.socket.postsPerSecond >= r.target)}, REST ${verdict(r.rest.postsPerSecond >= r.target)}.`,
    ...(r.postgres ? [
      '',
      '| on PostgreSQL | posts/s | raw node-postgres rows/s (same rows) | ratio | server CPU |',
      '|---|---:|---:|---:|---:|',
      `| socket (\`post:create\`) | ${n(r.postgres.socket.postsPerSecond)} | ${n(r.postgres.raw.postsPerSecond)} | ${n(r.postgres.socket.ratio, 3)} | ${r.postgres.socket.serverCpuPercent}% |`,
      `| REST (\`POST /posts\`) | ${n(r.postgres.rest.postsPerSecond)} | ${n(r.postgres.raw.postsPerSecond)} | ${n(r.postgres.rest.ratio, 3)} | ${r.postgres.rest.serverCpuPercent}% |`,
      '',
      `Target on PostgreSQL ≥ ${n(r.postgres.targetRatio, 1)}× raw: socket ${verdict(r.postgres.socket.ratio >= r.postgres.targetRatio)}, REST ${verdict(r.postgres.rest.ratio >= r.postgres.targetRatio)}.`,
    ] : []),
    ...notes(r),
  ];
}

function readSection(r: any): string[] {
  const row = (label: string, p: any, s: any, ratio: number) => `| ${label} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(s.p50)} | ${ms(s.p99)} | ${n(ratio, 1)}× |`;
  const worst = Math.max(r.parley.firstPage.p99, r.parley.deepPage.p99, r.parley.catchUpRest.p99, r.parley.catchUpSocket.p99);
  return [
    `## Read path (${n(r.posts)} posts, ${n(r.databaseMB)} MB database)`,
    '',
    '| request | Parley p50 | Parley p99 | store p50 | store p99 | p99 over store |',
    '|---|---:|---:|---:|---:|---:|',
    row(`first page (${r.firstPagePosts} posts)`, r.parley.firstPage, r.store.firstPage, r.p99OverStore.firstPage),
    row(`deep page, half-way (${r.deepPagePosts} posts)`, r.parley.deepPage, r.store.deepPage, r.p99OverStore.deepPage),
    row('catch-up, 100 changes (REST)', r.parley.catchUpRest, r.store.catchUp, r.p99OverStore.catchUpRest),
    row('catch-up, 100 changes (socket `topic:join`)', r.parley.catchUpSocket, r.store.catchUp, r.p99OverStore.catchUpSocket),
    '',
    `Target p99 ≤ ${r.targetP99Ms} ms: worst ${ms(worst)} (${verdict(worst <= r.targetP99Ms)}).`,
    ...notes(r),
  ];
}

function connectionsSection(r: any): string[] {
  const lines = [
    '## Connections (idle readers)',
    '',
    `| readers | Parley RSS | Parley per reader | bare RSS | bare per reader | ratio | connect time (Parley) |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    lines.push(`| ${n(row.readers)} | ${n(row.parley.rssMB)} MB | ${n(row.parley.perReaderKB, 1)} kB | ${n(row.bare.rssMB)} MB | ${n(row.bare.perReaderKB, 1)} kB | ${n(row.perReaderRatio, 2)} | ${n(row.parley.connectSeconds, 1)} s |`);
  }
  const last = r.rows[r.rows.length - 1];
  lines.push('');
  lines.push(`Idle baselines: Parley ${n(r.baselineMB.parley)} MB, bare ${n(r.baselineMB.bare)} MB. Target 10,000 readers within ${n(r.targetMBAt10k)} MB: ${last.readers === 10000 ? `${n(last.parley.rssMB)} MB (${verdict(last.parley.rssMB <= r.targetMBAt10k)})` : `not measured at 10,000 in this run (${n(last.readers)} max)`}. Open-file limit: ${r.fdLimit}.`);
  return [...lines, ...notes(r)];
}

function widgetSection(r: any): string[] {
  if (r.pending) return ['## Widget', '', `Pending: ${r.pending}.`];
  const lines = [
    '## Widget',
    '',
    `First render loads ${r.firstRenderScripts.length} script(s): ${n(r.gzipBytes / 1024, 1)} kB gzip (${r.firstRenderScripts.map((s: any) => `\`${s.url}\` ${n(s.gzipBytes / 1024, 1)} kB`).join(', ')}), ${n(r.budgetShare * 100, 1)}% of the ${n(r.budgetBytes / 1024)} kB budget (${verdict(r.gzipBytes <= r.budgetBytes)}).`,
    '',
    '| topic | posts on first page | widget p50 | widget max | static HTML p50 | ratio |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of r.render) {
    lines.push(`| ${n(c.posts)} posts | ${n(c.rendered)} | ${ms(c.widget.p50)} | ${ms(c.widget.max)} | ${ms(c.static.p50)} | ${n(c.medianOverStatic, 1)}× |`);
  }
  const withMain = (r.render as any[]).filter((c) => c.mainThread);
  if (withMain.length) {
    lines.push('', '| topic | widget TBT p50 / max | static TBT p50 / max | widget longest task p50 / max | static longest task p50 / max |', '|---|---:|---:|---:|---:|');
    for (const c of withMain) {
      const m = c.mainThread;
      lines.push(`| ${n(c.posts)} posts | ${ms(m.tbtMs.widget.p50)} / ${ms(m.tbtMs.widget.max)} | ${ms(m.tbtMs.static.p50)} / ${ms(m.tbtMs.static.max)} | ${ms(m.longestTaskMs.widget.p50)} / ${ms(m.longestTaskMs.widget.max)} | ${ms(m.longestTaskMs.static.p50)} / ${ms(m.longestTaskMs.static.max)} |`);
    }
  }
  if (r.lighthouse?.length) {
    lines.push('', '| Lighthouse (mobile, simulated throttling) | score | TBT | longest task | FCP | LCP | CLS |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const l of r.lighthouse) {
      const runs = l.runs ? ` (runs: ${l.runs.map((x: any) => `${n(x.score)} / ${ms(x.tbtMs)}`).join(', ')})` : '';
      lines.push(l.error ? `| ${l.name} | failed: ${l.error} | | | | | |` : `| ${l.name}${runs} | ${n(l.score)} | ${ms(l.tbtMs)} | ${ms(l.longestTaskMs)} | ${ms(l.fcpMs)} | ${ms(l.lcpMs)} | ${n(l.cls, 3)} |`);
    }
    const w = r.lighthouse[0];
    if (w && !w.error && r.targets) {
      lines.push('', `Targets (${w.name}): Lighthouse performance ≥ ${r.targets.lighthouseScore} — ${n(w.score)} (${verdict(w.score >= r.targets.lighthouseScore)}); TBT ≤ ${r.targets.tbtMs} ms — ${ms(w.tbtMs)} (${verdict(w.tbtMs <= r.targets.tbtMs)}).`);
    }
  }
  return [...lines, ...notes(r)];
}

function detectionSection(r: any): string[] {
  const lines = [
    '## Detection',
    '',
    '| staff posts | companies | build (start-up) | per new post p50 / p99 / mean | query / add (mean) | labelled | memory (index) | per post | index estimate | RSS delta |',
    '|---:|---:|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of r.rows) {
    const p = row.newPost;
    lines.push(
      `| ${n(row.staffPosts)} | ${n(row.companies)} | ${n(row.build.ms)} ms (${n(row.build.perPostUs, 1)} µs/post) | ${ms(p.p50Ms)} / ${ms(p.p99Ms)} / ${ms(p.meanMs)} | ${ms(p.meanQueryMs)} / ${ms(p.meanAddMs)} | ${n(p.labelledShare * 100)}% | ${row.memory.heapDeltaMB === null ? '–' : `${n(row.memory.heapDeltaMB, 1)} MB`} | ${row.memory.heapPerPostBytes === null ? '–' : `${n(row.memory.heapPerPostBytes)} B`} | ${n(row.memory.estimatedMB, 1)} MB | ${n(row.memory.rssDeltaMB, 1)} MB |`,
    );
  }
  const a = r.adverse;
  const g = r.growth;
  const largest = r.rows[r.rows.length - 1];
  lines.push('');
  lines.push(`Adverse events (member posts, ${n(a.products)} products): p50 ${ms(a.p50Ms)}, p99 ${ms(a.p99Ms)}, mean ${ms(a.meanMs)} per post (${n(a.flaggedShare * 100, 1)}% flagged).`);
  lines.push('');
  lines.push(
    `Requirement "${r.requirement}": ${largest.staffPosts >= 100_000 ? `at ${n(largest.staffPosts)} staff posts a new post takes ${ms(largest.newPost.p50Ms)} (p99 ${ms(largest.newPost.p99Ms)}) and the index holds ${largest.memory.heapDeltaMB === null ? `≈ ${n(largest.memory.estimatedMB, 1)} MB (its own estimate)` : `${n(largest.memory.heapDeltaMB, 1)} MB`}` : `not measured at 100,000 in this run (${n(largest.staffPosts)} max)`}; ${n(g.posts)}× the history costs ${n(g.p50, 2)}× the p50, ${n(g.p99, 2)}× the p99${g.memory === null ? '' : ` and ${n(g.memory, 1)}× the memory`}.`,
  );
  return [...lines, ...notes(r)];
}

function floodSection(r: any): string[] {
  const row = (label: string, s: any) =>
    `| ${label} | ${n(s.posts)} | ${n(s.refused)} | ${n(s.deliveries)} | ${n(s.lost)} | ${ms(s.latencyMs.p50)} | ${ms(s.latencyMs.p99)} | ${ms(s.latencyMs.max)} | ${s.serverCpuPercent}% |`;
  const f = r.flooder ?? {};
  return [
    '## Flood',
    '',
    '| slice | member posts | refused | deliveries | lost | p50 | p99 | max | server CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(`quiet (${n(r.quiet.seconds)} s in all)`, r.quiet),
    row(`flood (${n(r.flood.seconds)} s in all)`, r.flood),
    '',
    `Target flood p99 ≤ ${r.target} × quiet p99: ${n(r.ratioP99, 2)}× (${verdict(r.met)}). Duplicated deliveries: ${n(r.duplicates)}. The flooders: ${n(f.handshakes)} handshakes (${n(f.connected)} let in), ${n(f.emitted)} posts emitted, ${n(f.acks?.created ?? 0)} accepted, ${n(f.acks?.rate_limited ?? 0)} refused as rate-limited, dropped ${n(f.dropped)} times.`,
    ...(r.perRoundP99 ? ['', `p99 per round (quiet / flood): ${r.perRoundP99.map(([q, fl]: [number, number]) => `${ms(q)} / ${ms(fl)}`).join('; ')}.`] : []),
    ...notes(r),
  ];
}

function wireSection(r: any): string[] {
  const kb = (bytes: number) => `${n(bytes / 1024, 1)} kB`;
  const p = r.parleyJs ?? {};
  const t = r.topicPage ?? {};
  return [
    '## On the wire',
    '',
    '| resource | uncompressed | gzip as sent | brotli as sent | bound: gzip -9 / brotli 11 |',
    '|---|---|---|---|---|',
    ...(r.sizes ?? []).map((row: any) => `| ${row.resource} | ${kb(row.identity)} | ${kb(row.gzip)} | ${kb(row.br)} | ${kb(row.gzip9)} / ${kb(row.br11)} |`),
    '',
    `parley.js: the first request after a start waits for its one-off compression (brotli 11 + gzip 9): ${ms(p.coldMs)} (${p.coldEncoding}); later requests p50 ${ms(p.warm?.p50)}, p99 ${ms(p.warm?.p99)}. ` +
      `A topic page (JSON, one request at a time): p50 ${ms(t.br?.p50)} with brotli vs ${ms(t.identity?.p50)} uncompressed (p99 ${ms(t.br?.p99)} vs ${ms(t.identity?.p99)}).`,
    ...notes(r),
  ];
}

function startupSection(r: any): string[] {
  const row = (label: string, s: any) =>
    `| ${label} | ${s.firstStartMs === undefined ? '–' : ms(s.firstStartMs)} | ${s.firstRssMB === undefined ? '–' : `${n(s.firstRssMB, 1)} MB`} | ${ms(s.restartMsP50)} | ${n(s.restartRssMBP50, 1)} MB |`;
  return [
    '## Start-up (`parley serve --demo`)',
    '',
    '| entry | first start (seeds) | RSS | restart p50 | RSS p50 |',
    '|---|---:|---:|---:|---:|',
    row('compiled: bin/parley.js (build/)', r.compiled),
    row('sources through tsx: bin/parley-dev.js', r.sources),
    row('bound: bare `node` listening', r.bound),
    '',
    `Start: spawn to "Parley is running at"; RSS after /healthz, /parley.js and the demo page were served once. ${r.compiled.restarts} restarts each on the same data folder.`,
  ];
}

function notifySection(r: any): string[] {
  return [
    '## Notifications (issue 13)',
    '',
    '| figure | measured | bound |',
    '|---|---:|---:|',
    `| post ack p50 / p99, nothing to send | ${ms(r.ackWithoutFollowersMs.p50)} / ${ms(r.ackWithoutFollowersMs.p99)} | – |`,
    `| post ack p50 / p99, a post to ${r.followers} followers and the posts after it | ${ms(r.ackWithFollowersMs.p50)} / ${ms(r.ackWithFollowersMs.p99)} | – |`,
    `| p99 with ÷ p99 without | ${n(r.p99Ratio, 2)}× | ≤ ${r.p99RatioBound}× |`,
    `| first post until all ${r.followers} messages are in the outbox | ${r.allInOutboxSeconds === null ? 'not reached' : `${n(r.allInOutboxSeconds, 1)} s`} | – |`,
    '',
    `${r.posts} posts each, one at a time over a socket, ${r.gapMs} ms apart; in the second run the first goes to the followed topic and the runner fans it out and sends in the same process meanwhile.`,
  ];
}

function notes(r: any): string[] {
  return r.notes?.length ? ['', ...r.notes.map((note: string) => `- ${note}`)] : [];
}

const SECTIONS: Record<string, (r: any) => string[]> = {
  fanout: fanoutSection,
  write: writeSection,
  read: readSection,
  connections: connectionsSection,
  widget: widgetSection,
  detection: detectionSection,
  flood: floodSection,
  wire: wireSection,
  startup: startupSection,
  notify: notifySection,
};

export function renderMarkdownReport(report: { environment: any; results: Record<string, any>; errors: Record<string, string> }): string {
  const env = report.environment;
  const lines = [
    '# Parley benchmarks',
    '',
    `Run ${env.date.slice(0, 16).replace('T', ' ')} UTC${env.commit ? ` at ${env.commit}` : ''}${env.quick ? ' (--quick)' : ''}: Node ${env.node}, ${env.cpus} × ${env.cpu}, ${env.memoryGB} GB` +
      `${env.loadAverage ? `, load average ${env.loadAverage.before} before / ${env.loadAverage.after} after` : ''}. ` +
      'Client and server run on the same machine, in separate processes. Produced by `npm run bench`; the JSON beside this file has every figure.',
  ];
  for (const [name, render] of Object.entries(SECTIONS)) {
    if (report.errors[name]) lines.push('', `## ${name}`, '', `Failed: \`${report.errors[name]!.split('\n')[0]}\``);
    else if (report.results[name]) {
      const section = render(report.results[name]);
      const m = report.results[name].measured;
      if (m) section.splice(2, 0, `_Measured ${m.at.slice(0, 16).replace('T', ' ')} UTC${m.quick ? ' (--quick)' : ''} in ${m.seconds} s; 1-minute load average ${m.loadAverage[0]} → ${m.loadAverage[1]} (the benchmark's own processes included)._`, '');
      lines.push('', ...section);
    }
  }
  return `${lines.join('\n')}\n`;
}
