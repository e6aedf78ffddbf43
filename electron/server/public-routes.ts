import type http from 'node:http';

/**
 * A route answered without a login. Every entry is reviewed: it must carry its own key (a share
 * link's token in its path) or hold nothing of the catalogue (the login page). Everything else
 * the bridge serves needs a session (with accounts) or the per-start token (without).
 */
export interface PublicRoute {
  /** An exact path, or a prefix when it ends with '/'. */
  path: string;
  /** Why it may be public (read in review). */
  why: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> | void;
}

export function matchPublic(routes: readonly PublicRoute[], pathname: string): PublicRoute | undefined {
  return routes.find((r) => (r.path.endsWith('/') ? pathname.startsWith(r.path) : pathname === r.path));
}
