import { createServer, type Server } from 'node:http';

/** A stand-in for webhook-ingest in simulator tests: records every POST, answers 202. */
export interface WebhookSink {
  url: string;
  received: { path: string; body: string; contentType: string }[];
  /** the JSON or form body of a received POST */
  parsed(i: number): Record<string, string>;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const received: WebhookSink['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, contentType: String(req.headers['content-type'] ?? '') });
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    received,
    parsed: (i) => {
      const r = received[i];
      return r.contentType.includes('json') ? JSON.parse(r.body) : Object.fromEntries(new URLSearchParams(r.body));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
