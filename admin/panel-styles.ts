import type { Router } from 'express';

/**
 * A few lines of CSS on top of AdminJS's theme. Its list tables break words
 * anywhere, so a record number like 299 stood as a column of single digits
 * and emails as towers of letters.
 */
export const PANEL_STYLES_URL = '/admin/frontend/assets/qhealth.css';

const STYLES = `
td.adminjs_TableCell, td.adminjs_TableCell section { word-break: normal; overflow-wrap: break-word; }
td[data-property-name="id"], td[data-property-name="startsAt"], td[data-property-name="createdAt"],
td[data-property-name="at"], td[data-property-name="dateOfBirth"], td[data-property-name="phone"] { white-space: nowrap; }
td[data-property-name="email"] section, td[data-property-name="toEmail"] section { min-width: 12rem; max-width: 16rem; overflow-wrap: anywhere; }
/* AdminJS's stock artwork (astronauts, rockets) on the login and empty-list pages is not the clinic's. */
.adminjs_Illustration { display: none; }
.qh-record-actions > * { flex-wrap: wrap; row-gap: 8px; }
a.qh-link { color: #0f766e; text-decoration: none; }
a.qh-link:hover, a.qh-link:focus-visible { text-decoration: underline; }
`;

/** Served before the login check: the login page uses the same stylesheet. */
export function mountPanelStyles(router: Router, rootPath: string): void {
  router.get(PANEL_STYLES_URL.replace(rootPath, ''), (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLES);
  });
}
