/**
 * A fake Bot Framework identity provider on 127.0.0.1, so botbuilder's real token checks and
 * MSAL's real client-credentials flow cross the wire in tests:
 * - channel side (http): an OpenID configuration and a JWKS whose key carries `endorsements`
 *   (the channels it may sign for), and `signChannelToken` to sign inbound requests as the Bot
 *   Framework service would (iss https://api.botframework.com, aud = the app id, serviceurl);
 * - bot side (https, a self-signed certificate, since MSAL accepts only https authorities): the
 *   authority's OpenID configuration and a token endpoint for client credentials.
 * Keys are generated at start; the certificate with the openssl command line (Node cannot make one).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface TokenRequest {
  tenant: string;
  grantType: string | null;
  clientId: string | null;
  /** Whether the client secret matched (the secret itself is not kept). */
  secretMatched: boolean;
  scope: string | null;
}

export interface FakeBotIdentity {
  /** ToBotFromChannelOpenIdMetadataUrl */
  openIdMetadataUrl: string;
  /** ToChannelFromBotLoginUrl for a tenant (default botframework.com, as MultiTenant bots use). */
  loginUrl(tenant?: string): string;
  /** The self-signed certificate of the login authority (PEM), to trust it. */
  loginCa: string;
  /** Requests that reached the token endpoint. */
  tokenRequests: TokenRequest[];
  /** Access tokens handed out, in order. */
  issuedTokens: string[];
  /** Requests for the channel's OpenID configuration and keys. */
  keyRequests: string[];
  /**
   * A JWT as the Bot Framework service signs it for a request to the bot. `claims` override or
   * (with undefined) remove the defaults; `signWith: 'foreign'` signs with another key under the
   * same key id; `kid` names another key id.
   */
  signChannelToken(options: { serviceUrl?: string; claims?: Record<string, unknown>; signWith?: 'channel' | 'foreign'; kid?: string }): string;
  /** The next requests for the channel keys answer this status (simulates an outage). */
  failKeys(status: number, times?: number): void;
  close(): Promise<void>;
}

export interface FakeBotIdentityOptions {
  appId: string;
  appPassword: string;
  /** The channels the signing key is endorsed for (botbuilder compares them with the activity's channelId). */
  endorsements?: string[];
}

export async function startFakeBotIdentity(options: FakeBotIdentityOptions): Promise<FakeBotIdentity> {
  const channelKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreignKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const jwk = channelKey.publicKey.export({ format: 'jwk' });
  const tokenRequests: TokenRequest[] = [];
  const issuedTokens: string[] = [];
  const keyRequests: string[] = [];
  const keyFailures: number[] = [];

  // Channel side: OpenID configuration and keys, over plain http as botbuilder's node-fetch allows.
  const channelServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    keyRequests.push(url.pathname);
    const failure = keyFailures.shift();
    if (failure) return sendJson(res, failure, { error: 'failure requested by the test' });
    if (url.pathname === '/v1/.well-known/openidconfiguration') {
      return sendJson(res, 200, {
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${channelBase}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (url.pathname === '/v1/.well-known/keys') {
      return sendJson(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: options.endorsements ?? ['msteams'] }] });
    }
    sendJson(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => channelServer.listen(0, '127.0.0.1', resolve));
  const channelBase = `http://127.0.0.1:${(channelServer.address() as AddressInfo).port}`;

  // Bot side: an https authority (MSAL insists) with the token endpoint.
  const tls = selfSignedCertificate();
  const loginServer = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const openId = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
      if (openId && req.method === 'GET') {
        const tenant = openId[1]!;
        return sendJson(res, 200, {
          issuer: `${loginBase}/${tenant}/v2.0`,
          authorization_endpoint: `${loginBase}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${loginBase}/${tenant}/oauth2/v2.0/token`,
          jwks_uri: `${loginBase}/${tenant}/discovery/v2.0/keys`,
          response_types_supported: ['code', 'token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (token && req.method === 'POST') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const request: TokenRequest = {
          tenant: token[1]!,
          grantType: form.get('grant_type'),
          clientId: form.get('client_id'),
          secretMatched: form.get('client_secret') === options.appPassword,
          scope: form.get('scope'),
        };
        tokenRequests.push(request);
        if (request.grantType !== 'client_credentials' || request.clientId !== options.appId || !request.secretMatched) {
          return sendJson(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        }
        const now = Math.floor(Date.now() / 1000);
        const accessToken = sign(
          { alg: 'RS256', typ: 'JWT', kid },
          { iss: `${loginBase}/${request.tenant}/v2.0`, aud: (request.scope ?? '').replace(/\/\.default$/, ''), appid: options.appId, iat: now, nbf: now, exp: now + 3600, jti: crypto.randomUUID() },
          channelKey.privateKey,
        );
        issuedTokens.push(accessToken);
        return sendJson(res, 200, { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: accessToken });
      }
      sendJson(res, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => loginServer.listen(0, '127.0.0.1', resolve));
  const loginBase = `https://127.0.0.1:${(loginServer.address() as AddressInfo).port}`;

  return {
    openIdMetadataUrl: `${channelBase}/v1/.well-known/openidconfiguration`,
    loginUrl: (tenant = 'botframework.com') => `${loginBase}/${tenant}`,
    loginCa: tls.cert,
    tokenRequests,
    issuedTokens,
    keyRequests,
    signChannelToken({ serviceUrl, claims = {}, signWith = 'channel', kid: otherKid }) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = {
        serviceurl: serviceUrl,
        nbf: now - 5,
        exp: now + 3600,
        iss: CHANNEL_ISSUER,
        aud: options.appId,
      };
      for (const [name, value] of Object.entries(claims)) {
        if (value === undefined) delete payload[name];
        else payload[name] = value;
      }
      if (payload.serviceurl === undefined) delete payload.serviceurl;
      return sign({ alg: 'RS256', typ: 'JWT', kid: otherKid ?? kid }, payload, signWith === 'foreign' ? foreignKey.privateKey : channelKey.privateKey);
    },
    failKeys(status, times = 1) {
      for (let i = 0; i < times; i++) keyFailures.push(status);
    },
    async close() {
      await Promise.all(
        [channelServer, loginServer].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function sign(header: object, payload: object, key: crypto.KeyObject): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(payload)}`;
  return `${signingInput}.${crypto.sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A one-day certificate for 127.0.0.1, made by openssl in a temporary folder that is removed at once. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsumiki-fake-idp-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'pipe', timeout: 20_000 },
    );
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
