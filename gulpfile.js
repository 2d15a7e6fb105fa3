// Copies node and credential icons next to the compiled files, where n8n's loader looks for them.
const { src, dest } = require('gulp');

function copyIcons() {
	// nodes/*/v*/ hold links to the node's icons for the linter; n8n reads the ones beside the main node file
	// and the codex files (<Node>.node.json: categories and documentation links for the node panel)
	const icons = ['nodes/**/*.{png,svg}', 'nodes/*/*.node.json', 'credentials/**/*.{png,svg}', '!nodes/*/v*/*.{png,svg}'];
	return src(icons, { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
