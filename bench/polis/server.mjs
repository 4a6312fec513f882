// Ory Polis' SCIM 2.0 server, the peer of `./rollcall bench scim-polis`: the Directory Sync of the library Polis is
// built on (@boxyhq/saml-jackson), on PostgreSQL, served the way Polis' own route serves it
// (pages/api/scim/v2.0/[...directory].ts: /api/scim/v2.0/{directoryId}/Users[/{id}], the directory's bearer token, the
// query's count, startIndex and filter), over Node's HTTP server rather than Next.js.
//
// Environment: PORT; POLIS_DATABASE_URL (postgres://user@host:port/database; the database is made if missing).
// Makes one directory at start, then prints one line "POLIS_READY {"endpoint":...,"secret":...}" for the benchmark,
// which reads the token from it and keeps it out of its log.
import http from 'node:http';
import pg from 'pg';
import polis from '@boxyhq/saml-jackson';

const port = Number(process.env.PORT ?? 5225);
const databaseUrl = new URL(process.env.POLIS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/polis');
const scimPath = '/api/scim/v2.0';

// The database is Polis' own, beside Rollcall's in the same PostgreSQL. The checkpoint puts what was written before
// Polis started on disk now, rather than in the middle of Polis' load.
const admin = new pg.Client({ connectionString: new URL('/postgres', databaseUrl).toString() });
await admin.connect();
const database = databaseUrl.pathname.slice(1);
if ((await admin.query('select 1 from pg_database where datname = $1', [database])).rowCount === 0) {
  await admin.query(`create database "${database.replaceAll('"', '""')}"`);
}
await admin.query('checkpoint');
await admin.end();

const controllers = polis.default ?? polis;
const { directorySyncController } = await controllers({
  externalUrl: `http://127.0.0.1:${port}`,
  samlPath: '/api/oauth/saml',
  scimPath,
  db: { engine: 'sql', type: 'postgres', url: databaseUrl.toString() },
  noAnalytics: true,
  // Events go to this callback (the library's embedded use) rather than to a webhook: Rollcall in the same run has no
  // webhook endpoint either, and Polis' own callback would read the directory again for every write only to log that
  // it has no webhook.
  dsync: { callback: async () => {} },
});

const { data: directory, error } = await directorySyncController.directories.create({
  name: 'bench',
  tenant: 'bench',
  product: 'rollcall-bench',
  type: 'generic-scim-v2',
});
if (error) {
  throw new Error(`No directory: ${error.message}`);
}

function answer(response, status, data) {
  const body = JSON.stringify(data ?? {});
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

// Polis' SCIM answers a group without its members; the benchmark asks here whether its adds landed:
// GET /bench/groups/{groupId}/members/{userId} answers {"member":true|false}. Not part of Polis; loopback only.
const benchGroups = /^\/bench\/groups\/([^/]+)\/members\/([^/]+)$/;

const server = http.createServer(async (request, response) => {
  try {
    const url = new URL(request.url, `http://127.0.0.1:${port}`);
    const member = url.pathname.match(benchGroups);
    if (member) {
      directorySyncController.groups.setTenantAndProduct(directory.tenant, directory.product);
      const [groupId, userId] = member.slice(1).map(decodeURIComponent);
      return answer(response, 200, { member: await directorySyncController.groups.isUserInGroup(groupId, userId) });
    }
    if (!url.pathname.startsWith(`${scimPath}/`)) {
      return answer(response, 404, { error: { message: 'Not found' } });
    }
    const [directoryId, resourceType, resourceId] = url.pathname.slice(scimPath.length + 1).split('/');
    const chunks = [];
    for await (const chunk of request) {
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const authorization = request.headers.authorization ?? '';
    const { status, data } = await directorySyncController.requests.handle({
      method: request.method,
      body: text ? JSON.parse(text) : undefined,
      directoryId,
      resourceType: resourceType ?? '',
      resourceId: resourceId ? decodeURIComponent(resourceId) : undefined,
      apiSecret: authorization.startsWith('Bearer ') ? authorization.slice(7) : null,
      query: {
        count: parseInt(url.searchParams.get('count') ?? ''),
        startIndex: parseInt(url.searchParams.get('startIndex') ?? ''),
        filter: url.searchParams.get('filter') ?? undefined,
      },
    });
    answer(response, status, data);
  } catch (err) {
    console.error(err);
    answer(response, 500, { error: { message: 'Internal error' } });
  }
});

// Stopped between runs: nothing it holds needs a graceful end.
process.on('SIGTERM', () => process.exit(0));
server.listen(port, '127.0.0.1', () => {
  console.log(`POLIS_READY ${JSON.stringify({ endpoint: directory.scim.endpoint, secret: directory.scim.secret })}`);
});
