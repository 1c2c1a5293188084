// node test/support/login-flood.mjs <port> <n> <ip>: n unknown-account logins at once from one source (X-Forwarded-For), from
// another process so that the flood costs the server, not the test; prints {ms, counts by errno}.
import http from 'node:http';
const [port, n, ip] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const agent = new http.Agent({ keepAlive: true, maxSockets: 400 });
const started = performance.now();
const one = (i) =>
  new Promise((resolve) => {
    const body = `user=nobody${i}@example.com&password=whatever1`;
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        path: '/api/account/login',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length, 'x-forwarded-for': ip },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(JSON.parse(data).errno));
      },
    );
    req.on('error', () => resolve('error'));
    req.end(body);
  });
const answers = await Promise.all(Array.from({ length: n }, (_, i) => one(i)));
const counts = {};
for (const a of answers) counts[a] = (counts[a] ?? 0) + 1;
console.log(JSON.stringify({ ms: Math.round(performance.now() - started), counts }));
agent.destroy();
