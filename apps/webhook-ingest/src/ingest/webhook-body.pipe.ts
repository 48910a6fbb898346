import { PipeTransform } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { RejectReason, WebhookRejection } from './webhook-rejection';

function firstProblem(errors: ValidationError[]): { field: string; message: string } {
  const e = errors[0];
  const message = Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid`;
  return { field: e.property, message };
}

/**
 * Validates a webhook body against its DTO. Done here rather than by the global ValidationPipe
 * so unknown fields are dropped instead of refused (a newer snitch script adding a field must
 * not lose events) and the error names the one field that was wrong.
 */
export class WebhookBodyPipe<T extends object> implements PipeTransform<unknown, T> {
  constructor(private readonly dto: ClassConstructor<T>) {}

  transform(body: unknown): T {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new WebhookRejection(400, RejectReason.MALFORMED_BODY, 'body must be a JSON object or form fields');
    }
    const instance = plainToInstance(this.dto, body);
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: false, stopAtFirstError: true });
    if (errors.length) {
      const { field, message } = firstProblem(errors);
      throw new WebhookRejection(400, RejectReason.VALIDATION, message, field);
    }
    return instance;
  }
}
