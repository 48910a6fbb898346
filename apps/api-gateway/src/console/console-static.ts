import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The console page may load only what the gateway serves (its bundle) and talk only to the
 * gateway; styles set by the chart library at run time need inline styles.
 */
const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** dist/console under the repository (or image) root: the nearest folder up with a package.json. */
export function defaultConsoleDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
    if (dirname(dir) === dir) return join(from, 'console');
  }
}

/**
 * Serves the operator console's build (apps/console, built by tools/build.mjs) at `/`. Only the
 * files present at start are routed (no wildcard), so every other path still reaches Nest's
 * routes and 404s; the console addresses its screens by the URL's hash, never by path.
 */
export async function mountConsole(app: NestFastifyApplication, dir: string | undefined): Promise<void> {
  const root = dir || defaultConsoleDir();
  const log = new Logger('Console');
  if (!existsSync(join(root, 'index.html'))) {
    log.warn(`console not served: no build in ${root} (run node tools/build.mjs)`);
    return;
  }
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    decorateReply: false,
    index: ['index.html'],
    // Hashed bundle names change with their content: cache them for good; index.html never.
    setHeaders: (res, path) => {
      if (path.endsWith('.html')) {
        void res.header('cache-control', 'no-cache');
        void res.header('content-security-policy', CONSOLE_CSP);
        void res.header('x-content-type-options', 'nosniff');
        void res.header('referrer-policy', 'no-referrer');
      } else if (path.includes('/assets/')) {
        void res.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  log.log(`console served at / from ${root}`);
}
