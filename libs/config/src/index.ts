export * from './app-config.js';
export * from './dev-keys.js';
export * from './dev-certificates.js';
