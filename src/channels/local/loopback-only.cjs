// Preloaded into the Agents Playground process (node --require): the playground calls
// server.listen(port) with no host, which binds every interface. Local mode must stay on
// loopback, so a listen() without a host gets 127.0.0.1.
'use strict';
const net = require('node:net');
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  } else if (args[0] && typeof args[0] === 'object' && !args[0].path && args[0].host === undefined && !(args[0] instanceof net.Server) && !args[0]._handle) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return originalListen.apply(this, args);
};
