// The floor under the gateway's throughput: the least a Node proxy can do — node:http in, node:http out to
// the simulator over a keep-alive agent, bytes piped through untouched, no key, quota, tap or ledger. Its own
// process, like the app's server. Usage: node bench/bare-proxy.mjs <port> <upstream origin>; prints "ready".
import http from 'node:http';

const [port, upstream] = process.argv.slice(2);
const target = new URL(upstream);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

http
  .createServer((req, res) => {
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  })
  .listen(Number(port), '127.0.0.1', () => console.log('ready'));
