/**
 * The floor for bench/sse.ts: the least any Node server on this machine can
 * do to get one change to N open event streams. A bare TCP server answers
 * each request with an event-stream head and, per change, writes one
 * ready-made HTTP chunk to every socket in a loop: no sessions, no audience
 * rules, no bus, no database. It speaks the same messages as
 * bench/sse-server.ts, so the client measures both the same way.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

type Message = { kind: 'publish'; seq: number } | { kind: 'stats' } | { kind: 'stop' };

const now = () => performance.timeOrigin + performance.now();
const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n';

const users = Number(process.argv[2] ?? 1000);
const sockets = new Set<net.Socket>();
const fanout: number[] = [];

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let head = '';
  const onData = (chunk: Buffer) => {
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    socket.write(HEAD);
    sockets.add(socket);
  };
  socket.on('data', onData);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => sockets.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  process.send!({
    kind: 'ready',
    port: (server.address() as AddressInfo).port,
    users: Array.from({ length: users }, (_, i) => ({ id: i + 1, role: 'doctor' })),
  });
});

process.on('message', (message: Message) => {
  if (message.kind === 'publish') {
    const at = now();
    const body = Buffer.from(`id:0-${message.seq}\nevent:change\ndata:{"resource":"appointment","id":${message.seq},"action":"updated"}\n\n`);
    const chunk = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]);
    for (const socket of sockets) socket.write(chunk);
    fanout.push(now() - at);
    process.send!({ kind: 'committed', seq: message.seq, at });
  } else if (message.kind === 'stats') {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    process.send!({
      kind: 'stats', cpuMs: (cpu.user + cpu.system) / 1000, fanout: fanout.splice(0), rss: memory.rss, heapUsed: memory.heapUsed, streams: sockets.size,
      loop: { p99: 0, max: 0 }, gc: { count: 0, totalMs: 0, maxMs: 0 },
    });
  } else if (message.kind === 'stop') {
    for (const socket of sockets) socket.destroy();
    server.close();
    process.exit(0);
  }
});
