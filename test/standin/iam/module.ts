import type { StandinModule } from '../core/standin';
import { crmRoutes } from './crm';
import { iamRoutes } from './iam';

/** Google Cloud IAM, IAM Credentials and Resource Manager: what keyless domain-wide delegation and its setup checks call. */
export const iamModule: StandinModule = {
	name: 'iam',
	routes: (s) => [...iamRoutes(s), ...crmRoutes(s)],
};
