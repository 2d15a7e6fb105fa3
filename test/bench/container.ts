import './env';

import { Container } from '@n8n/di';
import { Cipher, EncryptionKeyProxy, InstanceSettings, type IEncryptionKeyProvider, type KeyInfo } from 'n8n-core';

/**
 * DI wiring n8n's CLI does at startup and n8n-core expects: the encryption key provider behind
 * `Credentials` (the CLI backs it with its database; here one in-memory key, n8n's legacy
 * "instance key" descriptor). Everything else n8n-core takes from the container (InstanceSettings,
 * Logger, ErrorReporter, OutboundHttp, LockService, ExecutionContextService, BinaryDataConfig) builds
 * itself from env (env.ts); BinaryDataService is set per run (run.ts).
 */
let wired = false;

export function wireContainer(): void {
	if (wired) return;
	const cipher = Container.get(Cipher);
	const instanceKey = Container.get(InstanceSettings).encryptionKey;
	const key: KeyInfo = {
		id: 'bench',
		value: cipher.encryptDEKWithInstanceKey(instanceKey),
		algorithm: 'aes-256-cbc',
		format: 'no-prefix',
	};
	const provider: IEncryptionKeyProvider = {
		getActiveKey: async () => key,
		getKeyById: async (id) => (id === key.id ? key : null),
		getLegacyKey: async () => key,
	};
	Container.get(EncryptionKeyProxy).setProvider(provider);
	wired = true;
}
