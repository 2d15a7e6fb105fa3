/**
 * loadOptions / listSearch methods of the node. Dropdowns loaded from the account (labels, send-as
 * aliases, projects, service accounts) arrive with the cards that use them.
 */
export const methods = {};
