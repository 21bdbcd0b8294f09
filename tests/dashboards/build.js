// Bundles the browser harness (harness.jsx + Splunk's dashboard framework, React 18) with
// esbuild into OUTDIR/harness.js (+ harness.css) and copies index.html beside it.
//   node build.js OUTDIR
const path = require('path');
const fs = require('fs');
const esbuild = require('esbuild');

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.js OUTDIR');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(__dirname, 'harness.jsx')],
  bundle: true,
  outfile: path.join(out, 'harness.js'),
  loader: { '.js': 'jsx' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
fs.copyFileSync(path.join(__dirname, 'index.html'), path.join(out, 'index.html'));
console.log(`bundled ${path.join(out, 'harness.js')} (${fs.statSync(path.join(out, 'harness.js')).size} bytes)`);
