import type { StandinModule } from '../core/standin';
import { consentRoutes } from './consent';
import { authKnobRoutes } from './knobs';
import { seedAuth } from './state';
import { tokenEndpointRoutes } from './token-endpoint';
import { userinfoRoutes } from './userinfo';

/** Google sign-in: consent page, token endpoint, tokeninfo/userinfo, certs and the auth knobs. */
export const authModule: StandinModule = {
	name: 'auth',
	seed: seedAuth,
	routes: (s) => [...tokenEndpointRoutes(s), ...consentRoutes(s), ...userinfoRoutes(s), ...authKnobRoutes(s)],
};
