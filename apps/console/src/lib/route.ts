/**
 * Screens are addressed by the URL's hash (#/buildings/<id>), so the gateway serves one
 * index.html and nothing else, and a reload keeps the screen. Only ids go in it, never a token.
 */
export type Route =
  | { screen: 'home' }
  | { screen: 'incidents' }
  | { screen: 'building'; id: string }
  | { screen: 'subscribers'; q?: string }
  | { screen: 'subscriber'; id: string }
  | { screen: 'availability'; scope: 'building' | 'subscriber'; id: string }
  | { screen: 'router'; id: string }
  | { screen: 'not-found' };

const ID = '([0-9a-fA-F]{24})';

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const params = new URLSearchParams(query);
  let m: RegExpExecArray | null;
  if (path === '/' || path === '') return { screen: 'home' };
  if (path === '/incidents') return { screen: 'incidents' };
  if (path === '/subscribers') return { screen: 'subscribers', q: params.get('q') ?? undefined };
  if ((m = new RegExp(`^/buildings/${ID}$`).exec(path))) return { screen: 'building', id: m[1] };
  if ((m = new RegExp(`^/buildings/${ID}/availability$`).exec(path))) return { screen: 'availability', scope: 'building', id: m[1] };
  if ((m = new RegExp(`^/subscribers/${ID}$`).exec(path))) return { screen: 'subscriber', id: m[1] };
  if ((m = new RegExp(`^/subscribers/${ID}/availability$`).exec(path))) return { screen: 'availability', scope: 'subscriber', id: m[1] };
  if ((m = new RegExp(`^/routers/${ID}$`).exec(path))) return { screen: 'router', id: m[1] };
  return { screen: 'not-found' };
}

export function href(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '#/';
    case 'incidents':
      return '#/incidents';
    case 'building':
      return `#/buildings/${route.id}`;
    case 'subscribers':
      return route.q ? `#/subscribers?${new URLSearchParams({ q: route.q })}` : '#/subscribers';
    case 'subscriber':
      return `#/subscribers/${route.id}`;
    case 'availability':
      return `#/${route.scope === 'building' ? 'buildings' : 'subscribers'}/${route.id}/availability`;
    case 'router':
      return `#/routers/${route.id}`;
    default:
      return '#/';
  }
}
