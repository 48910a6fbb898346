import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type OpenAPIObject } from '@nestjs/swagger';

/** Why an operation answers each error status (the one error shape: ErrorBody). */
const WHY: Record<number, string> = {
  400: 'malformed path id, query or body (the message names the field)',
  401: 'missing, invalid or expired token',
  403: 'role too low, or the object is outside your assigned buildings',
  404: 'no such object',
  414: 'a path parameter longer than 100 characters',
  409: "clashes with the object's state or with another object (duplicate name, still in use, not open)",
  422: 'breaks a domain rule (the message names the field or reference)',
  429: 'too many attempts; see Retry-After',
  502: 'diagnostics answered with a failure',
  504: 'diagnostics did not answer in time',
};

/** Declares error statuses an operation can answer beyond the ones every operation gets (see documentErrors). */
export const ApiErrors = (...statuses: (keyof typeof WHY)[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: WHY[status] })));

const ERROR_BODY = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
};

type Operation = { parameters?: { in?: string }[]; requestBody?: unknown; security?: unknown[]; responses: Record<string, { description?: string; content?: unknown }> };

/**
 * Adds what follows from an operation's shape: 400 wherever there is a path id, a query or a
 * body to validate; 404 wherever there is a path id, and 414 (Fastify refuses a path parameter
 * over 100 characters before routing). Every error answer gets the ErrorBody
 * schema. Statuses that follow from what a service does (409, 422...) are declared on the
 * controller with ApiErrors.
 */
export function documentErrors(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ErrorBody: ERROR_BODY };
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item as Record<string, Operation>)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const add = (status: number) => (op.responses[String(status)] ??= { description: WHY[status] });
      const params = op.parameters ?? [];
      if (params.length || op.requestBody) add(400);
      if (params.some((p) => p.in === 'path')) {
        add(404);
        add(414);
      }
      if (op.security?.length) {
        add(401);
        add(403);
      }
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) >= 400) res.content ??= { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
      }
    }
  }
  return doc;
}
