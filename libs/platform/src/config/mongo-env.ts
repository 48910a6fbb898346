import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DEFAULT_BULK_LIMIT, DEFAULT_IN_LIST_LIMIT, MAX_BULK_LIMIT } from '@isp/data';

/**
 * How the apps and the command-line tools talk to MongoDB: timeouts, so a server that stopped
 * answering fails the call with a clear error instead of hanging it, and the bulk limit.
 */
export class MongoEnv {
  /** How long a MongoDB call waits for a usable server before it fails ("server selection"). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  MONGO_SERVER_SELECTION_TIMEOUT_MS = 10000;

  /** TCP connect plus handshake with a MongoDB server. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  MONGO_CONNECT_TIMEOUT_MS = 10000;

  /**
   * A MongoDB call whose socket stays silent this long fails. Longer than the slowest single
   * command (bulk writes are chunked, MONGO_BULK_LIMIT, to keep each one short).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  MONGO_SOCKET_TIMEOUT_MS = 60000;

  /** Most statements or listed ids in one write command (the embedded store hangs from 100 on). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_BULK_LIMIT)
  MONGO_BULK_LIMIT = DEFAULT_BULK_LIMIT;

  /** Most ids in one `$in` update (one statement, but one collection scan per command on the embedded store). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MONGO_IN_LIST_LIMIT = DEFAULT_IN_LIST_LIMIT;
}
