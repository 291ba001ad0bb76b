export * from './app-config.js';
export * from './dev-keys.js';
