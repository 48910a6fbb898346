/** Every admin REST route lives under this prefix (webhooks stay on webhook-ingest). */
export const API_V1 = 'api/v1';
