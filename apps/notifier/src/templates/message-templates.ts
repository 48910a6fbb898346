import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { NotificationKind } from '@isp/domain';
import { escapeChatText } from './chat-escape';
import { prepareSms, shorten, smsCapacity, smsUnits, truncateSms } from './sms-text';

export type TemplateKind = Extract<NotificationKind, 'opened' | 'grown' | 'shrunk' | 'escalated' | 'resolved'>;
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['opened', 'grown', 'shrunk', 'escalated', 'resolved'];
const PARTS = ['sms', 'subject', 'body', 'chat'] as const;
type Part = (typeof PARTS)[number];
type TemplateSet = Record<TemplateKind, Record<Part, string>>;

export type TemplateVars = Record<string, string | number | undefined>;

export interface RenderedMessage {
  sms: string;
  subject: string;
  body: string;
  chat: string;
}

/** A message for readers in different zones: the text with times on the wall clock of `timeZone` (IANA; default UTC). */
export type LocalizedMessage = (timeZone?: string) => RenderedMessage;

/** The templates shipped beside this file (the build copies non-TS files into dist). */
export const DEFAULT_TEMPLATES_FILE = join(__dirname, 'messages.yaml');

export function fill(template: string, vars: TemplateVars): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_, k: string) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k])));
}

export interface TemplateOptions {
  /** Parts one SMS may take (SMS_MAX_SEGMENTS); 1 keeps every page a single message. */
  smsMaxSegments?: number;
}

/**
 * Message texts kept apart from code (a YAML file operators can replace). Checked once at
 * start-up: every kind needs sms, subject, body and chat.
 */
export class MessageTemplates {
  private readonly smsMaxSegments: number;

  private constructor(
    private readonly set: TemplateSet,
    opts: TemplateOptions = {},
  ) {
    this.smsMaxSegments = opts.smsMaxSegments ?? 1;
  }

  static fromYaml(text: string, source = 'templates', opts?: TemplateOptions): MessageTemplates {
    const doc = parse(text) as Partial<Record<string, Partial<Record<string, unknown>>>> | null;
    const problems: string[] = [];
    for (const kind of TEMPLATE_KINDS) {
      for (const part of PARTS) if (typeof doc?.[kind]?.[part] !== 'string') problems.push(`${kind}.${part}`);
    }
    if (problems.length) throw new Error(`${source}: missing or non-text templates: ${problems.join(', ')}`);
    return new MessageTemplates(doc as TemplateSet, opts);
  }

  static fromFile(file = DEFAULT_TEMPLATES_FILE, opts?: TemplateOptions): MessageTemplates {
    return MessageTemplates.fromYaml(readFileSync(file, 'utf8'), file, opts);
  }

  render(kind: TemplateKind, vars: TemplateVars): RenderedMessage {
    const t = this.set[kind];
    // Names come from the topology file and the API: in chat markup they are text, never markup.
    const chatVars = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? escapeChatText(v) : v]));
    return { sms: this.sms(t.sms, vars), subject: fill(t.subject, vars).replace(/\s+/g, ' ').trim(), body: fill(t.body, vars), chat: fill(t.chat, chatVars) };
  }

  /** At most SMS_MAX_SEGMENTS parts: shorten the long names first (the building and the impact must survive), then cut. */
  private sms(template: string, vars: TemplateVars): string {
    let sms = prepareSms(fill(template, vars));
    if (smsUnits(sms.text, sms.encoding) <= smsCapacity(sms.encoding, this.smsMaxSegments)) return sms.text;
    const short = { ...vars, rootName: shorten(String(vars.rootName ?? ''), 18), building: shorten(String(vars.building ?? ''), 24), org: '' };
    sms = prepareSms(fill(template, short));
    return truncateSms(sms.text, smsCapacity(sms.encoding, this.smsMaxSegments), sms.encoding);
  }
}
