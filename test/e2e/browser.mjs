// The editor in headless Chromium (Debian's /usr/bin/chromium + the project's playwright-core), against the suite's
// running n8n: sign in; node panel -> search "Gmail Workspace" -> the node and every action (card) its description
// declares; add it (parameter panel); the shared credential's form; open an imported workflow that uses the
// credential, execute it, see the output; the AI Agent example (state.aiWorkflow) on a fitted canvas. Screenshots into
// --shots (docs/screenshots/).
// usage: node browser.mjs --n8n-url URL --email E --password P --state main-state.json --shots DIR --results OUT.json
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { NODE_TYPE } from './lib/setup.mjs';
import { TRIGGER_TYPE as TRIGGER_NODE_TYPE } from './trigger.mjs';
import { testRunner } from './lib/runner.mjs';

const { values: args } = parseArgs({
	options: {
		'n8n-url': { type: 'string' },
		email: { type: 'string' },
		password: { type: 'string' },
		state: { type: 'string' },
		shots: { type: 'string' },
		results: { type: 'string' },
		// screenshots of failed steps (not for docs/)
		'fail-dir': { type: 'string' },
	},
});
const base = args['n8n-url'].replace(/\/$/, '');
const state = JSON.parse(readFileSync(args.state, 'utf8'));
const results = { passed: 0, failed: 0, tests: [], screenshots: [] };
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
	console.log(`  FAIL no Chromium at ${CHROMIUM} (Debian: apt-get update && apt-get install -y chromium; or E2E_BROWSER=0)`);
	results.failed++;
	finish();
}

const browser = await chromium.launch({
	executablePath: CHROMIUM,
	headless: true,
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));

async function shot(name) {
	const path = join(args.shots, name);
	await page.screenshot({ path });
	results.screenshots.push(path);
}

const test = testRunner(results, async () => {
	const failShot = join(args['fail-dir'] ?? args.shots, `browser-failed-${results.failed}.png`);
	await page.screenshot({ path: failShot }).catch(() => {});
	console.log(`       screenshot of the failure: ${failShot}`);
});

/** Close toasts / onboarding popovers that may cover the canvas. */
async function calm() {
	await page.keyboard.press('Escape').catch(() => {});
	await page.waitForTimeout(300);
}

let expectedActions = [];
let expectedTriggers = []; // the trigger node's events (its `event` options): n8n lists them as "On <event>"

await test('sign in', async () => {
	await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[type="email"]').first().fill(args.email);
	await page.locator('input[type="password"]').first().fill(args.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
	// the actions the node's description declares (they grow with the cards): operation options' `action` labels
	const desc = await page.evaluate(async (type) => {
		const all = await (await fetch('/types/nodes.json')).json();
		return all.filter((t) => t.name === type);
	}, NODE_TYPE);
	assert.ok(desc.length, `${NODE_TYPE} not loaded`);
	const latest = desc.sort((a, b) => Math.max(...[b.version].flat()) - Math.max(...[a.version].flat()))[0];
	expectedActions = [...new Set(latest.properties
		.filter((p) => p.name === 'operation' && Array.isArray(p.options))
		// the node creator hides the generic "Custom API Call" entry n8n adds for OAuth2 nodes
		.flatMap((p) => p.options.filter((o) => o.value !== '__CUSTOM_API_CALL__').map((o) => o.action ?? o.name)))];
	console.log(`       actions declared by the node: ${expectedActions.join(', ') || '(none)'}`);
	const triggerType = await page.evaluate(async (type) => {
		const all = await (await fetch('/types/nodes.json')).json();
		return all.find((t) => t.name === type);
	}, TRIGGER_NODE_TYPE);
	expectedTriggers = triggerType?.properties.find((p) => p.name === 'event')?.options?.map((o) => o.name) ?? [];
	console.log(`       trigger events declared: ${expectedTriggers.join(', ') || '(none)'}`);
});

await test('node panel: search "Gmail Workspace" shows the node, the trigger\'s events and every action', async () => {
	await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, [data-test-id="search-bar"] input').first().fill('Gmail Workspace');
	const item = page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Gmail Workspace$/ }).first();
	await item.waitFor();
	await page.waitForTimeout(500);
	await shot('node-panel-search.png');
	await item.click();
	// with a trigger in the package n8n lists its events first ("Triggers (n)") and folds "Actions (n)" away
	const actionsHeader = page.locator('[data-test-id="node-creator"]').getByText(/^Actions \(\d+\)$/).first();
	if (await actionsHeader.count()) {
		await page.locator('[data-test-id="node-creator"]').getByText(/^Triggers \(\d+\)$/).first().waitFor();
		await page.waitForTimeout(400);
		const listed = (await page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"], [data-test-id="node-creator"] [data-test-id="item-iterator-item"]').allInnerTexts()).map((t) => t.trim().toLowerCase());
		for (const e of expectedTriggers) assert.ok(listed.some((l) => l.includes(e.toLowerCase())), `trigger event "${e}" not listed (panel: ${listed.join(' | ')})`);
		await shot('node-panel-triggers.png');
		if (expectedActions.length && !(await page.locator('[data-test-id="node-creator"]').getByText(expectedActions[0], { exact: true }).first().isVisible())) {
			await actionsHeader.click();
		}
	}
	if (expectedActions.length) {
		const actions = page.locator('[data-test-id="actions-panel"] [data-test-id="node-creator-item-name"], [data-test-id="node-creator"] [data-test-id="item-iterator-item"]');
		await page.locator('[data-test-id="node-creator"]').getByText(expectedActions[0], { exact: true }).first().waitFor();
		// the panel renders a long list a screenful at a time: scroll down through it, collecting what it shows
		const shown = new Set();
		for (let round = 0; round < 30; round++) {
			const before = shown.size;
			for (const t of await actions.allInnerTexts()) shown.add(t.trim());
			if (expectedActions.every((a) => [...shown].some((s) => s.includes(a))) || (round > 0 && shown.size === before)) break;
			await actions.last().scrollIntoViewIfNeeded();
			await page.waitForTimeout(300);
		}
		for (const a of expectedActions) assert.ok([...shown].some((s) => s.includes(a)), `action "${a}" not listed (panel: ${[...shown].join(' | ')})`);
		await actions.first().scrollIntoViewIfNeeded();
		await page.waitForTimeout(400);
		await shot('node-panel-actions.png');
	}
});

