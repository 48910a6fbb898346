import { useEffect, useMemo, useRef, useState } from 'react';
import { AppContext, type AppState } from './app-context';
import { ApiClient } from './api/client';
import { Feed, type FeedStatus } from './api/feed';
import { clearSession, loadSession, saveSession, type Session } from './api/session';
import type { Me } from './api/types';
import { href, parseRoute, type Route } from './lib/route';
import { AvailabilityScreen } from './screens/availability';
import { BuildingView } from './screens/building-view';
import { Home } from './screens/home';
import { IncidentBoard } from './screens/incident-board';
import { RouterPage } from './screens/router-page';
import { SignIn } from './screens/sign-in';
import { SubscriberCard } from './screens/subscriber-card';
import { SubscriberLookup } from './screens/subscriber-lookup';

const FEED_TEXT: Record<FeedStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', closed: 'Offline' };

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'home':
      return <Home />;
    case 'incidents':
      return <IncidentBoard />;
    case 'building':
      return <BuildingView key={route.id} id={route.id} />;
    case 'subscribers':
      return <SubscriberLookup key={route.q ?? ''} q={route.q} />;
    case 'subscriber':
      return <SubscriberCard key={route.id} id={route.id} />;
    case 'availability':
      return <AvailabilityScreen key={`${route.scope}-${route.id}`} scope={route.scope} id={route.id} />;
    case 'router':
      return <RouterPage key={route.id} id={route.id} />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            <a href="#/">Back to the buildings</a>
          </p>
        </section>
      );
  }
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);
  const [feedStatus, setFeedStatus] = useState<FeedStatus>('connecting');
  const api = useMemo(() => new ApiClient(session, onSignOut), [session, onSignOut]);
  const feed = useMemo(() => new Feed(api, setFeedStatus), [api]);
  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  useEffect(() => {
    api.get<Me>('/auth/me').then(setMe, () => undefined);
  }, [api]);
  // Moving between screens puts keyboard focus on the new screen, as a page load would.
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route]);
  const state: AppState = { session, me, api, feed, feedStatus, signOut: onSignOut };
  const nav: [Route['screen'], string, string][] = [
    ['home', href({ screen: 'home' }), 'Buildings'],
    ['incidents', href({ screen: 'incidents' }), 'Incidents'],
    ['subscribers', href({ screen: 'subscribers' }), 'Subscribers'],
  ];
  return (
    <AppContext.Provider value={state}>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <span className="brand">ISP NetOps</span>
        <nav aria-label="Main">
          {nav.map(([screen, to, text]) => (
            <a key={screen} href={to} aria-current={route.screen === screen || (screen === 'subscribers' && route.screen === 'subscriber') ? 'page' : undefined}>
              {text}
            </a>
          ))}
        </nav>
        <span className={`feed feed-${feedStatus}`} role="status" data-testid="feed-status">
          <span aria-hidden="true">{feedStatus === 'live' ? '●' : '○'}</span> {FEED_TEXT[feedStatus]}
        </span>
        <span className="who">
          {session.email} <span className="muted">({me?.role ?? session.role})</span>
        </span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Screen route={route} />
      </main>
    </AppContext.Provider>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const signOut = useMemo(
    () => () => {
      clearSession();
      setSession(null);
    },
    [],
  );
  if (!session) {
    return (
      <SignIn
        onSignedIn={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }
  return <SignedIn session={session} onSignOut={signOut} />;
}
