import { applyDecorators, type Type as Class } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  skip?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  skip: number;
}

export function pageOf(q: PageQueryDto): { limit: number; skip: number } {
  return { limit: q.limit ?? 50, skip: q.skip ?? 0 };
}

/** OpenAPI for a list route: a Page of `item` (the dashboard generates its client from it). */
export function ApiPageResponse(item: Class<unknown>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'skip'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          total: { type: 'integer', description: 'matching items in all pages' },
          limit: { type: 'integer' },
          skip: { type: 'integer' },
        },
      },
    }),
  );
}
