// Issue 15 item 11: two deployments sharing one Redis (the README allows it, with their own
// QUEUE_PREFIX) must not hear each other's dashboard feed or broadcasts. On a real Redis: two
// deployments' publishers side by side, the feed read off its channel and the broadcasts through
// the platform's Redis-transport server, as every app runs them.
import { Redis } from 'ioredis';
import { Broadcast, dashboardFeedChannel, type DashboardFeedMessage } from '@isp/domain';
import { BroadcastPublisher, CommonEnv, FeedPublisher, PrefixedRedisServer } from '@isp/platform';
import { testQueuePrefix, testRedisUrl, waitFor } from '../../../test/support';

describe('feed and broadcast channels carry QUEUE_PREFIX (issue 15 item 11)', () => {
  const A = testQueuePrefix('prefix-a');
  const B = testQueuePrefix('prefix-b');
  const clients: Redis[] = [];
  const redis = () => {
    const r = new Redis(testRedisUrl(), { lazyConnect: false });
    clients.push(r);
    return r;
  };
  let server: PrefixedRedisServer | undefined;

  afterAll(async () => {
    await server?.close();
    await Promise.all(clients.map((c) => c.quit()));
  });

  it("a deployment's feed reader sees only its own deployment's messages", async () => {
    const reader = redis();
    const seen: DashboardFeedMessage[] = [];
    reader.on('message', (_channel: string, raw: string) => seen.push(JSON.parse(raw) as DashboardFeedMessage));
    await reader.subscribe(dashboardFeedChannel(A));

    const pub = redis();
    const feedOf = (prefix: string) => new FeedPublisher(pub, { QUEUE_PREFIX: prefix } as CommonEnv);
    const other = feedOf(B);
    const own = feedOf(A);
    expect(other.channel).not.toBe(own.channel);
    await other.publish('node-state', { kind: 'device', id: 'from-b', name: 'from-b', state: 'DOWN' });
    await own.publish('node-state', { kind: 'device', id: 'from-a', name: 'from-a', state: 'DOWN' });

    // Pub/sub keeps publish order on one connection: once A's message is here, B's would be too.
    await waitFor(() => seen.some((m) => m.type === 'node-state' && m.data.id === 'from-a'), { timeoutMs: 5000, message: "A's feed message" });
    expect(seen.map((m) => (m.type === 'node-state' ? m.data.id : m.type))).toEqual(['from-a']);
  });

  it("a deployment's broadcast handlers hear only their own deployment's broadcasts", async () => {
    const heard: unknown[] = [];
    server = new PrefixedRedisServer(A, testRedisUrl());
    server.addHandler(Broadcast.TOPOLOGY_CHANGED, async (data: unknown) => void heard.push(data), true);
    await new Promise<void>((resolve, reject) => void server!.listen((err?: unknown) => (err ? reject(err as Error) : resolve())));

    const pub = redis();
    const sendA = new BroadcastPublisher(pub, A);
    const sendB = new BroadcastPublisher(pub, B);
    // The server subscribes asynchronously after listen(): publish A's until one is heard.
    await waitFor(
      async () => {
        await sendB.topologyChanged({ reason: 'from-b' });
        await sendA.topologyChanged({ reason: 'from-a' });
        return heard.length > 0;
      },
      { timeoutMs: 5000, intervalMs: 100, message: "A's broadcast heard by A's server" },
    );
    // Every B broadcast went out before its A twin on the same connection, so any leak is in by now.
    expect(heard.every((d) => (d as { reason: string }).reason === 'from-a')).toBe(true);
  });
});
