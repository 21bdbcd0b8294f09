// Drives headless Chromium (Debian's /usr/bin/chromium through playwright-core) over the
// bundled harness (build.js). One job file in, one result file out:
//   node browser.js JOB.json RESULT.json
// JOB: { bundle: DIR, chromium: PATH?, validate: [{name, definition}],
//        render: [{name, definition, answers, screenshot}] }
// RESULT: { validate: {name: [errors]}, render: {name: {requests, panels, pageErrors}} }
// A panel is described by what is on the screen inside its [data-id] box: its size, the
// text it shows, table rows, chart marks (svg paths/rects, canvas) and any error message.
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require('playwright-core');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function probePanels(page, ids) {
  return page.evaluate((vizIds) => {
    const out = {};
    for (const id of vizIds) {
      const el = document.querySelector(`[data-id="${id}"]`);
      if (!el) { out[id] = { found: false }; continue; }
      const r = el.getBoundingClientRect();
      const text = el.innerText || '';
      out[id] = {
        found: true,
        width: Math.round(r.width),
        height: Math.round(r.height),
        text: text.slice(0, 4000),
        tableRows: el.querySelectorAll('tbody tr').length,
        chartMarks: el.querySelectorAll('svg path, svg rect, canvas').length,
        noResults: /no search results|no results found|search did not return any/i.test(text),
        error: /no answer for search|cannot be a|must have|search failed|error in '|invalid/i.test(text) ? text.slice(0, 300) : null,
      };
    }
    return out;
  }, ids);
}

async function main() {
  const [jobPath, resultPath] = process.argv.slice(2);
  if (!jobPath || !resultPath) {
    console.error('usage: node browser.js JOB.json RESULT.json');
    process.exit(2);
  }
  const job = JSON.parse(fs.readFileSync(jobPath, 'utf8'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-chromium-'));
  const result = { validate: {}, render: {} };
  let ctx = null;
  try {
    ctx = await chromium.launchPersistentContext(userDataDir, {
      executablePath: job.chromium || '/usr/bin/chromium', headless: true, args: FLAGS,
      viewport: { width: 1440, height: 1000 }, timeout: 60000,
    });
    const url = `file://${path.resolve(job.bundle, 'index.html')}`;
    const page = await ctx.newPage();
    await page.goto(url);
    for (const v of job.validate || []) {
      result.validate[v.name] = await page.evaluate((d) => window.__validate(d), v.definition);
    }
    for (const r of job.render || []) {
      const p = await ctx.newPage();
      const pageErrors = [];
      p.on('pageerror', (e) => pageErrors.push(e.message));
      await p.goto(url);
      await p.evaluate(([d, a]) => { window.__ANSWERS = a; window.__render(d); }, [r.definition, r.answers]);
      const ids = Object.keys(r.definition.visualizations || {});
      // Panels are drawn once their searches are answered; wait until each box is on screen.
      await p.waitForFunction((vizIds) => vizIds.every((id) => document.querySelector(`[data-id="${id}"]`)),
        ids, { timeout: 30000 }).catch(() => {});
      await p.waitForTimeout(2500);
      result.render[r.name] = { requests: await p.evaluate(() => window.__REQUESTS), panels: await probePanels(p, ids),
        pageErrors };
      if (r.screenshot) await p.screenshot({ path: r.screenshot, fullPage: true });
      await p.close();
    }
  } finally {
    if (ctx) await ctx.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  fs.writeFileSync(resultPath, JSON.stringify(result, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
