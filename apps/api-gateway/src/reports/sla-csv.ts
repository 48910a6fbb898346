import type { SlaReportDto } from './reports.dto';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text starting with = + - @ (or a tab or carriage return) is prefixed with ' so a spreadsheet
 * shows it instead of running it as a formula: names here are typed by people.
 */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, CRLF line ends (RFC 4180). */
export function toCsv(header: readonly string[], rows: readonly CsvValue[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Parses what toCsv writes (quoted fields, doubled quotes, line breaks inside quotes): the tests read reports back with it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** Columns of the SLA report as CSV: one line per month, levels flattened, impact roots in one field. */
export const SLA_CSV_HEADER = [
  'scope', 'id', 'name', 'timeZone', 'month', 'from', 'to', 'subscribers', 'periodMinutes', 'downtimeMinutes', 'ownMinutes', 'impactedMinutes', 'maintenanceMinutes',
  'affectedSubscribers', 'availabilityPct', 'targetPct', 'met', 'incidents',
  'l1Incidents', 'l1MttaMinutes', 'l1MttrMinutes', 'l2Incidents', 'l2MttaMinutes', 'l2MttrMinutes', 'l3Incidents', 'l3MttaMinutes', 'l3MttrMinutes',
  'impactedBy',
] as const;

export function slaReportCsv(r: SlaReportDto): string {
  return toCsv(
    SLA_CSV_HEADER,
    r.months.map((m) => [
      r.scope, r.id, r.name, r.timeZone, m.month, m.from.toISOString(), m.to.toISOString(), m.subscribers, m.periodMinutes, m.downtimeMinutes, m.ownMinutes, m.impactedMinutes, m.maintenanceMinutes,
      m.affectedSubscribers, m.availabilityPct, m.targetPct, m.met, m.incidents,
      ...m.levels.flatMap((l) => [l.incidents, l.mttaMinutes, l.mttrMinutes]),
      // "router core-1=12.5; device sector-2=3": kind, name and minutes of each root.
      m.impactedBy.map((i) => `${i.root.kind} ${i.root.name}=${i.minutes}`).join('; '),
    ]),
  );
}
