/**
 * The portal's pages, by path. The portal's router maps each to a component
 * (main.tsx) and the server answers these with index.html and any other
 * path with 404 (server/http/portal-static.ts). Leaf module: imports nothing.
 */
export const PRIVATE_PAGES = ['/appointments', '/diagnostics', '/journal', '/prescriptions', '/profile'] as const;
export const PUBLIC_PAGES = ['/login', '/register', '/activate', '/forgot-password', '/reset-password', '/verify-email'] as const;
export const PORTAL_PAGES: readonly string[] = ['/', ...PRIVATE_PAGES, ...PUBLIC_PAGES];
