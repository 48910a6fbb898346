import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { NotificationKind } from '@isp/domain';
import { SMS_MAX_UNITS, gsmUnits, shorten, toGsm, truncateGsm } from './sms-text';

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

/** The templates shipped beside this file (the build copies non-TS files into dist). */
export const DEFAULT_TEMPLATES_FILE = join(__dirname, 'messages.yaml');

export function fill(template: string, vars: TemplateVars): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_, k: string) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k])));
}

/**
 * Message texts kept apart from code (a YAML file operators can replace). Checked once at
 * start-up: every kind needs sms, subject, body and chat.
 */
export class MessageTemplates {
  private constructor(private readonly set: TemplateSet) {}

  static fromYaml(text: string, source = 'templates'): MessageTemplates {
    const doc = parse(text) as Partial<Record<string, Partial<Record<string, unknown>>>> | null;
    const problems: string[] = [];
    for (const kind of TEMPLATE_KINDS) {
      for (const part of PARTS) if (typeof doc?.[kind]?.[part] !== 'string') problems.push(`${kind}.${part}`);
    }
    if (problems.length) throw new Error(`${source}: missing or non-text templates: ${problems.join(', ')}`);
    return new MessageTemplates(doc as TemplateSet);
  }

  static fromFile(file = DEFAULT_TEMPLATES_FILE): MessageTemplates {
    return MessageTemplates.fromYaml(readFileSync(file, 'utf8'), file);
  }

  render(kind: TemplateKind, vars: TemplateVars): RenderedMessage {
    const t = this.set[kind];
    return { sms: this.sms(t.sms, vars), subject: fill(t.subject, vars).replace(/\s+/g, ' ').trim(), body: fill(t.body, vars), chat: fill(t.chat, vars) };
  }

  /** One SMS: shorten the long names first (the building and the impact must survive), then cut. */
  private sms(template: string, vars: TemplateVars): string {
    let text = toGsm(fill(template, vars));
    if (gsmUnits(text) <= SMS_MAX_UNITS) return text;
    const short = { ...vars, rootName: shorten(String(vars.rootName ?? ''), 18), building: shorten(String(vars.building ?? ''), 24), org: '' };
    text = toGsm(fill(template, short));
    return truncateGsm(text, SMS_MAX_UNITS);
  }
}
