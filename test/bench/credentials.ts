import './env';

import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, UnexpectedError, UserError, isExpression } from 'n8n-workflow';

import { wireContainer } from './container';
import type { BenchCredentialTypes } from './types/registry';

/** A credential as n8n stores it: id, name, type and its (here decrypted) data. */
export interface CredentialInput {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** One write n8n made to a stored credential during a run. */
export interface CredentialWrite {
	id: string;
	type: string;
	/** 'oauthTokenData': updateCredentialsOauthTokenData (OAuth2 refresh); 'data': updateCredentials (preAuthentication). */
	kind: 'oauthTokenData' | 'data';
	/** What was written (for 'oauthTokenData' only that field is replaced). */
	data: ICredentialDataDecryptedObject;
}

interface Row {
	id: string;
	name: string;
	type: string;
	/** Ciphertext, encrypted with n8n-core's Cipher as n8n's credentials table holds it. */
	data: string;
}

/**
 * The credentials "table": by id, encrypted at rest with n8n-core's `Credentials`. One store can be
 * shared by several runs, like one n8n instance; every write is appended to `writes`.
 */
export class CredentialStore {
	private readonly rows = new Map<string, Row>();

	readonly writes: CredentialWrite[] = [];

	constructor() {
		wireContainer();
	}

	async add(input: CredentialInput): Promise<this> {
		const credentials = new Credentials({ id: input.id, name: input.name }, input.type);
		await credentials.setData(input.data);
		this.rows.set(input.id, { id: input.id, name: input.name, type: input.type, data: credentials.getDataToSave().data! });
		return this;
	}

	/** The stored data, decrypted, without defaults (what n8n's database holds). */
	async read(id: string): Promise<ICredentialDataDecryptedObject> {
		return await this.load({ id, name: '' }, this.row(id).type).getData();
	}

	/** Row for a node's credential reference; errors like n8n's CLI when it is missing. */
	load(nodeCredentials: INodeCredentialsDetails, type: string): Credentials {
		if (!nodeCredentials.id) throw new UserError(`Credential "${nodeCredentials.name}" of type "${type}" has no ID`);
		const row = this.rows.get(nodeCredentials.id);
		if (!row || row.type !== type) {
			throw new UserError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		}
		return new Credentials({ id: row.id, name: row.name }, row.type, row.data);
	}

	async save(credentials: Credentials, kind: CredentialWrite['kind'], written: ICredentialDataDecryptedObject): Promise<void> {
		const row = this.row(credentials.id!);
		row.data = credentials.getDataToSave().data!;
		this.writes.push({ id: row.id, type: row.type, kind, data: structuredClone(written) });
	}

	private row(id: string): Row {
		const row = this.rows.get(id);
		if (!row) throw new UnexpectedError(`bench: no credential with id "${id}"`);
		return row;
	}
}

/**
 * n8n's credentials helper for the bench, following packages/cli/src/credentials-helper.ts
 * (2.41) minus the database, overwrites, external secrets and dynamic credentials:
 * getDecrypted applies the type's defaults along the `extends` chain, and writes go to the store.
 */
export class BenchCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: BenchCredentialTypes,
		private readonly store: CredentialStore,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			const resolve = (value: string) =>
				isExpression(value)
					? String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '')
					: value;
			const target = requestOptions as unknown as Record<string, Record<string, string>>;
			for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** For credential types with an expirable hidden property (not OAuth2): refresh and persist it. */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined || !node.credentials) return undefined;
		const nodeCredentials = node.credentials[type.name];
		const stored = this.store.load(nodeCredentials, type.name);
		const data = { ...(await stored.getData()) };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(data[key])) data[key] = value;
		}
		await this.updateCredentials(nodeCredentials, type.name, data);
		return Object.assign(credentials, output);
	}

	/** In-memory transform of credentials on every OAuth2 request (no persistence). */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<Credentials> {
		return this.store.load(nodeCredentials, type);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = await this.store.load(nodeCredentials, type).getData();
		if (raw === true) return data;
		return this.applyDefaults(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	/** n8n's applyDefaultsAndOverwrites without overwrites: type-owned hidden fields win, defaults fill gaps. */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		stored: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		const data = { ...stored };
		// The credential type owns its hidden OAuth endpoint/flow fields; stored values never override them.
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((p) => p.name === field && p.type === 'hidden')) delete data[field];
		}
		let decrypted = (NodeHelpers.getNodeParameters(properties, data as INodeParameters, true, false, null, null) ??
			{}) as ICredentialDataDecryptedObject;
		// oauthTokenData is not a declared property, so getNodeParameters drops it: put it back.
		if (stored.oauthTokenData !== undefined) decrypted.oauthTokenData = stored.oauthTokenData;
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			decrypted = workflow.expression.getParameterValue(
				decrypted as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				getAdditionalKeys(additionalData, mode, null, { isCredential: true }),
				executeData,
				false,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		const credentials = this.store.load(nodeCredentials, type);
		await credentials.setData(data);
		await this.store.save(credentials, 'data', data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const credentials = this.store.load(nodeCredentials, type);
		await credentials.updateData({ oauthTokenData: data.oauthTokenData });
		await this.store.save(credentials, 'oauthTokenData', { oauthTokenData: data.oauthTokenData });
	}

	/** The type's properties merged along `extends` (parents first, the type's own win), as n8n's CLI does. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const definition = this.credentialTypes.getByName(type);
		if (definition.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...definition.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return definition.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of definition.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, definition.properties);
		return combined;
	}
}

/** OAuth endpoint/flow fields a credential type pins when it declares them hidden (n8n CLI's list). */
const OAUTH_PINNED_FIELDS = ['authUrl', 'accessTokenUrl', 'grantType', 'authentication', 'requestTokenUrl', 'signatureMethod'];
