import type { INodeProperties } from 'n8n-workflow';

/**
 * The node's parameters: the Resource choice, then each resource's Operation choice (one option per
 * card, with its `action` label for n8n's node panel) and each operation's own parameters.
 * Cards are added here as they land.
 */
export const versionProperties: INodeProperties[] = [];
