import path from 'node:path';
import { ComponentLoader } from 'adminjs';
import { fromRoot } from '../server/shared/project-root.js';

/**
 * The panel's few custom React components, in one loader shared by the
 * server and the build (which bundles them ahead of time). Leaf module.
 */
const here = fromRoot('admin');
export const componentLoader = new ComponentLoader();

export const Components = {
  ActionForm: componentLoader.add('ActionForm', path.join(here, 'components/action-form.jsx')),
  Dashboard: componentLoader.add('Dashboard', path.join(here, 'components/dashboard.jsx')),
  ExportCsv: componentLoader.add('ExportCsv', path.join(here, 'components/export-csv.jsx')),
  PersonValue: componentLoader.add('PersonValue', path.join(here, 'components/person-value.jsx')),
  AuditChanges: componentLoader.add('AuditChanges', path.join(here, 'components/audit-changes.jsx')),
  DoctorOnly: componentLoader.add('DoctorOnly', path.join(here, 'components/doctor-only.jsx')),
  JsonFields: componentLoader.add('JsonFields', path.join(here, 'components/json-fields.jsx')),
  Words: componentLoader.add('Words', path.join(here, 'components/words.jsx')),
};

/**
 * AdminJS's own pieces replaced everywhere in the panel: times in the
 * clinic's zone, names instead of raw ids, detail pages titled by their
 * record, and no empty fields or "No" for what does not apply.
 */
const overrides: Record<string, string> = {
  DefaultDatetimeListProperty: 'datetime-value.jsx',
  DefaultDatetimeShowProperty: 'datetime-value.jsx',
  DefaultDatetimeFilterProperty: 'datetime-filter.jsx',
  DefaultReferenceValue: 'reference-value.jsx',
  BooleanPropertyValue: 'boolean-value.jsx',
  ActionHeader: 'action-header.jsx',
  DefaultShowAction: 'show-action.jsx',
  RecordsTable: 'records-table.jsx',
};
for (const [name, file] of Object.entries(overrides)) componentLoader.override(name, path.join(here, 'components', file));

