// mailparser and nodemailer ship no types; they are only reference implementations for the tests here.
export const { simpleParser } = require('mailparser') as {
	simpleParser: (input: Buffer | string, options?: Record<string, unknown>) => Promise<any>;
};
export const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: Record<string, unknown>) => {
	compile(): { build(cb: (err: Error | null, message: Buffer) => void): void };
};
