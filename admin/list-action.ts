import { ClinicResource } from './clinic-resource.js';
import { Filter, flat, type ActionContext, type ActionRequest, type BaseRecord, type ListActionResponse } from 'adminjs';

const MAX_PER_PAGE = 100;

/**
 * AdminJS's list handler, shaped for a million rows: the capped (or
 * estimated) count runs while the page is read and its references are
 * populated, so the request waits for two database round trips (the page,
 * then its references) instead of four; and only the references shown in the
 * list are populated (stock AdminJS fetches every referenced record, e.g.
 * "booked by" and "cancelled by", for every page).
 */
export async function clinicListHandler(request: ActionRequest, _response: unknown, context: ActionContext): Promise<ListActionResponse> {
  const { resource, _admin, currentAdmin } = context;
  const query = flat.unflatten(request.query ?? {}) as { sortBy?: string; direction?: 'asc' | 'desc'; filters?: Record<string, unknown>; page?: string; perPage?: string };
  const perPage = Math.min(MAX_PER_PAGE, wholeNumber(query.perPage) ?? _admin.options.settings?.defaultPerPage ?? 20);
  const page = wholeNumber(query.page) ?? 1;
  const decorated = resource.decorate();
  const asked = {
    sortBy: typeof query.sortBy === 'string' ? query.sortBy : decorated.options.sort?.sortBy,
    direction: query.direction === 'asc' || query.direction === 'desc' ? query.direction : decorated.options.sort?.direction ?? 'desc',
  };
  // The meta names the sort the rows are in: an unoffered column ("passwordHash") is neither used nor echoed.
  const sort = resource instanceof ClinicResource ? resource.appliedSort(asked) : asked;
  // Not Filter.populate(): it reads each filtered-by referenced record (one
  // more round trip before the page), and nothing here shows it.
  const filter = new Filter(query.filters ?? {}, resource);
  const [records, total] = await Promise.all([
    resource.find(filter, { limit: perPage, offset: (page - 1) * perPage, sort }, context)
      .then(async (found) => {
        await Promise.all([populateListReferences(found, context), listed(found, filter, context)]);
        return found;
      }),
    resource.count(filter, context),
  ]);
  context.records = records;
  return {
    meta: { total, perPage, page, direction: sort.direction, sortBy: sort.sortBy },
    records: records.map((r) => r.toJSON(currentAdmin)),
  } as ListActionResponse;
}

/** A positive whole number from a query value ("2.5" → 2, "1e20" → the largest safe integer), or undefined for anything else. */
function wholeNumber(value: unknown): number | undefined {
  const n = Math.trunc(Number(value));
  return n >= 1 ? Math.min(n, Number.MAX_SAFE_INTEGER) : undefined;
}

/** One IN query per shown reference, all at once; filled in list order, so the response is the same whichever answers first. */
async function populateListReferences(records: BaseRecord[], context: ActionContext): Promise<void> {
  if (!records.length) return;
  const references = context.resource.decorate().getListProperties().filter((p) => p.reference());
  const found = await Promise.all(references.map(async (property) => {
    const target = property.reference();
    const path = property.propertyPath;
    const ids = [...new Set(records.map((r) => r.get(path)).filter((v) => v !== null && v !== undefined && v !== ''))] as Array<string | number>;
    if (!target || !ids.length) return undefined;
    const byId = new Map((await target.findMany(ids, context)).map((r) => [String(r.id()), r]));
    return { path, byId };
  }));
  for (const reference of found) {
    if (!reference) continue;
    for (const record of records) {
      const value = record.get(reference.path);
      if (value !== null && value !== undefined) record.populate(reference.path, reference.byId.get(String(value)) ?? null);
    }
    // A doctor or diagnostic shown on several rows is one record: shape it
    // for the response once (its actions, title, params), not once per row.
    for (const target of reference.byId.values()) {
      const json = target.toJSON(context.currentAdmin);
      target.toJSON = () => json;
    }
  }
}

/** A read the resource audits (medical records) is recorded before the rows are sent. */
async function listed(records: BaseRecord[], filter: Filter, context: ActionContext): Promise<void> {
  if (context.resource instanceof ClinicResource) await context.resource.listed(records, filter, context);
}

const MAX_SEARCH_RESULTS = 50;

/**
 * AdminJS's search (the reference pickers' autocomplete) with the page size
 * capped: the stock handler passes any `perPage` a caller sends to the database.
 */
export async function clinicSearchHandler(request: ActionRequest, _response: unknown, context: ActionContext): Promise<{ records: unknown[] }> {
  const { resource, currentAdmin } = context;
  const decorated = resource.decorate();
  const query = flat.unflatten(request.query ?? {}) as { searchProperty?: string; filters?: Record<string, unknown>; perPage?: string; page?: string };
  const titleProperty = typeof query.searchProperty === 'string' ? query.searchProperty : decorated.titleProperty().name();
  const perPage = Math.min(MAX_SEARCH_RESULTS, wholeNumber(query.perPage) ?? MAX_SEARCH_RESULTS);
  const page = wholeNumber(query.page) ?? 1;
  const text = request.params?.query;
  const filters = { ...(query.filters ?? {}), ...(text ? { [titleProperty]: text } : {}) };
  const filter = new Filter(filters, resource);
  const records = await resource.find(filter, {
    limit: perPage, offset: (page - 1) * perPage,
    sort: { sortBy: decorated.options.sort?.sortBy, direction: decorated.options.sort?.direction ?? 'asc' },
  }, context);
  await listed(records, filter, context);
  return { records: records.map((r) => r.toJSON(currentAdmin)) };
}
