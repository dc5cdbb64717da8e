import { Router } from 'express';

// STUB — replaced by the portal API work (issue 3).
export function apiRouter(): Router {
  return Router();
}
