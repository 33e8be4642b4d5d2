/** The web UI's stylesheet, served as /ui/style.css. */
export const STYLE_CSS = `
:root {
  color-scheme: light dark;
  --fg: #1b1f23;
  --muted: #59636e;
  --bg: #ffffff;
  --panel: #f6f8fa;
  --line: #d0d7de;
  --accent: #0550ae;
  --ok: #116329;
  --warn: #7d4e00;
  --bad: #a40e26;
  --added-bg: #dafbe1;
  --removed-bg: #ffebe9;
  --hunk-bg: #ddf4ff;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  font-size: 15px;
  line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3;
    --muted: #9198a1;
    --bg: #0d1117;
    --panel: #161b22;
    --line: #3d444d;
    --accent: #4493f8;
    --ok: #3fb950;
    --warn: #d29922;
    --bad: #f85149;
    --added-bg: #12361f;
    --removed-bg: #3c1618;
    --hunk-bg: #0c2d6b;
  }
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -1000px; }
.skip:focus { left: 8px; top: 8px; background: var(--bg); padding: 4px 8px; }
.top { padding: 10px 24px; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; text-decoration: none; margin-right: 8px; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 1.6rem; margin: 8px 0; }
h2 { font-size: 1.2rem; margin-top: 28px; }
h3 { font-size: 1rem; }
.muted { color: var(--muted); }
.summary { margin: 4px 0 12px; }
.problem { color: var(--bad); font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; align-items: end; }
.field { display: flex; flex-direction: column; gap: 2px; }
.field label { font-size: 0.85rem; color: var(--muted); }
input, select, button { font: inherit; color: inherit; }
input[type='search'], select { padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); min-width: 12em; }
button { padding: 5px 12px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); cursor: pointer; }
button:disabled { opacity: 0.6; cursor: default; }
button.sort { border: 0; background: none; padding: 0; font-weight: 600; text-align: left; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline; }
#backup-now { background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); white-space: nowrap; }
tbody th { font-weight: 600; white-space: nowrap; }
tbody td:nth-child(-n + 5) { white-space: nowrap; }
.state { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid currentColor; font-size: 0.85rem; }
.state-idle, .state-waiting, .state-running { color: var(--ok); }
.state-backoff, .state-offline { color: var(--warn); }
.state-blocked { color: var(--bad); font-weight: 700; }
.error strong { color: var(--bad); }
.advice { margin-top: 2px; color: var(--muted); max-width: 60ch; }
.advice-label { font-weight: 600; color: var(--fg); }
.details { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
.details dt { color: var(--muted); }
.details dd { margin: 0; }
.actions { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 16px 0; }
.outcome { margin: 0; }
.outcome.ok { color: var(--ok); font-weight: 600; }
.outcome.failed { color: var(--bad); font-weight: 600; }
#show-diff { margin-top: 12px; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 10px; overflow: auto; max-height: 36em; font-size: 0.85rem; }
pre.diff .line { display: block; white-space: pre; }
pre.diff .added { background: var(--added-bg); }
pre.diff .removed { background: var(--removed-bg); }
pre.diff .hunk { background: var(--hunk-bg); color: var(--muted); }
pre.diff .meta { color: var(--muted); font-weight: 600; }
`;
