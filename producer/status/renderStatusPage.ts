import type { WindowState } from '../../shared/windows/window.ts';
import { formatCount, formatDuration, percent } from './formatFigures.ts';
import { LAG_COUNT_CAP, type FeedStatus } from './readFeedStatus.ts';
import type { ReasonCount, StatusReport } from './readStatus.ts';
import { hasFindings, reconciliationLine } from './reconcileFigures.ts';

/**
 * GET /: the status as a page a person reads, on a laptop or a phone. One self-contained HTML
 * document (inline CSS, no script, no external asset) that reloads itself every 30 s. Every figure
 * carries `data-figure` (and the raw number in `data-value`) so a test can read what it shows. Pure.
 */
export function renderStatusPage(report: StatusReport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30">
<title>tender-sync status</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>tender-sync</h1>
<p class="muted">as of ${escape(report.generatedAt.toISOString())} · <a href="/status">JSON</a></p>
${report.sources.map(sourceSection).join('\n')}
${feedSection(report.feed, report.generatedAt)}
<section>
<h2>Set aside</h2>
${reasons('quarantine', 'Quarantined', report.quarantine)}
${reasons('dead-letters', 'Dead letters (not replayed)', report.deadLetters)}
</section>
</main>
</body>
</html>
`;
}

const STATE_COLOURS: Record<WindowState, string> = {
  done: '#2e9e5b',
  fetched: '#8fd19e',
  fetching: '#3b82f6',
  queued: '#93c5fd',
  pending: '#e5e7eb',
  failed: '#dc2626',
};

const STYLE = `
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#f6f7f9}
main{max-width:760px;margin:0 auto;padding:12px}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.15em;margin:.2em 0 .5em}
section{background:#fff;border-radius:8px;padding:12px;margin:12px 0;box-shadow:0 1px 2px #0002}
.muted{color:#666;font-size:.9em}
.badge{display:inline-block;border-radius:4px;padding:1px 6px;font-size:.8em;color:#fff;margin-left:6px;vertical-align:middle}
.blocked{background:#b91c1c}.paused{background:#a16207}.refused{background:#6b7280}.findings{background:#7c3aed}
.bar{background:#e5e7eb;border-radius:4px;height:14px;overflow:hidden;margin:2px 0 8px}
.bar>div{background:#2e9e5b;height:100%}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
.alert{background:#fef2f2;border-left:4px solid #b91c1c;padding:6px 8px;margin:6px 0;overflow-wrap:anywhere}
table.heat{border-collapse:separate;border-spacing:2px;font-size:.75em;margin-top:6px}
table.heat td{width:20px;height:16px;border-radius:3px}
table.heat th{font-weight:normal;color:#555;padding:0 4px 0 0;text-align:right}
.legend span{display:inline-block;margin-right:8px;font-size:.8em}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px;vertical-align:middle}
ol{margin:4px 0;padding-left:1.4em}li{overflow-wrap:anywhere}
`;

function sourceSection(s: StatusReport['sources'][number]): string {
  const f = s.figures;
  const badges = [
    f.tlsError && `<span class="badge blocked" data-figure="tls-error">TLS error</span>`,
    s.switchedOff && `<span class="badge paused" data-figure="off">off</span>`,
    f.blocked && `<span class="badge blocked" data-figure="blocked">blocked</span>`,
    f.paused && `<span class="badge paused" data-figure="paused">paused</span>`,
    f.refusedUntil && `<span class="badge refused">refused until ${escape(f.refusedUntil.until.toISOString().slice(11, 19))}</span>`,
    f.reconciliation && hasFindings(f.reconciliation) && `<span class="badge findings" data-figure="findings">losses found</span>`,
  ].filter(Boolean);
  const estimated = f.releases.estimatedTotal;
  return `<section data-source="${escape(s.source)}">
<h2>${escape(s.source)}${badges.join('')}</h2>
${f.tlsError ? `<div class="alert" data-figure="tls-reason">since ${escape(f.tlsError.since.toISOString())}: ${escape(f.tlsError.reason)}</div>` : ''}
${s.switchedOff ? `<div class="alert" data-figure="off-reason">switched off by its variable (PCS_ENABLED=false for Public Contracts Scotland): not planned, asked or enqueued</div>` : ''}
${f.blocked ? `<div class="alert" data-figure="blocked-reason">${escape(f.blocked)}</div>` : ''}
${f.paused ? `<div class="alert">paused by an operator since ${escape(f.paused.since.toISOString())}: ${escape(f.paused.reason)}</div>` : ''}
<div>History windows: ${figure('windows-done', f.windows.done)} of ${figure('windows-total', f.windows.total)} months done${f.windows.failed ? `, ${figure('windows-failed', f.windows.failed)} failed` : ''}</div>
${bar(percent(f.windows.done, f.windows.total))}
<div>Releases in done months: ${figure('releases-stored', f.releases.stored)}${estimated === null ? '' : ` of ≈ ${formatCount(estimated)}`}</div>
${bar(percent(f.releases.stored, estimated))}
<dl>
<dt>Contracts stored</dt><dd>${figure('contracts', f.contracts)}</dd>
<dt>Releases / hour</dt><dd>${figure('releases-per-hour', f.releasesPerHour)} <span class="muted">(last hour)</span></dd>
<dt>Backfill ETA</dt><dd data-figure="eta">${f.eta.at && f.eta.hours !== null ? `${escape(formatDuration(f.eta.hours * 3_600_000))} (${escape(f.eta.at.toISOString().slice(0, 16))}Z; ${escape(f.eta.note)})` : escape(f.eta.note)}</dd>
<dt>Lag</dt><dd data-figure="lag">${f.lagMs === null ? 'nothing stored yet' : `${escape(formatDuration(f.lagMs))} <span class="muted">(newest release ${escape(f.newestRelease!.toISOString())})</span>`}</dd>
<dt>Delta windows open</dt><dd>${figure('open-deltas', f.windows.openDeltas)}</dd>
${f.reconciliation ? `<dt>Reconciliation</dt><dd data-figure="reconciliation">${escape(reconciliationLine(f.reconciliation))}</dd>` : ''}
<dt>Last error</dt><dd data-figure="last-error">${f.lastError ? `${escape(f.lastError.message)} <span class="muted">${escape(f.lastError.at.toISOString())}</span>` : 'none'}</dd>
</dl>
${heatmap(s)}
</section>`;
}

function feedSection(feed: FeedStatus, now: Date): string {
  const rows = feed.webhooks.map((w) => {
    const behind = w.entriesBehind > LAG_COUNT_CAP ? `more than ${formatCount(LAG_COUNT_CAP)}` : formatCount(w.entriesBehind);
    const since = w.behindSince ? ` <span class="muted">(oldest ${escape(formatDuration(now.getTime() - w.behindSince.getTime()))} old)</span>` : '';
    const failing = w.failures > 0 ? `<div class="alert" data-figure="webhook-failures" data-value="${w.failures}">${formatCount(w.failures)} failed since the last delivery: ${escape(w.lastError ?? '')}</div>` : '';
    return `<dt>${escape(w.host)}</dt><dd data-webhook="${escape(w.id)}"><span data-figure="webhook-behind" data-value="${w.entriesBehind}">${behind}</span> entries behind${since}, ${figure('webhook-delivered', w.delivered)} delivered${failing}</dd>`;
  });
  return `<section data-feed>
<h2>Change feed</h2>
<div>Newest cursor: ${figure('feed-newest-cursor', feed.newestCursor)}</div>
${rows.length > 0 ? `<dl>${rows.join('')}</dl>` : '<p class="muted">no webhook subscriptions</p>'}
</section>`;
}

const MONTHS = ['J', 'F', 'M', 'A', 'M', 'J', 'J', 'A', 'S', 'O', 'N', 'D'];

function heatmap(s: StatusReport['sources'][number]): string {
  if (s.heatmap.length === 0) return '<p class="muted">no history planned yet</p>';
  const rows = s.heatmap.map(
    ({ year, months }) =>
      `<tr><th>${year}</th>${months
        .map((state, i) => (state ? `<td data-month="${year}-${String(i + 1).padStart(2, '0')}" data-state="${state}" title="${year}-${String(i + 1).padStart(2, '0')} ${state}" style="background:${STATE_COLOURS[state]}"></td>` : '<td></td>'))
        .join('')}</tr>`,
  );
  const legend = Object.entries(STATE_COLOURS).map(([state, colour]) => `<span><i style="background:${colour}"></i>${state}</span>`);
  return `<table class="heat" aria-label="month windows by state"><tr><th></th>${MONTHS.map((m) => `<th>${m}</th>`).join('')}</tr>${rows.join('')}</table>
<div class="legend">${legend.join('')}</div>`;
}

function reasons(name: string, title: string, kept: { count: number; topReasons: ReasonCount[] }): string {
  const list = kept.topReasons.map((r) => `<li><b>${formatCount(r.count)}</b> ${escape(r.reason)}</li>`).join('');
  return `<div data-kept="${name}">${escape(title)}: ${figure(`${name}-count`, kept.count)}${list ? `<ol>${list}</ol>` : ''}</div>`;
}

function figure(name: string, value: number): string {
  return `<b data-figure="${name}" data-value="${value}">${formatCount(value)}</b>`;
}

function bar(percentDone: number): string {
  return `<div class="bar" role="progressbar" aria-valuenow="${percentDone}" aria-valuemin="0" aria-valuemax="100"><div style="width:${percentDone}%"></div></div>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
