import { readFileSync, readdirSync } from 'node:fs';
import { parseMessage, MimeEntity } from '/work/main/test/standin/gmail/mime';
const { simpleParser } = require('mailparser');
const dir = '/work/shared/corpus/eml';
const show = (e: MimeEntity, ind = ''): string => `${ind}${e.mimeType} fn=${JSON.stringify(e.filename)} d=${e.disposition} cte=${e.cte} size=${e.body.length}\n` + e.parts.map(p => show(p, ind + '  ')).join('');
(async () => {
for (const f of readdirSync(dir).filter(f => f.endsWith('.eml')).filter(f => !process.argv[2] || f.startsWith(process.argv[2]))) {
  const raw = readFileSync(`${dir}/${f}`);
  const e = parseMessage(raw);
  const mp = await simpleParser(raw);
  console.log('==', f, JSON.stringify(e.headers.find(h=>h.name.toLowerCase()==='subject')?.value), '| mp:', JSON.stringify(mp.subject));
  console.log(show(e));
  console.log('  mp atts:', mp.attachments.map((a: any) => `${a.contentType} ${JSON.stringify(a.filename)} ${a.size} ${a.contentDisposition}`).join(' ; '));
}
})();
