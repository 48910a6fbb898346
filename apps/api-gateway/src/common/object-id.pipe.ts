import { BadRequestException, Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { isObjectId } from '@isp/data';

/** Route ids are Mongo ObjectIds: anything else is a 400 before a query is built. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, meta: ArgumentMetadata): string {
    if (!isObjectId(value)) throw new BadRequestException(`${meta.data ?? 'id'} must be a 24-character hex ObjectId`);
    return value.toLowerCase();
  }
}
