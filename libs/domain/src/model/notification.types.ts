export type NotificationChannel = 'sms' | 'email' | 'chat' | 'telegram' | 'whatsapp' | 'teams' | 'dashboard';
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['sms', 'email', 'chat', 'telegram', 'whatsapp', 'teams', 'dashboard'];

/**
 * Where one delivery stands. In flight: `pending` (recorded, not tried), `sending` (claimed by a
 * worker), `retrying` (a transient failure; the next try is scheduled). Final: `delivered` (the
 * provider confirmed it reached the reader: a chat post, the feed, a Twilio delivery receipt),
 * `sent` (the provider accepted it and gave no receipt: none exists for the channel, or none came
 * within SMS_RECEIPT_WAIT_MS; a Twilio SMS waiting for its receipt is `sent` too), `failed` (it
 * cannot be delivered: rejected, retried until the incident stopped mattering, or a receipt said
 * failed/undelivered), `uncertain` (the provider may have it: a timeout after the request
 * went out; not resent blindly), `suppressed` (no longer worth sending: the incident was resolved
 * first; `error` says why), `skipped` (nobody could be paged this way: a contact without an address
 * on any enabled channel, kept so the record of who was told shows it).
 */
export type NotificationStatus = 'pending' | 'sending' | 'retrying' | 'sent' | 'delivered' | 'failed' | 'uncertain' | 'suppressed' | 'skipped';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'sending', 'retrying', 'sent', 'delivered', 'failed', 'uncertain', 'suppressed', 'skipped'];
/** Statuses after which nothing more happens to a delivery. */
export const FINAL_NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['sent', 'delivered', 'failed', 'uncertain', 'suppressed', 'skipped'];

/** `alarm`: the notifier telling network admins that pages cannot be delivered (a provider is down, out of credit, refusing our key). */
export type NotificationKind = 'opened' | 'grown' | 'shrunk' | 'escalated' | 'resolved' | 'subscriber-status' | 'alarm';

/** How an SMS text is encoded on the air: GSM 03.38 7-bit when every character fits, UCS-2 otherwise. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';
