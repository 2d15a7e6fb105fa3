// Preload for an UNMODIFIED Node process (n8n included): TLS connections to Google's hostnames go to the local
// stand-in's TLS port instead, while the SNI/servername and certificate check stay those of the real hostname.
// (Adapted from the harness's google-redirect/redirect.cjs; test tooling only, never shipped.)
// Load it with either
//   NODE_OPTIONS="--require /abs/path/redirect.cjs"      (CommonJS preload)
//   NODE_OPTIONS="--import  /abs/path/redirect.cjs"      (same file through the ESM loader; Node >= 20.6)
// and trust the test CA with NODE_EXTRA_CA_CERTS=/abs/path/ca.crt (read once at process start).
//
// env:
//   REDIRECT_TO     host:port of the stand-in's TLS listener (required). Must be loopback.
//   REDIRECT_HOSTS  comma list of hostnames; "*.example.com" matches any subdomain (default: the Google APIs the
//                   package and n8n's OAuth2 flow call: gmail, oauth2, www, iam, iamcredentials,
//                   cloudresourcemanager .googleapis.com and accounts.google.com)
//   REDIRECT_PORTS  ports to redirect (default 443)
//   REDIRECT_DNS    1 (default): dns.lookup / dns.promises.lookup answer 127.0.0.1 for the listed hosts, so a path
//                   that skips tls.connect (plain http, custom sockets) can never reach the real service (fail closed)
//   REDIRECT_DEBUG  1: print one line per redirected connection to stderr
//
// What is patched: tls.connect (used by https.Agent, axios/follow-redirects, got, node-fetch, and Node's
// built-in fetch/undici), net.connect/net.createConnection (plain TCP to a listed host:port, e.g. an
// HTTP CONNECT-less socket), dns.lookup and dns.promises.lookup. A connection that already carries its own
// `socket` (e.g. tunnelled through an HTTP proxy) is left alone.
'use strict';
// n8n starts its task runner with a filtered environment: NODE_OPTIONS (this preload) passes, REDIRECT_TO does not.
// Without a target there is nothing to redirect (the runner only runs Code nodes), so the preload stays inert there.
if (!process.env.REDIRECT_TO) return;
const tls = require('node:tls');
const net = require('node:net');
const dns = require('node:dns');
const { syncBuiltinESMExports } = require('node:module');

const DEFAULT_HOSTS = [
  'gmail.googleapis.com', 'oauth2.googleapis.com', 'www.googleapis.com', 'iam.googleapis.com',
  'iamcredentials.googleapis.com', 'cloudresourcemanager.googleapis.com', 'accounts.google.com',
  'pubsub.googleapis.com',
].join(',');
const hosts = (process.env.REDIRECT_HOSTS || DEFAULT_HOSTS).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const ports = new Set((process.env.REDIRECT_PORTS || '443').split(',').map((s) => Number(s.trim())));
const to = process.env.REDIRECT_TO || '';
const toHost = to.slice(0, to.lastIndexOf(':'));
const toPort = Number(to.slice(to.lastIndexOf(':') + 1));
const debug = process.env.REDIRECT_DEBUG === '1';
if (!/^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/.test(toHost) || !toPort) {
  throw new Error(`redirect.cjs: REDIRECT_TO must be a loopback host:port, got "${to}"`);
}

function matches(host) {
  if (typeof host !== 'string' || !host) return false;
  const h = host.toLowerCase().replace(/\.$/, '');
  return hosts.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p));
}

// Normalise the overloaded connect signatures: (options[, cb]) | (port[, host][, options][, cb]) | (path[, cb])
function normalize(args) {
  let options = {}, cb, i = 0;
  if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++] };
  else if (typeof args[i] === 'number' || (typeof args[i] === 'string' && /^\d+$/.test(args[i]))) {
    options.port = Number(args[i++]);
    if (typeof args[i] === 'string') options.host = args[i++];
    if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++], ...options };
  } else return null; // a unix socket path or something we do not touch
  if (typeof args[i] === 'function') cb = args[i];
  return { options, cb };
}

function rewrite(options, kind) {
  if (options.socket || options.path) return false;
  const host = options.host || options.hostname;
  const port = Number(options.port || (kind === 'tls' ? 443 : 0));
  if (!matches(host) || !ports.has(port)) return false;
  if (kind === 'tls' && !options.servername) options.servername = host; // keep SNI + cert check on the real name
  options.host = toHost; options.port = toPort;
  delete options.hostname; delete options.lookup; // the proxy address is literal; no DNS
  if (debug) process.stderr.write(`[redirect] ${kind} ${host}:${port} -> ${toHost}:${toPort}\n`);
  return true;
}

const origTlsConnect = tls.connect;
tls.connect = function connect(...args) {
  const n = normalize(args);
  if (n && rewrite(n.options, 'tls')) return n.cb ? origTlsConnect.call(this, n.options, n.cb) : origTlsConnect.call(this, n.options);
  return origTlsConnect.apply(this, args);
};

const origNetConnect = net.connect;
function netConnect(...args) {
  const n = normalize(args);
  if (n && rewrite(n.options, 'tcp')) return n.cb ? origNetConnect.call(this, n.options, n.cb) : origNetConnect.call(this, n.options);
  return origNetConnect.apply(this, args);
}
net.connect = netConnect;
net.createConnection = netConnect;

if (process.env.REDIRECT_DNS !== '0') {
  const loop = (family) => (family === 6 ? { address: '::1', family: 6 } : { address: '127.0.0.1', family: 4 });
  const origLookup = dns.lookup;
  dns.lookup = function lookup(hostname, options, callback) {
    if (typeof options === 'function') { callback = options; options = {}; }
    if (typeof options === 'number') options = { family: options };
    if (!matches(hostname)) return origLookup.call(this, hostname, options || {}, callback);
    const a = loop(options && options.family);
    if (debug) process.stderr.write(`[redirect] dns ${hostname} -> ${a.address}\n`);
    process.nextTick(() => (options && options.all ? callback(null, [a]) : callback(null, a.address, a.family)));
    return {};
  };
  const origPLookup = dns.promises.lookup;
  dns.promises.lookup = async function lookup(hostname, options = {}) {
    if (typeof options === 'number') options = { family: options };
    if (!matches(hostname)) return origPLookup.call(this, hostname, options);
    const a = loop(options.family);
    return options.all ? [a] : a;
  };
}

syncBuiltinESMExports(); // make `import { connect } from 'node:tls'` etc. see the patched functions too
if (debug) process.stderr.write(`[redirect] active in pid ${process.pid}: ${hosts.join(',')} :${[...ports]} -> ${to}\n`);
