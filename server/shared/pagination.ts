import { z } from 'zod';

/** SPEC §7: every list is paged; the portal answers `{ items, total, page, perPage }`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

export const MAX_PER_PAGE = 100;

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  perPage: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(20),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function pageWindow({ page, perPage }: PageQuery): { skip: number; take: number } {
  return { skip: (page - 1) * perPage, take: perPage };
}

/** Sort keys come from an allow-list; anything else is a 400 from the schema. */
export function sortParam<const K extends readonly [string, ...string[]]>(keys: K, fallback: K[number] | `-${K[number]}`) {
  const values = keys.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];
  return z.enum(values).default(fallback);
}

export function parseSort(sort: string): { key: string; direction: 'ASC' | 'DESC' } {
  return sort.startsWith('-') ? { key: sort.slice(1), direction: 'DESC' } : { key: sort, direction: 'ASC' };
}