await test("the node's parameter panel opens with the shared credential", async () => {
	if (expectedActions.length) {
		await page.locator('[data-test-id="node-creator"]').getByText(expectedActions[0], { exact: true }).first().click();
	}
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor();
	// one credential of the type exists -> n8n preselects it (the name is the value of the credential select's input)
	await page.waitForFunction(
		(name) => [...document.querySelectorAll('[data-test-id="ndv"] input')].some((i) => i.value === name),
		state.credential.name,
		{ timeout: 10_000 },
	);
	await page.waitForTimeout(800);
	await shot('node-parameters.png');
	await calm();
});

await test('credential form shows the connected Gmail Workspace credential', async () => {
	await page.goto(`${base}/home/credentials/${state.credential.id}`, { waitUntil: 'domcontentloaded' });
	const modal = page.locator('[data-test-id="editCredential-modal"], .el-dialog').first();
	await modal.waitFor();
	await modal.getByText(/Gmail Workspace OAuth2 API/).first().waitFor();
	// n8n shows the account from the id_token the stand-in issued at the code exchange
	await modal.getByText(`Connected as ${state.user ?? 'alice@example.com'}`).first().waitFor({ timeout: 10_000 });
	await page.waitForTimeout(800);
	await shot('credential-form.png');
	await calm();
});

await test('an imported workflow runs in the editor through the shared credential', async () => {
	const wf = state.workflows.find((w) => /profile/i.test(w.file)) ?? state.workflows[0];
	await page.goto(`${base}/workflow/${wf.id}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.waitForTimeout(1000);
	await calm();
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	// success: the last node shows its item count / a success marker on the canvas
	const nodes = JSON.parse(readFileSync(wf.file, 'utf8')).nodes;
	const last = nodes[nodes.length - 1].name;
	const lastNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${last}"]`).first();
	await lastNode.locator('[data-test-id="canvas-node-status-success"]').first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(800);
	await shot('workflow-executed.png');
	await lastNode.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor();
	await ndv.getByText('alice@example.com').first().waitFor({ timeout: 15_000 });
	await page.waitForTimeout(800);
	await shot('node-output.png');
});

const cardWf = state.workflows.find((w) => {
	try {
		return JSON.parse(readFileSync(w.file, 'utf8')).nodes.some((n) => n.type === NODE_TYPE);
	} catch {
		return false;
	}
});
if (cardWf) {
	await test(`a card workflow runs in the editor ("${cardWf.name}")`, async () => {
		await page.goto(`${base}/workflow/${cardWf.id}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await page.waitForTimeout(1000);
		await calm();
		await page.locator('[data-test-id="execute-workflow-button"]').first().click();
		const nodes = JSON.parse(readFileSync(cardWf.file, 'utf8')).nodes;
		const last = nodes[nodes.length - 1].name;
		const lastNode = page.locator(`[data-test-id="canvas-node"][data-node-name="${last}"]`).first();
		await lastNode.locator('[data-test-id="canvas-node-status-success"]').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(800);
		await shot('card-workflow-executed.png');
		await lastNode.dblclick();
		await page.locator('[data-test-id="ndv"]').first().waitFor();
		await page.waitForTimeout(1500);
		await shot('card-node-output.png');
	});
}

// the AI triage example (ai.mjs saved it; suite.mjs's state names it): AI Agent with its model and our four tool nodes
if (state.aiWorkflow) {
	await test('the AI Agent workflow on the canvas: the agent, its chat model and the four Gmail Workspace tools', async () => {
		const wf = state.aiWorkflow;
		await page.goto(`${base}/workflow/${wf.id}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		await page.waitForTimeout(1000);
		await calm();
		const names = JSON.parse(readFileSync(wf.file, 'utf8')).nodes.map((n) => n.name);
		await page.locator('[data-test-id="zoom-to-fit"]').first().click();
		await page.waitForTimeout(1000);
		for (const name of names) {
			const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).first();
			assert.ok(await node.isVisible(), `node "${name}" visible on the canvas`);
			const box = await node.boundingBox();
			assert.ok(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 1440 && box.y + box.height <= 900, `node "${name}" inside the fitted view`);
		}
		await shot('ai-agent-canvas.png');
	});
}

await browser.close();
finish();

function finish() {
	if (pageErrors.length) console.log(`       (page errors seen: ${[...new Set(pageErrors)].slice(0, 3).join(' | ')})`);
	if (args.results) writeFileSync(args.results, JSON.stringify(results, null, 2));
	console.log(`browser: ${results.passed} passed, ${results.failed} failed; screenshots: ${results.screenshots.map((p) => p.split('/').pop()).join(', ')}`);
	process.exit(results.failed ? 1 : 0);
}
