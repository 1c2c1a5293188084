import { Logger, type INestApplication } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { answerClientError } from './common/http/client-error.js';
import { sameOriginOnly } from './common/http/same-origin.js';
import { AppConfig } from './config/app-config.js';
import { configureHttpServer } from './http-server.js';
import { RequestLog } from './infra/logging.js';
import { Metrics } from './infra/metrics.js';
import { SESSION_COOKIE } from './session/session.module.js';

/**
 * The headers a helmet middleware sets, computed once: with fixed options they do not depend on
 * the request, and running its dozen middlewares on every request cost more than the rest of the
 * security headers' work.
 */
function fixedHeaders(middleware: (request: Request, response: Response, next: (error?: unknown) => void) => void): Map<string, string> {
  const set = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => set.set(name, value),
    removeHeader: (name: string) => set.delete(name),
  } as unknown as Response;
  let done = false;
  middleware({} as Request, recorder, (error) => {
    if (error) throw error instanceof Error ? error : new Error('helmet refused its options');
    done = true;
  });
  if (!done) throw new Error('helmet did not set its headers at once');
  return set;
}

/** `//api/x` is served as `/api/x` (the seed writes paths that way); the query is kept as is. */
function collapseSlashes(request: Request, _response: Response, next: NextFunction): void {
  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  if (path.includes('//')) request.url = path.replace(/\/{2,}/g, '/') + (q === -1 ? '' : request.url.slice(q));
  next();
}

/**
 * The web client: hashed assets cached for a year, everything else revalidated, and every GET
 * outside /api that wants HTML answered with index.html (the client routes /space/…, /video/…).
 */
function serveClient(app: NestExpressApplication, clientDir: string): void {
  const index = join(clientDir, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebClient').warn(`No web client at ${clientDir} (npm run build makes it); serving the API only`);
    return;
  }
  const files = express.static(clientDir, {
    index: false,
    redirect: false,
    setHeaders: (response, path) =>
      response.setHeader('Cache-Control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  // /metrics is Nest's too (Prometheus accepts */*, which would otherwise get the page).
  const isApi = (request: Request) => /^\/(api(\/|$)|metrics\/?$)/i.test(request.path);
  // /api is the API's alone: no file, page or redirect answers there (`/api/x/..%2F..%2Fassets`).
  app.use((request: Request, response: Response, next: NextFunction) => (isApi(request) ? next() : files(request, response, next)));
  app.use((request: Request, response: Response, next: NextFunction) => {
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !isApi(request);
    if (!wantsPage || !request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('个人空间 (Personal Space)')
    .setDescription(
      'Every JSON answer is `{errno, msg, ...data}` with HTTP 200 (an unknown route is 404 / 9404); the byte endpoints ' +
        '(stream, cover, renditions) and tus answer with real HTTP statuses. POST parameters are documented as a body ' +
        '(urlencoded, JSON or multipart); the server also reads them from the query string, as the seed contract has them, ' +
        'and the body wins. `Accept-Language: en` gives English messages. Log in first (POST /api/account/login) for the ' +
        `endpoints that need the session cookie \`${SESSION_COOKIE}\`. The contract and its decisions: docs/api.md.`,
    )
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'this server')
    .addTag(
      'account',
      'Codes by mail (register, reset, email), register, login (the session cookie), logout, password reset and change, email change, profile and avatar, sessions, deletion.',
    )
    .addTag('videos', 'Upload (multipart), list, detail, delete, reprocess; the bytes: original, cover, renditions (Range, 206/304/416).')
    .addTag('tus', "Resumable uploads (tus 1.0) at /api/videos/tus: refusals are JSON `{errno, msg}` with the protocol's HTTP status.")
    .addTag('admin', 'For the accounts named by ADMIN_EMAILS: users with their usage, disable/enable, storage quotas.')
    .addTag('health', 'Each dependency: up, down, or off.')
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session cookie that login sets (HttpOnly)' },
      SESSION_COOKIE,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * What main.ts and the tests both need on the Express app before it starts: everything that
 * is not a Nest module (those apply by themselves).
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();
  // Before anything that may answer: every response carries its id and is timed.
  app.use(app.get(RequestLog).middleware(app.get(Metrics)));
  app.getHttpServer().on('clientError', answerClientError);
  // Timeouts and the connection cap: the same for main.ts and the tests.
  configureHttpServer(app.getHttpServer(), config);
  if (config.metrics && !config.metricsToken && config.production) {
    new Logger('Metrics').warn('/metrics is open to anyone who reaches this port: set METRICS_TOKEN or keep it behind the proxy');
  }
  app.set('trust proxy', config.trustProxy);
  app.set('x-powered-by', false);
  // upgrade-insecure-requests (a helmet default) only on HTTPS: over plain HTTP under any name but
  // localhost (a NAS at http://nas.home.arpa:3000) it sends every script and style to https:// and
  // the page stays blank. HTTPS is COOKIE_SECURE=true, or a request a trusted proxy says is https.
  const headers = (https: boolean) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets inline styles; the client's styles are a file.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      // Videos and covers may be embedded by other sites' <video>/<img> only when CORS allows them.
      crossOriginResourcePolicy: { policy: config.corsOrigins.length ? 'cross-origin' : 'same-origin' },
    });
  const overHttps = fixedHeaders(headers(true));
  const overHttp = fixedHeaders(headers(false));
  app.use((request: Request, response: Response, next: NextFunction) => {
    response.setHeaders(config.cookieSecure || request.secure ? overHttps : overHttp);
    next();
  });
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: true });
  // A browser's state-changing request must come from this origin or a CORS_ORIGIN one (docs/security.md).
  app.use(sameOriginOnly(config.corsOrigins));
  // JSON, playlists and the client's assets (compression adds Vary: Accept-Encoding); never a
  // ranged answer, whose bytes must be the file's own.
  // A request without Accept-Encoding gets no compression (the middleware would answer identity):
  // it skips the middleware's hooks on the response.
  const compress = compression({ filter: (request, response) => !request.headers.range && compression.filter(request, response) });
  app.use((request: Request, response: Response, next: NextFunction) =>
    request.headers['accept-encoding'] ? compress(request, response, next) : next(),
  );
  app.use(collapseSlashes);
  serveClient(app, config.clientDir);
  // On by default (people try calls there); API_DOCS=off: both paths are unknown routes (9404).
  if (config.apiDocs) SwaggerModule.setup('api/docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
