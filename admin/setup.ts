import AdminJS, { type ResourceWithOptions } from 'adminjs';
import { config } from '../server/config.js';
import { Components, componentLoader } from './components.js';
import { actorOf } from './current-admin.js';
import { dashboardFor } from './dashboard.js';
import { clinicListHandler, clinicSearchHandler } from './list-action.js';
import { PANEL_LIVE_SCRIPT_URL } from './live/index.js';
import { PROPERTY_LABELS, RESOURCE_LABELS } from './navigation.js';
import { PANEL_STYLES_URL } from './panel-styles.js';
import { appointmentsResource, diagnosticsResource, requestsResource } from './resources/bookings.js';
import { auditLogResource, loginAttemptsResource, mailResource } from './resources/oversight.js';
import { patientsResource, staffResource } from './resources/people.js';
import { journalResource, prescriptionsResource } from './resources/records.js';

/** QHealth's colours: a calm clinical teal. */
export const BRAND_COLOURS = {
  primary100: '#0f766e',
  primary80: '#14857b',
  primary60: '#2a9d8f',
  primary40: '#7cc4bb',
  primary20: '#d6efec',
  accent: '#0f766e',
  filterBg: '#0b4f4a',
  hoverBg: '#115e59',
};

export function panelResources(): ResourceWithOptions[] {
  const resources = [
    patientsResource(), staffResource(),
    diagnosticsResource(), requestsResource(), appointmentsResource(),
    journalResource(), prescriptionsResource(),
    auditLogResource(), loginAttemptsResource(), mailResource(),
  ];
  for (const r of resources) {
    const list = { ...(r.options.actions?.list ?? {}), handler: clinicListHandler } as Record<string, unknown>;
    const search = { ...(r.options.actions?.search ?? {}), handler: clinicSearchHandler } as Record<string, unknown>;
    r.options.actions = { ...r.options.actions, list, search };
  }
  return resources;
}

/** Custom action labels, gathered from the actions themselves, for AdminJS's translations. */
function actionLabels(resources: ResourceWithOptions[]): Record<string, { actions: Record<string, string> }> {
  const out: Record<string, { actions: Record<string, string> }> = {};
  for (const r of resources) {
    const actions: Record<string, string> = {};
    for (const [name, action] of Object.entries(r.options.actions ?? {})) {
      const label = (action as { custom?: { label?: string } } | undefined)?.custom?.label;
      if (label) actions[name] = label;
    }
    actions.exportCsv = 'Export CSV';
    const id = (r.resource as { id(): string }).id();
    // A list's heading is its action's label: "Patients 200" rather than "List 200".
    actions.list = RESOURCE_LABELS[id] ?? id;
    out[id] = { actions };
  }
  return out;
}

export function createAdmin(resources: ResourceWithOptions[] = panelResources()): AdminJS {
  const clinic = config().clinic.name;
  return new AdminJS({
    rootPath: '/admin',
    loginPath: '/admin/login',
    logoutPath: '/admin/logout',
    componentLoader,
    resources,
    dashboard: {
      component: Components.Dashboard,
      handler: async (_request, _response, context) => dashboardFor(actorOf(context)),
    },
    branding: {
      // "QHealth · QHealth Clinic" stammers: the clinic's own name when it already says QHealth.
      companyName: /qhealth/i.test(clinic) ? clinic : `QHealth · ${clinic}`,
      logo: false,
      withMadeWithLove: false,
      theme: { colors: BRAND_COLOURS },
    },
    assets: { styles: [PANEL_STYLES_URL], scripts: [PANEL_LIVE_SCRIPT_URL] },
    settings: { defaultPerPage: 20 },
    locale: {
      language: 'en',
      availableLanguages: ['en'],
      translations: {
        en: {
          labels: { ...RESOURCE_LABELS, navigation: 'Menu', dashboard: 'Dashboard' },
          properties: PROPERTY_LABELS,
          components: {
            Login: {
              welcomeHeader: 'QHealth staff panel',
              welcomeMessage: `Sign in to ${clinic}'s panel for doctors, operators, pharmacists and administrators. Patients use the portal.`,
              loginButton: 'Sign in',
            },
          },
          messages: { invalidCredentials: 'Email or password is wrong.' },
          resources: actionLabels(resources),
        },
      },
    },
  });
}
