import type { StandinModule } from './core/standin';
import { authModule } from './auth/module';
import { iamModule } from './iam/module';
import { gmailSettingsModule } from './gmail/settings';
import { gmailModule } from './gmail';
import { pubsubModule } from './pubsub/module';

/**
 * Every API module the stand-in serves. Each module owns its routes and its state slice.
 * Add a module here when it lands.
 */
export const standinModules: StandinModule[] = [
	authModule, iamModule, gmailSettingsModule, gmailModule, pubsubModule,
];
