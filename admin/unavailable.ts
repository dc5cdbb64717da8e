import type { Actor } from '../server/access/actor.js';

// TEMPORARY until the identity and notification services land.
const missing = (name: string) => async (..._args: unknown[]): Promise<never> => {
  throw new Error(`${name} is not available yet`);
};
export const Unavailable = {
  blockUser: missing('blockUser') as (actor: Actor, id: number, input: { reason: string }) => Promise<unknown>,
  unblockUser: missing('unblockUser') as (actor: Actor, id: number, input: { reason?: string }) => Promise<unknown>,
  resendActivation: missing('resendActivation') as (actor: Actor, id: number) => Promise<unknown>,
  deleteUser: missing('deleteUser') as (actor: Actor, id: number) => Promise<unknown>,
  updateProfile: missing('updateProfile') as (actor: Actor, id: number, patch: Record<string, string>) => Promise<unknown>,
  inviteStaff: missing('inviteStaff') as (actor: Actor, input: Record<string, unknown>) => Promise<{ id: number }>,
  changeRole: missing('changeRole') as (actor: Actor, id: number, role: string) => Promise<unknown>,
  grantAdmin: missing('grantAdmin') as (actor: Actor, id: number) => Promise<unknown>,
  revokeAdmin: missing('revokeAdmin') as (actor: Actor, id: number, role: string) => Promise<unknown>,
  setDoctorAccepting: missing('setDoctorAccepting') as (actor: Actor, id: number, accepting: boolean) => Promise<unknown>,
};
