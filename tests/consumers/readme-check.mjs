#!/usr/bin/env node
// The npm README's quick starts must be exactly the code the consumer tests run:
//
//   node tests/consumers/readme-check.mjs README.md
//
// Every fenced code block right after a `<!-- file: PATH -->` line must equal the file
// tests/consumers/PATH (ignoring trailing white space). Fails when a block differs, a file
// is missing, or the README has no such block at all.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = process.argv[2];
if (!readme) {
  console.error('usage: readme-check.mjs README.md');
  process.exit(2);
}
const text = readFileSync(readme, 'utf8');
const re = /<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g;
let checked = 0;
let bad = 0;
for (const [, file, block] of text.matchAll(re)) {
  checked++;
  let want;
  try {
    want = readFileSync(path.join(here, file), 'utf8');
  } catch {
    console.log(`FAIL  ${readme}: ${file} does not exist in tests/consumers/`);
    bad++;
    continue;
  }
  if (block.trimEnd() !== want.trimEnd()) {
    console.log(`FAIL  ${readme}: the block marked ${file} differs from tests/consumers/${file}`);
    bad++;
  }
}
const marked = (text.match(/<!-- file: /g) ?? []).length;
if (marked !== checked) {
  console.log(`FAIL  ${readme}: ${marked} file markers but ${checked} are followed by a code block`);
  bad++;
}
console.log(`README: ${checked - bad} of ${checked} marked code blocks are the tested files`);
process.exit(bad || checked === 0 ? 1 : 0);
