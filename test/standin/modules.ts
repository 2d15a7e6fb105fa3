import type { StandinModule } from './core/standin';

/**
 * Every API module the stand-in serves. Each module owns its routes and its state slice.
 * Add a module here when it lands.
 */
export const standinModules: StandinModule[] = [];
