export * from './common';
export * from './tiers';
export * from './projects';
export * from './auth';
export * from './events';
export * from './operations';
