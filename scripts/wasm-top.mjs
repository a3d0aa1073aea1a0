#!/usr/bin/env node
// Prints the largest functions and data segments of a .wasm that has a name section (as
// twiggy's `top` does), so that growth is visible in every `make pkg`:
//   node scripts/wasm-top.mjs FILE.wasm [N]
// The name section comes from a build that keeps names (wasm-bindgen --keep-debug, wasm-opt
// --debuginfo); sizes are of the optimised function bodies.
import { readFileSync } from 'node:fs';

const [file, n = '15'] = process.argv.slice(2);
const buf = readFileSync(file);
let pos = 8;
const u32 = () => {
  let r = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    r |= (b & 0x7f) << shift;
    if (b < 0x80) return r >>> 0;
    shift += 7;
  }
};
const str = () => {
  const len = u32();
  const s = buf.toString('utf8', pos, pos + len);
  pos += len;
  return s;
};
let imports = 0;
const bodies = [];
const data = [];
const names = new Map();

while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) {
    for (let i = 0, c = u32(); i < c; i++) {
      str();
      str();
      const kind = buf[pos++];
      if (kind === 0) {
        imports++;
        u32();
      } else if (kind === 1) {
        pos++;
        const f = buf[pos++];
        u32();
        if (f & 1) u32();
      } else if (kind === 2) {
        const f = buf[pos++];
        u32();
        if (f & 1) u32();
      } else if (kind === 3) pos += 2;
      else u32();
    }
  } else if (id === 10) {
    for (let i = 0, c = u32(); i < c; i++) {
      const len = u32();
      bodies.push(len);
      pos += len;
    }
  } else if (id === 11) {
    for (let i = 0, c = u32(); i < c; i++) {
      const start = pos;
      const flag = u32();
      if (flag === 0) {
        while (buf[pos++] !== 0x0b);
      } else if (flag === 2) {
        u32();
        while (buf[pos++] !== 0x0b);
      }
      const len = u32();
      pos += len;
      data.push(pos - start);
    }
  } else if (id === 0 && str() === 'name') {
    while (pos < end) {
      const sub = buf[pos++];
      const len = u32();
      const subEnd = pos + len;
      if (sub === 1) {
        for (let i = 0, c = u32(); i < c; i++) {
          const idx = u32();
          names.set(idx, str());
        }
      }
      pos = subEnd;
    }
  }
  pos = end;
}
const rows = bodies.map((len, i) => [len, names.get(imports + i) || `func[${imports + i}]`]);
data.forEach((len, i) => rows.push([len, `data segment ${i}`]));
rows.sort((a, b) => b[0] - a[0]);
const code = bodies.reduce((a, b) => a + b, 0) + data.reduce((a, b) => a + b, 0);
const short = (s) => s.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
console.log(`  top ${n} of ${rows.length} items (${code} B of code and data):`);
for (const [len, name] of rows.slice(0, Number(n))) {
  console.log(`  ${String(len).padStart(7)} B ${((100 * len) / code).toFixed(1).padStart(5)}%  ${short(name).slice(0, 100)}`);
}
