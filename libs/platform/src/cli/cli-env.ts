import { IsOptional, IsString, Matches } from 'class-validator';
import { HashTaggedOnCluster, IsRedisUrl } from '../config/redis-env';
import { MongoEnv } from '../config/mongo-env';

/** Configuration of the command-line tools (topology loader, legacy migration); MongoDB timeouts as the apps'. */
export class CliEnv extends MongoEnv {
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGO_URL must be a mongodb:// URL with a database name' })
  MONGO_URL = 'mongodb://127.0.0.1:27017/isp';

  @IsOptional()
  @IsString()
  SECRETS_KEYS?: string;

  /** When set, the topology loader queues a router pass for every router it touched. */
  @IsOptional()
  @IsString()
  @IsRedisUrl()
  REDIS_URL?: string;

  @IsString()
  @HashTaggedOnCluster()
  QUEUE_PREFIX = 'isp';
}
