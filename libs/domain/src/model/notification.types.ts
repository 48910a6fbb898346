export type NotificationChannel = 'sms' | 'email' | 'chat' | 'dashboard';
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = ['sms', 'email', 'chat', 'dashboard'];
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'sending', 'sent', 'failed', 'suppressed'];
export type NotificationKind = 'opened' | 'grown' | 'shrunk' | 'escalated' | 'resolved' | 'subscriber-status';
