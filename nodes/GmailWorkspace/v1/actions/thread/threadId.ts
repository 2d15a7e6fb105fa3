import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { gmailIdLocator, gmailIdParam } from '../message/messageId';

/** The Thread field: a Gmail thread ID, or a link to the conversation in Gmail's web app. */
export const threadLocator = (operations: string[]): INodeProperties =>
	gmailIdLocator('thread', 'thread', operations);

/** The thread ID of item `i` (an ID, or a Gmail link whose last part is the conversation's ID). */
export const threadIdParam = (ctx: IExecuteFunctions, i: number): string =>
	gmailIdParam(ctx, i, 'thread', 'threadId', 'Thread');
