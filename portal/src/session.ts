import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ClinicConfig } from './format.js';

/** The logged-in patient as GET /api/me answers it. */
export interface Me {
  id: number;
  email: string;
  role: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  dateOfBirth: string | null;
  gender: string | null;
  heightCm: number | null;
  weightKg: number | null;
  addressStreet: string | null;
  addressHouse: string | null;
  addressCity: string | null;
  addressRegion: string | null;
  addressCountry: string | null;
}

export interface SessionState {
  me: Me | null;
  config: ClinicConfig;
  setMe: (me: Me | null) => void;
}

export const Session = createContext<SessionState>(null as unknown as SessionState);
export const useSession = () => useContext(Session);
