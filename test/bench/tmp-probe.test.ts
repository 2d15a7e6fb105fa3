import { ClientRequestInterceptor } from '@mswjs/interceptors/ClientRequest';
test('x', async () => {
	const i = new ClientRequestInterceptor();
	i.apply();
	i.on('request', async ({ request, controller }) => {
		const b = Buffer.from(await request.arrayBuffer());
		controller.respondWith(new Response(b, { status: 201, headers: { 'x-len': String(b.length) } }));
	});
	const axios = require('axios');
	const r = await axios.post('https://gmail.googleapis.com/x', Buffer.from([0, 255, 1]), { responseType: 'arraybuffer' });
	console.log(r.status, r.headers['x-len'], Buffer.from(r.data));
	i.dispose();
});
