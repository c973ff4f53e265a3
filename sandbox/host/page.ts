import type { HostConfig } from "./client/wire.js";

/**
 * The host page's HTML. Everything dynamic is built by the script (./client/main.ts); the
 * configuration travels as JSON in a non-executing script element, with `<` escaped so no
 * value can close the element.
 */
export function renderHostPage(config: HostConfig, scriptPath: string): string {
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en-GB" data-theme="default">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Microsoft Teams (sandbox) — Coaching Circles</title>
<style>${HOST_CSS}</style>
<script type="application/json" id="host-config">${json}</script>
<script type="module" src="${scriptPath}"></script>
</head>
<body>
<a class="skip-link" href="#view">Skip to the app</a>
<header class="top-bar">
  <h1>Microsoft Teams <span class="badge">sandbox</span></h1>
  <nav id="view-nav" aria-label="Views"></nav>
  <div class="switches">
    <label>Signed in as <select id="user-switch" disabled><option>Loading demo users…</option></select></label>
    <label>Theme <select id="theme-switch"></select></label>
  </div>
</header>
<main id="view" tabindex="-1"></main>
<footer>
  <details>
    <summary>Host log (TeamsJS messages)</summary>
    <ol id="log" role="log" aria-live="off"></ol>
  </details>
</footer>
</body>
</html>`;
}

// Plain, readable styles: the stand-in must not look like our product, only frame it fairly.
const HOST_CSS = `
:root { color-scheme: light; --bg: #f5f5f5; --fg: #242424; --panel: #ffffff; --border: #c7c7c7; --accent: #4f52b2; --accent-fg: #ffffff; --muted: #525252; --tile: #3b3a39; --tile-fg: #ffffff; }
[data-theme="dark"] { color-scheme: dark; --bg: #1f1f1f; --fg: #f0f0f0; --panel: #292929; --border: #5c5c5c; --accent: #7f85f5; --accent-fg: #000000; --muted: #c8c8c8; --tile: #3d3d3d; --tile-fg: #ffffff; }
[data-theme="contrast"] { color-scheme: dark; --bg: #000000; --fg: #ffffff; --panel: #000000; --border: #ffffff; --accent: #ffff00; --accent-fg: #000000; --muted: #ffffff; --tile: #000000; --tile-fg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 "Segoe UI", system-ui, sans-serif; background: var(--bg); color: var(--fg); }
.skip-link { position: absolute; left: -999px; }
.skip-link:focus { left: 8px; top: 8px; background: var(--panel); color: var(--fg); padding: 4px 8px; z-index: 1; }
.top-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; padding: 8px 16px; background: var(--panel); border-bottom: 1px solid var(--border); }
.top-bar h1 { font-size: 16px; margin: 0; }
.badge { font-size: 12px; font-weight: 600; border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; }
#view-nav { display: flex; gap: 4px; }
button, select { font: inherit; color: var(--fg); background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 4px 10px; }
button:focus-visible, select:focus-visible, summary:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
#view-nav button[aria-current="page"] { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); font-weight: 600; }
button.primary { background: var(--accent); color: var(--accent-fg); border-color: var(--accent); font-weight: 600; }
button:disabled { opacity: 0.6; cursor: not-allowed; }
.switches { display: flex; gap: 16px; margin-left: auto; }
main { padding: 16px; }
main h2 { font-size: 16px; margin: 0 0 8px; }
main h3 { font-size: 14px; margin: 0 0 8px; }
.frame { display: block; border: 1px solid var(--border); background: var(--panel); }
.frame-tab { width: 100%; height: calc(100vh - 170px); min-height: 480px; }
.meeting { display: flex; gap: 12px; align-items: stretch; }
.meeting-main { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 8px; }
.meeting-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; }
.meeting-bar h2 { margin: 0; }
.sharing-note { margin: 0; color: var(--muted); }
.video-grid { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; }
.video-tile { background: var(--tile); color: var(--tile-fg); border: 1px solid var(--border); border-radius: 6px; height: 140px; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 6px; }
.initials { font-size: 24px; font-weight: 600; }
.stage .frame-stage { width: 100%; height: calc(100vh - 200px); min-height: 420px; }
.side-panel { flex: none; display: flex; flex-direction: column; }
.frame-sidepanel { height: calc(100vh - 200px); min-height: 480px; }
.outlook { display: flex; gap: 12px; }
.compose { flex: 1; background: var(--panel); border: 1px solid var(--border); padding: 12px; }
.task-pane { flex: none; }
.frame-taskpane { height: calc(100vh - 200px); min-height: 480px; }
.dialog { max-width: 760px; margin: 0 auto; background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 16px; }
.frame-config { width: 100%; height: 440px; }
.dialog-footer { display: flex; align-items: center; justify-content: flex-end; gap: 12px; margin-top: 12px; }
.config-status { margin: 0 auto 0 0; }
.config-status[data-level="error"] { font-weight: 600; }
.saved-config dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
.saved-config dt { font-weight: 600; }
.saved-config dd { margin: 0; word-break: break-all; }
footer { padding: 0 16px 16px; }
#log { font: 12px/1.4 ui-monospace, monospace; max-height: 200px; overflow: auto; margin: 4px 0 0; padding-left: 24px; }
#log li[data-level="warn"], #log li[data-level="error"] { font-weight: 600; }
`;
