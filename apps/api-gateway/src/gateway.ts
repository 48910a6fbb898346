import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { bootstrapApp } from '@isp/platform';
import { AppModule } from './app.module';
import type { ApiGatewayConfig } from './config/api-gateway.config';
import { mountConsole } from './console/console-static';
import { BULL_BOARD_PATH, mountBullBoard } from './admin/bull-board';
import { documentErrors } from './common/api-errors';
import { addSecurityHeaders } from './common/security-headers';

export const DOCS_PATH = 'api/docs';

/** The OpenAPI document: every route, DTO and the bearer scheme. */
export function openApiDocument(app: INestApplication) {
  const builder = new DocumentBuilder()
    .setTitle('ISP NetOps admin API')
    .setDescription('Buildings, routers, devices and subscribers; desired state; cached status; incidents, availability, topology; Live Check; SSE feed.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return documentErrors(SwaggerModule.createDocument(app, builder));
}

/** What the gateway adds on top of the platform bootstrap: security headers, OpenAPI (API_DOCS), Bull Board, the console. */
export async function configureGateway(app: NestFastifyApplication, config: ApiGatewayConfig): Promise<void> {
  addSecurityHeaders(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, [`/${DOCS_PATH}`, BULL_BOARD_PATH]);
  if (config.API_DOCS) SwaggerModule.setup(DOCS_PATH, app, () => openApiDocument(app), { jsonDocumentUrl: `${DOCS_PATH}-json` });
  if (config.BULL_BOARD) await mountBullBoard(app);
  if (config.CONSOLE) await mountConsole(app, config.CONSOLE_DIR);
}

/** Starts the gateway (main, tests and the benchmark use the same path). */
export async function startGateway(config: ApiGatewayConfig): Promise<NestFastifyApplication> {
  const app = await bootstrapApp(AppModule.forRoot(config), {
    config,
    broadcasts: true,
    httpMetrics: true,
    // The client address (rate limiting, logs) is read through the trusted proxies only.
    fastify: { trustProxy: config.TRUSTED_PROXIES.length ? config.TRUSTED_PROXIES : false },
    configure: (a) => configureGateway(a, config),
  });
  return app as NestFastifyApplication;
}
