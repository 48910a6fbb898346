import { IsOptional, IsString, Matches } from 'class-validator';

/** Configuration of the command-line tools (topology loader, legacy migration). */
export class CliEnv {
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGO_URL must be a mongodb:// URL with a database name' })
  MONGO_URL = 'mongodb://127.0.0.1:27017/isp';

  @IsOptional()
  @IsString()
  SECRETS_KEYS?: string;

  /** When set, the topology loader queues a router pass for every router it touched. */
  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsString()
  QUEUE_PREFIX = 'isp';
}
