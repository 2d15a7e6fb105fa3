/**
 * A file name safe to hand to n8n's binary data and to whoever saves it later: no path separators,
 * no control characters, no leading dots, bounded length; a fallback when nothing is left.
 */
export function sanitizeFilename(name: string | undefined, fallback: string): string {
	let s = (name ?? '')
		.normalize('NFC')
		.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
		.replace(/[/\\]/g, '_')
		.replace(/^[\s.]+/, '')
		.trim();
	if (s.length > 200) {
		const dot = s.lastIndexOf('.');
		const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
		s = s.slice(0, 200 - ext.length) + ext;
	}
	return s || fallback;
}
