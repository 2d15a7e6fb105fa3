// n8n finds this package's nodes and credentials through the "n8n" attribute of package.json
// (dist/nodes/..., dist/credentials/...); nothing is exported from here.
module.exports = {};
