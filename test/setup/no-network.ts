/**
 * Tests need no network but loopback: any attempt to reach another host fails loudly,
 * so a test can never pass by accident against a real Slack, Microsoft or OpenAI.
 */
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

const originalConnect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
net.Socket.prototype.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | undefined;
  let host: string | undefined;
  if (typeof first === 'object' && first !== null) {
    if (first.path) return originalConnect.apply(this, args); // unix socket
    host = first.host;
  } else if (typeof first === 'number') {
    host = typeof args[1] === 'string' ? (args[1] as string) : 'localhost';
  } else if (typeof first === 'string') {
    return originalConnect.apply(this, args); // unix socket path
  }
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`test tried to reach ${host}: tests may only use loopback`);
  }
  return originalConnect.apply(this, args);
} as typeof net.Socket.prototype.connect;
