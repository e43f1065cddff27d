// bench/json_ingest/duckdb.mjs: the DuckDB side of the JSON ingest benchmark.
//
// Usage: node duckdb.mjs FILE.json [REPEAT]
// Runs DuckDB (npm @duckdb/node-api) on ONE thread (SET threads = 1) over the same file:
// read_json with format = 'newline_delimited' and the explicit column types our decoder
// uses, and forces every column to be parsed by aggregating all of them (the same checksums
// decode.c prints). Prints one line per run:
//   duckdb rows=N bytes=B seconds=S rows_per_s=R mb_per_s=M checksum=...
// It does not generate data (gen.c does).
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync } from 'node:fs';

const path = process.argv[2];
const repeat = Number(process.argv[3] || 1);
const bytes = statSync(path).size;
const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await inst.connect();
await con.run('SET threads = 1');
await con.run('SET preserve_insertion_order = false');
const cols = `{id: 'BIGINT', user_id: 'BIGINT', amount: 'DOUBLE', score: 'DOUBLE', name: 'VARCHAR',
  city: 'VARCHAR', ts: 'TIMESTAMP', active: 'BOOLEAN', qty: 'BIGINT', lat: 'DOUBLE', lon: 'DOUBLE',
  note: 'VARCHAR', category: 'VARCHAR'}`;
const sql = `SELECT count(*) AS n, sum(id), sum(user_id), sum(qty), sum(amount), sum(score),
  count(qty), count(city), sum(active::INT),
  sum(strlen(name) + strlen(note) + strlen(category)) + sum(strlen(city)),
  max(epoch(ts))::BIGINT, sum(lat), sum(lon)
  FROM read_json('${path.replace(/'/g, "''")}', format = 'newline_delimited', columns = ${cols})`;
for (let i = 0; i < repeat; i++) {
  const t0 = performance.now();
  const reader = await con.runAndReadAll(sql);
  const secs = (performance.now() - t0) / 1000;
  const r = reader.getRows()[0].map((v) => String(v));
  const n = Number(r[0]);
  console.log(`duckdb rows=${n} bytes=${bytes} seconds=${secs.toFixed(3)} ` +
    `rows_per_s=${(n / secs).toFixed(0)} mb_per_s=${(bytes / secs / 1e6).toFixed(1)} ` +
    `checksum=${r[1]}/${r[2]}/${r[3]}/${Number(r[4]).toFixed(2)}/${Number(r[5]).toFixed(6)}/` +
    `${r[6]}/${r[7]}/${r[8]}/${r[9]}/${r[10]}`);
}
