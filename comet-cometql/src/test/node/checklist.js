// CometQL interop checklist for the Node drivers `mysql` and `mysql2` (driven by ExternalClientsTest).
// Usage: node checklist.js <mysql|mysql2> <port> <password> <pipe> <userId> [<CA file>: TLS, the server verified
// against it and the name localhost]
// Prints one JSON object with the outcome of each step.
'use strict';
const [driver, port, password, pipe, userId, ca] = process.argv.slice(2);
const mysql = require(driver);
const out = {};
const options = {host: ca ? 'localhost' : '127.0.0.1', port: Number(port), user: 'root', password, database: 'CometQL_v1'};
if (ca) {
  options.ssl = {ca: require('fs').readFileSync(ca), rejectUnauthorized: true};
}
const c = mysql.createConnection(options);

function q(sql, params) {
  return new Promise((resolve) => c.query(sql, params || [], (err, res) => resolve({err, res})));
}

function rows(res) {
  return res.map((r) => Object.keys(r).map((k) => String(r[k])));
}

(async () => {
  await new Promise((resolve, reject) => c.connect((e) => (e ? reject(e) : resolve())));
  out.connected = true;
  let r = await q('INSERT INTO pipes_messages (name, event, message) VALUES (?, ?, ?)', [pipe, 'evt', 'it\'s "' + driver + '" \\ ok']);
  out.insert_pipes_messages = r.err ? {errno: r.err.errno} : {affected: r.res.affectedRows};
  r = await q('INSERT INTO users_auth (id, hash) VALUES (?, ?)', [Number(userId), 'hash' + userId]);
  out.insert_users_auth = r.err ? {errno: r.err.errno} : {affected: r.res.affectedRows, insert_id: r.res.insertId};
  r = await q('SELECT * FROM users_time WHERE id = ?', [Number(userId)]);
  out.users_time = r.err ? {errno: r.err.errno} : rows(r.res);
  r = await q('SELECT * FROM pipes WHERE name = ?', [pipe]);
  out.pipes = r.err ? {errno: r.err.errno} : rows(r.res);
  r = await q('SELECT name, user_id FROM users_in_pipes WHERE name = ?', [pipe]);
  out.users_in_pipes = r.err ? {errno: r.err.errno} : rows(r.res);
  r = await q('SELECT * FROM no_such_table WHERE id = 1');
  out.invalid = r.err ? {errno: r.err.errno, message: r.err.sqlMessage} : {unexpected: true};
  await new Promise((resolve) => c.end(() => resolve()));
  out.quit = true;
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.log(JSON.stringify(Object.assign(out, {fatal: String(e)})));
  process.exit(1);
});
