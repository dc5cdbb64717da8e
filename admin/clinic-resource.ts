import { BaseRecord, Filter, type ActionContext, type BaseProperty } from 'adminjs';
import { Resource as TypeOrmResource } from '@adminjs/typeorm';
import { Brackets, In, type BaseEntity, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../server/access/actor.js';
import { isMariaDb } from '../server/db/data-source.js';
import { clinicTimeToUtc, isValidDate } from '../server/shared/clinic-time.js';
import { Forbidden } from '../server/shared/errors.js';
import { wholeId } from '../server/shared/input.js';
import { actorOf } from './current-admin.js';

/** Lists count exactly up to here and show "10,000+" beyond: an exact COUNT(*) over a million rows costs ~70 ms. */
export const COUNT_CAP = 10_001;

type EntityClass = typeof BaseEntity & (new () => BaseEntity);
type Where = (qb: SelectQueryBuilder<ObjectLiteral>, actor: Actor | null) => void;

export interface ClinicResourceOptions {
  /** The resource id AdminJS shows in URLs ("Patients", "Staff", …). */
  id: string;
  /** Rows this resource shows at all (e.g. role = 'patient'), possibly by who is looking. */
  scope?: Where;
  /** Columns a list may be sorted by; each has an index. Anything else falls back to the default. */
  sortable: string[];
  defaultSort: { sortBy: string; direction: 'asc' | 'desc' };
  /** Which fields of a row the looking actor may see; the rest never leave the server. */
  project: (actor: Actor | null, row: Record<string, unknown>) => Record<string, unknown>;
  /**
   * Who may read this resource at all. Everyone else finds no rows, so a
   * record they may not see answers 404 whether it exists or not (SPEC §4:
   * ids cannot be probed), and it is never embedded in another record.
   */
  readable: (actor: Actor | null) => boolean;
  /** Columns a search on the virtual "name" title matches, word by word, by prefix. */
  nameColumns?: string[];
  /**
   * Text columns a filter matches whole (after the given normalisation)
   * instead of by prefix. On the big logs a short prefix of an address
   * matches a tenth of the table, which no index can page through in the
   * list's order: "a" on a million mails reads 100,000 entries for page 500.
   */
  wholeValue?: Record<string, (typed: string) => string>;
  /**
   * Called with the rows a list or search is about to send, before they
   * leave the server (SPEC §4: staff reads of medical records are audited).
   * `patientId` is the patient the list was filtered to, if any.
   */
  onListRead?: (actor: Actor, rows: Record<string, unknown>[], patientId: number | undefined) => Promise<void>;
}

type SoleValues = ReadonlyMap<string, string>;
interface FilterFacts { sole: SoleValues; fewRows: boolean }
const NONE: SoleValues = new Map();
const NO_FACTS: FilterFacts = { sole: NONE, fewRows: false };
const factsByFilter = new WeakMap<Filter, Promise<FilterFacts>>();
/** Up to this many matching rows, a filtered page is read by the filter's index and sorted (a few ms). */
const FEW_ROWS = 5_000;
const COLUMN_NAME = /^[A-Za-z]+$/;
/** The patient a list is filtered to, read by the same rule as any record id. */
const LIST_PATIENT_ID = wholeId('Not a patient id.');

/** How long a table's row estimate is reused. */
const ESTIMATE_TTL_MS = 5_000;
const estimates = new WeakMap<object, Map<string, { rows: number; until: number }>>();

/** Most rows one find() returns: the CSV export's batch. Search and list ask for far fewer. */
const MAX_FIND = 1_000;

/**
 * The TypeORM adapter with three changes that keep big lists fast and data
 * scoped:
 * - a count capped at COUNT_CAP instead of an exact COUNT(*) on every page;
 * - deep pages fetch the page's ids first (an index-only walk), then the rows;
 * - every row is projected for the actor before AdminJS sees it, so fields a
 *   role may not see are absent from list, show and embedded (populated) records.
 * It never writes: every change goes through a service from a custom action.
 */
export class ClinicResource extends TypeOrmResource {
  constructor(private readonly entity: EntityClass, private readonly opts: ClinicResourceOptions) {
    super(entity);
    // Only indexed sorts are offered: other column headers are not clickable.
    for (const property of this.properties()) {
      if (!opts.sortable.includes(property.path())) property.isSortable = () => false;
    }
  }

  id(): string {
    return this.opts.id;
  }

  name(): string {
    return this.opts.id;
  }

  private table(): string {
    return this.entity.getRepository().metadata.tableName;
  }

  private query(filter: Filter | undefined, actor: Actor | null, sole: SoleValues = NONE): SelectQueryBuilder<ObjectLiteral> {
    const qb = this.entity.getRepository().createQueryBuilder('t') as SelectQueryBuilder<ObjectLiteral>;
    if (!this.opts.readable(actor)) qb.andWhere('1 = 0');
    this.opts.scope?.(qb, actor);
    if (filter) applyFilters(qb, filter, { allowed: this.filterableBy(actor), nameColumns: this.opts.nameColumns ?? [], wholeValue: this.opts.wholeValue ?? {}, sole });
    return qb;
  }

  /**
   * What the list's text filters match, read once per Filter (the list's
   * count and page share it):
   * - for each text filter, the one value its prefix matches, if it matches
   *   only one ("O'Brien", a whole e-mail address): the filter then also says
   *   `column = value`, which selects the same rows but lets an index on
   *   (column, sort key) return them in order instead of sorting every match;
   * - whether the prefixes leave at most FEW_ROWS rows. Then the page is
   *   read through the filter's own index and sorted; MariaDB would
   *   otherwise walk the sort key's index hoping to meet the matches soon,
   *   which for page 100 of "O'" reads every patient (80 ms instead of 12).
   */
  private filterFacts(filter: Filter | undefined, actor: Actor | null): Promise<FilterFacts> {
    if (!filter) return Promise.resolve(NO_FACTS);
    let found = factsByFilter.get(filter);
    if (!found) {
      found = this.readFilterFacts(filter, actor);
      factsByFilter.set(filter, found);
    }
    return found;
  }

  private async readFilterFacts(filter: Filter, actor: Actor | null): Promise<FilterFacts> {
    const allowed = this.filterableBy(actor);
    const sole = new Map<string, string>();
    let prefixes = 0;
    for (const element of Object.values(filter.filters)) {
      const column = textFilterColumn(element, allowed);
      if (!column || this.opts.wholeValue?.[column]) continue;
      // The first and the last value of the prefix's index range: two index
      // dives (MariaDB's MIN/MAX would scan a LIKE range to the end).
      const prefix = `${escapeLike(element.value as string)}%`;
      const edge = (direction: 'ASC' | 'DESC') => this.query(undefined, actor)
        .select(`t.${column}`, 'v')
        .andWhere(`t.${column} LIKE :prefix ESCAPE '!'`, { prefix })
        .orderBy(`t.${column}`, direction)
        .limit(1);
      const [row] = await this.rawQuery<{ lo: string | null; hi: string | null }>('SELECT (?) AS lo, (?) AS hi', edge('ASC'), edge('DESC'));
      if (typeof row?.lo === 'string' && row.lo === row.hi) sole.set(column, row.lo);
      else prefixes += 1;
    }
    if (!prefixes || !isMariaDb()) return { sole, fewRows: false };
    // At most FEW_ROWS + 1 index entries: no ORDER BY, so the filter's own index answers.
    const probe = this.query(filter, actor, sole).select('1').limit(FEW_ROWS + 1);
    const [row] = await this.rawQuery<{ n: number | string }>('SELECT COUNT(*) AS n FROM (?) AS probe', probe);
    return { sole, fewRows: Number(row?.n) <= FEW_ROWS };
  }

  /** Runs `sql` with each `?` replaced by one of the builders' queries (in order), their parameters bound. */
  private async rawQuery<T>(sql: string, ...parts: SelectQueryBuilder<ObjectLiteral>[]): Promise<T[]> {
    let i = 0;
    const text = sql.replace(/\?/g, () => parts[i++].getQuery());
    const ds = this.entity.getRepository().manager.connection;
    const [query, params] = ds.driver.escapeQueryWithParameters(text, Object.assign({}, ...parts.map((p) => p.getParameters())), {});
    return ds.query(query, params);
  }

  /**
   * `FROM table t` with a hint that no index may serve the ORDER BY on
   * `sortBy`: the optimizer then reads the filter's range and sorts it.
   */
  private withoutOrderIndex(sql: string, sortBy: string): string {
    const metadata = this.entity.getRepository().metadata;
    const names = metadata.indices.filter((index) => index.columns.some((c) => c.propertyName === sortBy)).map((index) => index.name);
    if (!names.length) return sql;
    const from = `FROM \`${metadata.tableName}\` \`t\``;
    return sql.replace(from, `${from} IGNORE INDEX FOR ORDER BY (${names.map((n) => `\`${n}\``).join(', ')})`);
  }

  /**
   * The columns this actor may filter (and search) by: those the projection
   * shows them. A filter on anything else would be an oracle: prefix matches
   * on a password hash or a journal description reveal them letter by letter.
   */
  private filterableBy(actor: Actor | null): Set<string> {
    const sample: Record<string, unknown> = {};
    for (const property of this.properties()) sample[property.path()] = 'x';
    if (this.opts.nameColumns?.length) sample.name = 'x';
    return new Set(Object.keys(this.opts.project(actor, sample)));
  }

  async count(filter: Filter, context?: ActionContext): Promise<number> {
    // An unfiltered, unscoped list of a big table shows the optimizer's
    // estimate (no walk over 10,001 index entries).
    const actor = actorOf(context);
    if (this.opts.readable(actor) && !this.opts.scope && !Object.keys(filter?.filters ?? {}).length && isMariaDb()) {
      const estimate = await this.rowEstimate();
      if (estimate > COUNT_CAP) return estimate;
    }
    // Capped: is there a 10,001st row? Only when there is not are the
    // (fewer) rows counted. COALESCE stops at the first answer, so a big list
    // walks its index once, without materialising 10,001 rows to count them.
    const { sole } = await this.filterFacts(filter, actor);
    const beyond = this.query(filter, actor, sole).select(String(COUNT_CAP)).limit(1).offset(COUNT_CAP - 1);
    const exact = this.query(filter, actor, sole).select('COUNT(*)');
    const rows = await this.rawQuery<{ n: number | string }>('SELECT COALESCE((?), (?)) AS n', beyond, exact);
    return Number(rows[0]?.n ?? 0);
  }

  /** InnoDB's row estimate for the table, read at most every few seconds (it is an estimate either way). */
  private async rowEstimate(): Promise<number> {
    const ds = this.entity.getRepository().manager.connection;
    if (!estimates.has(ds)) estimates.set(ds, new Map());
    const cache = estimates.get(ds)!;
    const cached = cache.get(this.table());
    if (cached && cached.until > Date.now()) return cached.rows;
    const rows: { n: number | string | null }[] = await this.entity.getRepository().query(
      'SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [this.table()],
    );
    const estimate = Number(rows[0]?.n ?? 0);
    cache.set(this.table(), { rows: estimate, until: Date.now() + ESTIMATE_TTL_MS });
    return estimate;
  }

  async find(
    filter: Filter,
    params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: ActionContext,
  ): Promise<BaseRecord[]> {
    const limit = Math.min(MAX_FIND, Math.max(1, Math.trunc(Number(params.limit)) || 10));
    // A page past 2^53 rows is past the end; beyond that the database refuses the number (a 500).
    const offset = Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(Number(params.offset)) || 0));
    const applied = this.appliedSort(params.sort);
    const sortBy = applied.sortBy;
    const direction = applied.direction.toUpperCase() as 'ASC' | 'DESC';
    const actor = actorOf(context);
    // One statement, ids first: the derived table walks the sort index (which
    // holds the sort key and the id, so no row is read while skipping
    // `offset` entries), then only this page's rows are joined back by
    // primary key. One round trip instead of two.
    const { sole, fewRows } = await this.filterFacts(filter, actor);
    const page = this.query(filter, actor, sole)
      .select('t.id', 'id')
      .orderBy(`t.${sortBy}`, direction)
      .addOrderBy('t.id', direction)
      .limit(limit)
      .offset(offset);
    const pageSql = fewRows ? this.withoutOrderIndex(page.getQuery(), sortBy) : page.getQuery();
    const rows = await this.query(undefined, actor)
      .innerJoin(`(${pageSql})`, 'page', 'page.id = t.id')
      .setParameters(page.getParameters())
      .orderBy(`t.${sortBy}`, direction)
      .addOrderBy('t.id', direction)
      .getMany();
    return rows.map((r) => new BaseRecord(this.opts.project(actor, { ...r }), this));
  }

  /** The sort a list gets when asked for `sort`: an offered (indexed) column, else the default, and a valid direction. */
  appliedSort(sort: { sortBy?: string; direction?: string } = {}): { sortBy: string; direction: 'asc' | 'desc' } {
    const sortBy = sort.sortBy && this.opts.sortable.includes(sort.sortBy) ? sort.sortBy : this.opts.defaultSort.sortBy;
    const offered = sort.sortBy === sortBy && (sort.direction === 'asc' || sort.direction === 'desc');
    return { sortBy, direction: offered ? sort.direction as 'asc' | 'desc' : this.opts.defaultSort.direction };
  }

  /** Records that a list or search showed these rows (see `onListRead`); the list runs it beside populating references. */
  async listed(records: BaseRecord[], filter: Filter, context?: ActionContext): Promise<void> {
    const actor = actorOf(context);
    if (!actor || !this.opts.onListRead) return;
    const filtered = LIST_PATIENT_ID.safeParse(filter.filters.patientId?.value);
    await this.opts.onListRead(actor, records.map((r) => r.params), filtered.success ? filtered.data : undefined);
  }

  async findOne(id: string | number, context?: ActionContext): Promise<BaseRecord | null> {
    const [record] = await this.recordsByIds([Number(id)], actorOf(context));
    return record ?? null;
  }

  async findMany(ids: Array<string | number>, context?: ActionContext): Promise<BaseRecord[]> {
    return this.recordsByIds(ids.map(Number), actorOf(context));
  }

  /** Rows by id, in the given order, within this resource's scope, projected for the actor. */
  private async recordsByIds(ids: number[], actor: Actor | null): Promise<BaseRecord[]> {
    const wanted = ids.filter((id) => Number.isInteger(id));
    if (!wanted.length) return [];
    const rows = await this.query(undefined, actor).andWhere({ id: In(wanted) }).getMany();
    const byId = new Map(rows.map((r) => [Number((r as { id: number }).id), r]));
    return wanted
      .map((id) => byId.get(id))
      .filter((r): r is ObjectLiteral => !!r)
      .map((r) => new BaseRecord(this.opts.project(actor, { ...r }), this));
  }

  // The panel never writes through the adapter: custom actions call services.
  async create(): Promise<never> {
    throw new Forbidden('Use the action for this.');
  }

  async update(): Promise<never> {
    throw new Forbidden('Use the action for this.');
  }

  async delete(): Promise<never> {
    throw new Forbidden('Use the action for this.');
  }

  /** For the benchmark: the table behind this resource. */
  tableName(): string {
    return this.table();
  }
}

interface FilterRules {
  allowed: Set<string>;
  nameColumns: string[];
  wholeValue: Record<string, (typed: string) => string>;
  sole: SoleValues;
}

/**
 * AdminJS filters → WHERE. Text filters match a prefix (so the index on the
 * column can serve them), or the whole value where the resource says so;
 * references, numbers and enums match exactly; dates take a from/to range.
 */
function applyFilters(qb: SelectQueryBuilder<ObjectLiteral>, filter: Filter, { allowed, nameColumns, wholeValue, sole }: FilterRules): void {
  let n = 0;
  for (const element of Object.values(filter.filters)) {
    const value = element.value as unknown;
    if (element.path === 'name' && nameColumns.length && allowed.has('name')) {
      matchName(qb, typeof value === 'string' ? value : '', nameColumns, `f${n++}`);
      continue;
    }
    const property = element.property as BaseProperty | undefined;
    if (!property) continue;
    const column = property.path();
    if (!COLUMN_NAME.test(column) || !allowed.has(column)) continue;
    const p = `f${n++}`;
    const type = property.type();
    if (value && typeof value === 'object' && ('from' in value || 'to' in value)) {
      const range = value as { from?: string; to?: string };
      const from = parseFilterDate(range.from, type, false);
      const to = parseFilterDate(range.to, type, true);
      if (from) qb.andWhere(`t.${column} >= :${p}from`, { [`${p}from`]: from });
      if (to) qb.andWhere(`t.${column} <= :${p}to`, { [`${p}to`]: to });
      continue;
    }
    if (typeof value !== 'string' || value === '') continue;
    if (type === 'reference' || type === 'number') {
      const num = Number(value);
      if (Number.isFinite(num)) qb.andWhere(`t.${column} = :${p}`, { [p]: num });
      else qb.andWhere('1 = 0');
    } else if (type === 'boolean') {
      qb.andWhere(`t.${column} = :${p}`, { [p]: value === 'true' });
    } else if (property.availableValues()) {
      qb.andWhere(`t.${column} = :${p}`, { [p]: value });
    } else if (type === 'date' || type === 'datetime') {
      const d = new Date(value);
      if (!Number.isNaN(d.getTime())) qb.andWhere(`t.${column} = :${p}`, { [p]: d });
    } else if (wholeValue[column]) {
      qb.andWhere(`t.${column} = :${p}`, { [p]: wholeValue[column](value) });
    } else {
      qb.andWhere(new Brackets((b) => b.where(`t.${column} LIKE :${p} ESCAPE '!'`, { [p]: `${escapeLike(value)}%` })));
      const only = sole.get(column);
      if (only !== undefined) qb.andWhere(`t.${column} = :${p}sole`, { [`${p}sole`]: only });
    }
  }
}

/** The column a filter element matches by prefix (LIKE 'value%'), or undefined for any other kind of filter. */
function textFilterColumn(element: Filter['filters'][string], allowed: Set<string>): string | undefined {
  const property = element.property as BaseProperty | undefined;
  if (!property || element.path === 'name' || typeof element.value !== 'string' || element.value === '') return undefined;
  const column = property.path();
  const type = property.type();
  if (!COLUMN_NAME.test(column) || !allowed.has(column)) return undefined;
  if (['reference', 'number', 'boolean', 'date', 'datetime'].includes(type) || property.availableValues()) return undefined;
  return column;
}

/** "ann mül" finds Anneliese Müller-Lüdenscheidt: every word starts one of the name columns. */
function matchName(qb: SelectQueryBuilder<ObjectLiteral>, text: string, columns: string[], p: string): void {
  const words = text.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  words.forEach((word, i) => {
    qb.andWhere(new Brackets((b) => {
      for (const column of columns) b.orWhere(`t.${column} LIKE :${p}w${i} ESCAPE '!'`, { [`${p}w${i}`]: `${escapeLike(word)}%` });
    }));
  });
}

function parseFilterDate(value: string | undefined, type: string, endOfDay: boolean): Date | string | undefined {
  if (!value) return undefined;
  if (type === 'date') return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
  // A bare day is the clinic's day (SPEC §2: times are shown in the clinic's zone), as the panel's
  // own day picker sends it; a "to" day means the whole of it.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isValidDate(value)) return undefined;
    return endOfDay ? new Date(clinicTimeToUtc(value, 24 * 60).getTime() - 1) : clinicTimeToUtc(value, 0);
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** '!' rather than backslash: SQLite has no default LIKE escape, and MariaDB reads '\\' differently. */
function escapeLike(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}
