import type { StandinModule } from '../core/standin';
import { batchRoute } from './batch';
import { GMAIL_SLICE } from './common';
import { draftRoutes } from './drafts';
import { historyRoutes } from './history';
import { mailKnobRoutes } from './knobs';
import { labelRoutes } from './labels';
import { messageRoutes } from './messages';
import { seedGmail } from './seed';
import { threadRoutes } from './threads';
import { sessionRoute } from './upload';
import { onHistory, watchRoutes } from './watch';

/**
 * Gmail API v1, mail part: profile, messages (+ attachments, uploads), threads, labels, drafts, history, batch; plus
 * the mail knobs (/__standin/deliver, /filters, /history/…, /schedule: gmail/knobs.ts).
 * The upload-session PUT route comes first so `PUT /upload/…/drafts/send?upload_id=…` is not taken for
 * drafts.update's `/drafts/{id}`.
 */
export const gmailModule: StandinModule = {
	name: GMAIL_SLICE,
	seed(s) {
		const g = seedGmail(s);
		g.onHistory = (mb, e) => onHistory(s, mb, e);
		s.slices.set(GMAIL_SLICE, g);
	},
	routes: () => [sessionRoute(), batchRoute(), ...messageRoutes(), ...threadRoutes(), ...labelRoutes(), ...draftRoutes(), ...historyRoutes(), ...watchRoutes(), ...mailKnobRoutes()],
};
