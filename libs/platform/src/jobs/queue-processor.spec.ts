import { assertHandlers } from './queue-processor';
import { jobNamesOf } from '@isp/domain';
import { QueueName } from '@isp/domain';

describe('assertHandlers', () => {
  it('accepts exactly the job names of the queue', () => {
    expect(() => assertHandlers(QueueName.SYNC, jobNamesOf(QueueName.SYNC))).not.toThrow();
  });

  it('fails start-up on a missing, unknown or duplicated handler', () => {
    const names = jobNamesOf(QueueName.NOTIFICATION);
    expect(() => assertHandlers(QueueName.NOTIFICATION, names.slice(1))).toThrow(/missing: incident-changed/);
    expect(() => assertHandlers(QueueName.NOTIFICATION, [...names, 'status-event'])).toThrow(/unknown: status-event/);
    expect(() => assertHandlers(QueueName.NOTIFICATION, [...names, names[0]])).toThrow(/duplicated: incident-changed/);
  });
});
