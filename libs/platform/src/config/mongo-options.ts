import type { MongoEnv } from './mongo-env';
import { setBulkLimit, setInListLimit } from '@isp/data';

/** The MongoDB driver's timeouts from the validated config (see MongoEnv). */
export function mongoTimeouts(env: MongoEnv): { serverSelectionTimeoutMS: number; connectTimeoutMS: number; socketTimeoutMS: number } {
  return {
    serverSelectionTimeoutMS: env.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    connectTimeoutMS: env.MONGO_CONNECT_TIMEOUT_MS,
    socketTimeoutMS: env.MONGO_SOCKET_TIMEOUT_MS,
  };
}

/** Applies the process-wide database settings (the bulk limit) and returns the driver options. */
export function mongoOptions(env: MongoEnv): ReturnType<typeof mongoTimeouts> {
  setBulkLimit(env.MONGO_BULK_LIMIT);
  setInListLimit(env.MONGO_IN_LIST_LIMIT);
  return mongoTimeouts(env);
}
