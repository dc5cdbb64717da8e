export * from './schemas.js';
export * from './diagnostics.js';
