const M: any = require('node:module'); console.log(typeof M, typeof M.Module, M === M.Module, typeof M._load, typeof M._nodeModulePaths);
const nm = new (M.Module ?? M)(__filename); nm.filename = __filename; nm.paths = M._nodeModulePaths(__dirname);
const nativeRequire = (id: string) => nm.require(id);
test('x', async () => {
	const { HttpRequestInterceptor } = nativeRequire('@mswjs/interceptors/http');
	const i = new HttpRequestInterceptor();
	i.apply();
	const seen: string[] = [];
	i.on('request', async ({ request, controller }: any) => {
		const b = Buffer.from(await request.arrayBuffer());
		seen.push(request.method + ' ' + request.url + ' ' + b.length);
		if (request.url.includes('blocked')) return controller.errorWith(new Error('bench: blocked'));
		controller.respondWith(new Response(b, { status: 201, headers: { 'x-len': String(b.length) } }));
	});
	const axios = require('axios');
	const big = require('crypto').randomBytes(1 << 20);
	const r = await axios.post('https://gmail.googleapis.com/x', big, { responseType: 'arraybuffer' });
	console.log(r.status, r.headers['x-len'], Buffer.from(r.data).equals(big));
	await expect(axios.get('http://example.org/blocked')).rejects.toThrow(/blocked/);
	try { await fetch('https://example.com/blocked'); } catch (e: any) { console.log('fetch err', e.message, e.cause?.message); }
	console.log(seen);
	i.dispose();
});
