import type { INodeProperties } from 'n8n-workflow';

/**
 * Gmail API quota tiers (developers.google.com/workspace/gmail/api/reference/quota). Projects that used the
 * Gmail API between November 2025 and April 2026 keep the earlier limits; projects created since get the
 * 2026 ones. The pacer spends each tier's budget and per-method costs.
 */
export type QuotaTier = 'from2026' | 'legacy' | 'custom';

export const QUOTA_TIER_NAMES: Record<QuotaTier, string> = {
	from2026: 'Projects Created From May 2026',
	legacy: 'Projects Created Earlier',
	custom: 'Custom',
};

export const QUOTA_LIMITS: Record<
	Exclude<QuotaTier, 'custom'>,
	{ userPerMinute: number; projectPerMinute: number; userPerSecond?: number }
> = {
	from2026: { userPerMinute: 6_000, projectPerMinute: 1_200_000 },
	// older copies of Google's page: "250 quota units per user per second, moving average"
	legacy: { userPerMinute: 15_000, projectPerMinute: 1_200_000, userPerSecond: 250 },
};

/** The "Gmail API Quota" fields every credential of the package shows. */
export const quotaProperties: INodeProperties[] = [
	{
		displayName: 'Gmail API Quota',
		name: 'quotaTier',
		type: 'options',
		default: 'from2026',
		description:
			'The Gmail API limits of the Google Cloud project behind this credential (Cloud console → APIs & Services → Gmail API → Quotas shows them). Calls are paced to stay within them.',
		options: [
			{
				name: QUOTA_TIER_NAMES.from2026,
				value: 'from2026',
				description: '6,000 units per user per minute; reading a message costs 20 units',
			},
			{
				name: QUOTA_TIER_NAMES.legacy,
				value: 'legacy',
				description:
					'Projects that used the Gmail API before May 2026: 15,000 units per user per minute; reading a message costs 5',
			},
			{
				name: QUOTA_TIER_NAMES.custom,
				value: 'custom',
				description: 'The limits Google granted your project',
			},
		],
	},
	{
		displayName: 'Units per User per Minute',
		name: 'quotaUserPerMinute',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 6000,
		displayOptions: { show: { quotaTier: ['custom'] } },
	},
	{
		displayName: 'Units per Project per Minute',
		name: 'quotaProjectPerMinute',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 1200000,
		displayOptions: { show: { quotaTier: ['custom'] } },
	},
];
