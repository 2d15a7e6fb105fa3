import * as connection from './connection';
import type { OperationMap } from './node.type';

/**
 * Every resource and operation the node offers. Each card has its own folder
 * (actions/<resource>/<operation>.operation.ts) and is listed here and in versionDescription.
 */
export const operations: OperationMap = {
	connection: { check: connection.check },
};
