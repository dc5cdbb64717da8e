import { Router } from 'express';

// STUB — replaced by the live-updates work (issue 5).
export function liveRouter(): Router {
  return Router();
}
