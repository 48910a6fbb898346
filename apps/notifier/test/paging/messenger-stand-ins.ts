// HTTP stand-ins answering as Telegram's Bot API and a Teams Workflows webhook document it,
// errors included. (WhatsApp goes through Twilio: TwilioStandIn plays it.) Each records what it was asked.
import type { IncomingMessage } from 'node:http';
import { StandIn } from './sms-provider-stand-ins';

export interface TelegramRequest {
  chatId: string;
  text: string;
  parseMode?: string;
  at: number;
  status: number;
}
/** What Telegram answers a chat instead of success: the documented `{ ok: false, error_code, description, parameters }`. */
export type TelegramScript = () => { status: number; description: string; retryAfter?: number } | null;

/**
 * Telegram Bot API: POST /bot{token}/sendMessage (JSON). A wrong token: 401 "Unauthorized".
 * Chat ids a test scripts answer their error (429 with retry_after, 403 bot blocked, 400 chat not
 * found...); others 200 `{ ok: true, result: Message }`. The text is checked as Telegram does in
 * HTML mode: a bare "<" or "&" that is not a tag or entity is refused with 400 "can't parse entities".
 */
export class TelegramStandIn extends StandIn {
  readonly requests: TelegramRequest[] = [];
  readonly scripts = new Map<string, TelegramScript>();
  private nextId = 1;

  constructor(readonly token: string) {
    super();
  }

  to(chatId: string): TelegramRequest[] {
    return this.requests.filter((r) => r.chatId === chatId);
  }

  protected handle(req: IncomingMessage, body: string) {
    if (req.url !== `/bot${this.token}/sendMessage`) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const b = JSON.parse(body) as { chat_id: string | number; text: string; parse_mode?: string };
    const chatId = String(b.chat_id);
    const scripted = this.scripts.get(chatId)?.() ?? null;
    const badHtml = b.parse_mode === 'HTML' && /<(?!\/?b>)|&(?!(amp|lt|gt|quot);)/.test(b.text);
    const status = scripted?.status ?? (badHtml ? 400 : 200);
    this.requests.push({ chatId, text: b.text, parseMode: b.parse_mode, at: Date.now(), status });
    if (scripted) {
      return {
        status: scripted.status,
        body: { ok: false, error_code: scripted.status, description: scripted.description, ...(scripted.retryAfter !== undefined && { parameters: { retry_after: scripted.retryAfter } }) },
      };
    }
    if (badHtml) return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: can't parse entities: unsupported start tag" } };
    return { status: 200, body: { ok: true, result: { message_id: this.nextId++, chat: { id: Number(chatId) || chatId, type: 'private' }, date: Math.floor(Date.now() / 1000), text: b.text } } };
  }
}

export interface TeamsRequest {
  flow: string;
  payload: { type?: string; attachments?: Array<{ contentType?: string; contentUrl?: unknown; content?: { type?: string; version?: string; body?: Array<{ type: string; text: string; weight?: string }> } }> };
  status: number;
}

/**
 * A Workflows webhook ("When a Teams webhook request is received"): POST /workflows/{flow}
 * answers 202 with an empty body once the run is queued. Scripted flows answer as Power Automate
 * does: 404 WorkflowNotFound (deleted), 429 (throttled), 502/503 with `{ error: { code, message } }`.
 */
export class TeamsStandIn extends StandIn {
  readonly requests: TeamsRequest[] = [];
  readonly scripts = new Map<string, () => { status: number; code: string; message: string } | null>();

  to(flow: string): TeamsRequest[] {
    return this.requests.filter((r) => r.flow === flow);
  }

  hook(flow: string): string {
    return `${this.url}/workflows/${flow}/triggers/manual/paths/invoke?api-version=1&sig=secret-${flow}`;
  }

  protected handle(req: IncomingMessage, body: string) {
    const flow = /^\/workflows\/([^/]+)\/triggers\/manual\/paths\/invoke\?/.exec(req.url ?? '')?.[1];
    if (!flow || req.method !== 'POST') return { status: 404, body: { error: { code: 'WorkflowNotFound', message: 'The workflow could not be found.' } } };
    const scripted = this.scripts.get(flow)?.() ?? null;
    const status = scripted?.status ?? 202;
    this.requests.push({ flow, payload: JSON.parse(body) as TeamsRequest['payload'], status });
    if (scripted) return { status: scripted.status, body: { error: { code: scripted.code, message: scripted.message } } };
    return { status: 202, body: '', contentType: 'text/plain' };
  }
}
