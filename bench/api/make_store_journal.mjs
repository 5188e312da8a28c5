// Writes SQL that fills a store's journal with a program, MEMBERS members and ORDERS
// completed orders (one transaction), for the API benchmark: the server then rebuilds the
// store from it at start, as it would a real store's.
//   node bench/api/make_store_journal.mjs STORE_ID MEMBERS ORDERS > journal.sql
const [storeId, members, orders] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const out = [];
const write = (line) => out.push(line);
let sequence = 0;
const start = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const quote = (text) => `'${text.replace(/'/g, "''")}'`;
const entry = (command) => write(`INSERT INTO journal VALUES (${quote(storeId)}, ${++sequence}, ${quote(JSON.stringify(command))}, '2026-01-01T00:00:00Z');`);
write('BEGIN;');
entry({ command: 'save_program', time: iso(start), actor: 'bench', program: {
  wallet: { initial_pool_points: 1000000000000, point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50 },
  tier_points: { vnd_per_tier_point: 20000, window_months: 12 },
  tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }, { id: 'vang', name: 'Vàng', tier_points_needed: 500 }] } });
const given = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hương', 'Lan', 'Minh', 'Nam', 'Thảo'];
for (let i = 1; i <= members; i++) {
  entry({ command: 'create_member', time: iso(start + i * 100), member_id: `M${i}`, phone: `09${String(10000000 + i).padStart(8, '0')}`,
    name: `Nguyễn Văn ${given[i % given.length]} ${i}` });
}
const orderStart = start + members * 100 + 1000;
for (let k = 1; k <= orders; k++) {
  entry({ command: 'order', time: iso(orderStart + k * 10), order_id: `O${k}`, member_id: `M${1 + (k * 7919) % members}`,
    status: 'completed', amount_vnd: 100000 + (k % 50) * 10000 });
}
write('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
