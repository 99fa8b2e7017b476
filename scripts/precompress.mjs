// Writes FILE.br (brotli, quality 11, the settings cargo-leptos used) beside every file under
// the directory it is given, as the server sends it to browsers that ask (no compression per
// request); Node's zlib holds brotli, so there is nothing to compile or download. The gzip
// copies come from `gzip -9` (scripts/setup.sh, build_front): zlib's level 9 made the main
// WASM module 1.3% larger (243,273 B against 240,083 B).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const root = process.argv[2];
if (!root) {
  console.error('usage: node precompress.mjs DIR');
  process.exit(2);
}

function compress(path) {
  const bytes = readFileSync(path);
  const params = {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_LGWIN]: 22,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
  };
  writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params }));
}

function walk(dir) {
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      files += walk(path);
    } else if (entry.isFile() && !/\.(gz|br)$/.test(entry.name)) {
      compress(path);
      files += 1;
    }
  }
  return files;
}

console.error(`brotli copies of ${walk(root)} files in ${root}`);
