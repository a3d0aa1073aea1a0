#!/usr/bin/env node
// A README's code must be exactly the code the consumer tests run:
//
//   node tests/consumers/readme-check.mjs README.md [--runs "a/x.js b/y.sh …"] [--require-all]
//
// Every fenced code block right after a `<!-- file: PATH -->` line must equal the file
// tests/consumers/PATH (ignoring trailing white space at the end).
//   --runs LIST     the files the consumer tests run as README snippets (40-consumers.sh passes
//                   its list): a marked block whose file is not in it fails, because nothing
//                   would run it.
//   --require-all   every file of --runs must be shown by a marked block of this README.
// Code is either tested or not shown: a fenced block in js, mjs, cjs, ts, html or json without a
// marker fails too (shell commands and text diagrams may stand alone).
// Fails when a block differs, a file is missing, a marker has no code block after it, code is
// unmarked, or the README has no marked block at all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string' }, 'require-all': { type: 'boolean', default: false } },
});
const readme = positionals[0];
if (!readme || (args['require-all'] && !args.runs)) {
  console.error('usage: readme-check.mjs README.md [--runs "FILE …"] [--require-all]');
  process.exit(2);
}
const runs = args.runs ? args.runs.split(/\s+/).filter(Boolean) : null;
const text = readFileSync(readme, 'utf8');
const re = /<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g;
const shown = new Set();
let checked = 0;
let bad = 0;
const fail = (message) => {
  console.log(`FAIL  ${readme}: ${message}`);
  bad++;
};
for (const [, file, block] of text.matchAll(re)) {
  checked++;
  shown.add(file);
  let want;
  try {
    want = readFileSync(path.join(here, file), 'utf8');
  } catch {
    fail(`${file} does not exist in tests/consumers/`);
    continue;
  }
  if (block.trimEnd() !== want.trimEnd()) fail(`the block marked ${file} differs from tests/consumers/${file}`);
  if (runs && !runs.includes(file)) fail(`the block marked ${file} is not among the files the consumer tests run`);
}
const CODE = new Set(['js', 'mjs', 'cjs', 'ts', 'html', 'json', 'jsx', 'tsx']);
for (const m of text.matchAll(/^```(\w*)\n/gm)) {
  const before = text.slice(0, m.index);
  const line = before.split('\n').length;
  const inBlock = (before.match(/^```/gm) ?? []).length % 2 === 1; // a closing fence
  if (inBlock || !CODE.has(m[1])) continue;
  if (!/<!-- file: \S+ -->\n$/.test(before)) fail(`line ${line}: a ${m[1]} code block without a <!-- file: … --> marker (show only tested code)`);
}
const marked = (text.match(/<!-- file: /g) ?? []).length;
if (marked !== checked) fail(`${marked} file markers but ${checked} are followed by a code block`);
if (args['require-all']) {
  for (const file of runs) if (!shown.has(file)) fail(`shows no block marked ${file} (a tested snippet)`);
}
console.log(`${readme}: ${checked} marked code blocks, ${bad} problem(s)`);
process.exit(bad || checked === 0 ? 1 : 0);
