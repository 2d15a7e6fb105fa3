import { sleep } from 'n8n-workflow';

import {
	formatDate,
	textToHtmlAsync,
	type Address,
	type GmailParsedMessage,
} from '../../../../mime';

/**
 * The original below a reply or a forward, in text and HTML. Every step is one pass over its input (split,
 * map, join; indexOf for the HTML body), so a 25 MB original costs time in proportion to its size.
 */

const SLICED = { yieldFn: async () => await sleep(0) };

const ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
};
export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]);

export const showAddress = (a: Address) => (a.name ? `${a.name} <${a.address}>` : a.address);
export const showAddresses = (list: Address[]) => list.map(showAddress).join(', ');
const dateOf = (m: GmailParsedMessage) => (m.date ? formatDate(m.date) : '');

/** "On <date>, <author> wrote:" */
const attribution = (m: GmailParsedMessage) =>
	`On ${dateOf(m) || 'an unknown date'}, ${m.from[0] ? showAddress(m.from[0]) : 'the sender'} wrote:`;

/** The body of an HTML document (between <body …> and </body>), else the whole text. */
export function htmlBody(html: string): string {
	const lowered = html.toLowerCase();
	const open = lowered.indexOf('<body');
	const start = open < 0 ? 0 : lowered.indexOf('>', open) + 1;
	if (open >= 0 && start === 0) return html;
	const close = lowered.indexOf('</body', start);
	return html.slice(start, close < 0 ? html.length : close);
}

/** The original's HTML, or its text as HTML. */
export async function originalHtml(m: GmailParsedMessage): Promise<string> {
	if (m.html) return htmlBody(m.html);
	return await textToHtmlAsync(m.text ?? '', SLICED);
}

/** Reply text, then the attribution and every line of the original prefixed with "> ". */
export async function quoteText(reply: string, m: GmailParsedMessage): Promise<string> {
	const original = (m.text ?? '').replace(/\r\n/g, '\n');
	await sleep(0);
	const quoted = original
		.split('\n')
		.map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
		.join('\n');
	return `${reply}\n\n${attribution(m)}\n${quoted}\n`;
}

/** Reply HTML, then the attribution and the original in a blockquote, as mail programs quote. */
export async function quoteHtml(reply: string, m: GmailParsedMessage): Promise<string> {
	const body = await originalHtml(m);
	return (
		`${reply}<br><div class="gmail_quote"><div>${escapeHtml(attribution(m))}<br></div>` +
		'<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px solid #ccc;padding-left:1ex">' +
		`${body}</blockquote></div>`
	);
}
