import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from './roles';

/** The verified principal the auth guard put on the request. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal);
