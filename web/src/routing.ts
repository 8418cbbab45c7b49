import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/keys/1234…`): the server serves one page at /console/, and a reload or a shared link lands on the
 * same view without any server-side routing.
 */
export type Route =
  | { readonly page: 'keys' }
  | { readonly page: 'create-key' }
  | { readonly page: 'key'; readonly keyId: string }
  | { readonly page: 'audit' }
  | { readonly page: 'identities' }
  | { readonly page: 'explain' };

export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case 'keys':
      if (parts[1] === 'new') return { page: 'create-key' };
      return parts[1] ? { page: 'key', keyId: parts[1] } : { page: 'keys' };
    case 'audit':
      return { page: 'audit' };
    case 'identities':
      return { page: 'identities' };
    case 'explain':
      return { page: 'explain' };
    default:
      return { page: 'keys' };
  }
}

/** The href of a route, for links. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'key':
      return `#/keys/${encodeURIComponent(route.keyId)}`;
    case 'create-key':
      return '#/keys/new';
    default:
      return `#/${route.page}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

/** The current route, following the address bar. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
