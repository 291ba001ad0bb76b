export * from './connection-options.js';
export * from './embedded-postgres.js';
export * from './errors.js';
