// Writes SQL that fills a store's journal with a program, MEMBERS members and ORDERS
// completed orders (one transaction), for the API benchmark: the server then rebuilds the
// store from it at start, as it would a real store's.
//   node bench/api/make_store_journal.mjs STORE_ID MEMBERS ORDERS [FIRST_ORDER FIRST_SEQUENCE] > journal.sql
// With FIRST_ORDER and FIRST_SEQUENCE, only orders FIRST_ORDER..ORDERS are written, as
// journal entries FIRST_SEQUENCE, ...: a tail for a store already filled.
import fs from 'node:fs';
const [storeId, members, orders] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const firstOrder = Number(process.argv[5] ?? 1);
const tailOnly = firstOrder > 1;
// Streamed out in pieces: a store of millions of entries is gigabytes of SQL.
let out = [];
const flush = () => { if (out.length) fs.writeSync(1, out.join('\n') + '\n'); out = []; };
const write = (line) => { out.push(line); if (out.length >= 10000) flush(); };
let sequence = tailOnly ? Number(process.argv[6]) - 1 : 0;
const start = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const quote = (text) => `'${text.replace(/'/g, "''")}'`;
const entry = (command) => write(`INSERT INTO journal VALUES (${quote(storeId)}, ${++sequence}, ${quote(JSON.stringify(command))}, '2026-01-01T00:00:00Z');`);
write('BEGIN;');
if (!tailOnly) entry({ command: 'save_program', time: iso(start), actor: 'bench', program: {
  wallet: { initial_pool_points: 1000000000000, point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50 },
  tier_points: { vnd_per_tier_point: 20000, window_months: 12 },
  tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }, { id: 'vang', name: 'Vàng', tier_points_needed: 500 }] } });
const given = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hương', 'Lan', 'Minh', 'Nam', 'Thảo'];
for (let i = 1; i <= members && !tailOnly; i++) {
  entry({ command: 'create_member', time: iso(start + i * 100), member_id: `M${i}`, phone: `09${String(10000000 + i).padStart(8, '0')}`,
    name: `Nguyễn Văn ${given[i % given.length]} ${i}` });
}
const orderStart = start + members * 100 + 1000;
for (let k = firstOrder; k <= orders; k++) {
  entry({ command: 'order', time: iso(orderStart + k * 10), order_id: `O${k}`, member_id: `M${1 + (k * 7919) % members}`,
    status: 'completed', amount_vnd: 100000 + (k % 50) * 10000 });
}
write('COMMIT;');
flush();
