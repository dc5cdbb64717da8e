/**
 * Emitted on `process` once the web server listens with everything mounted
 * (portal, API, panel). The loader (load-web.ts) then saves V8's code cache.
 */
export const WEB_LISTENING = 'qhealth:web-listening';
