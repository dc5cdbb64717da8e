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
};
