// A webhook receiver for the tests that checks every delivery with the Standard Webhooks reference library
// (npm standardwebhooks), not with Rollcall's code. Each path has its own named secrets (POST /_config); a delivery
// verified by at least one of them is answered 204 and logged as accepted, any other 400 and logged as rejected,
// with which secrets verified it. GET /_log?path=/x returns the log. Prints "listening <port>" once ready.
const http = require("http");
const { Webhook } = require("standardwebhooks");

const secrets = new Map(); // path -> { name: secret }
const logs = new Map(); // path -> { accepted: [], rejected: [] }

function log(path) {
  if (!logs.has(path)) {
    logs.set(path, { accepted: [], rejected: [] });
  }
  return logs.get(path);
}

function reply(res, status, body) {
  res.writeHead(status, body === undefined ? {} : { "Content-Type": "application/json" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url, "http://receiver");
    if (url.pathname === "/_config" && req.method === "POST") {
      const config = JSON.parse(body);
      secrets.set(config.path, config.secrets);
      return reply(res, 204);
    }
    if (url.pathname === "/_log" && req.method === "GET") {
      return reply(res, 200, log(url.searchParams.get("path")));
    }
    const headers = {
      "webhook-id": req.headers["webhook-id"],
      "webhook-timestamp": req.headers["webhook-timestamp"],
      "webhook-signature": req.headers["webhook-signature"],
    };
    const verifiedBy = [];
    let payload = null;
    for (const [name, secret] of Object.entries(secrets.get(url.pathname) || {})) {
      try {
        payload = new Webhook(secret).verify(body, headers);
        verifiedBy.push(name);
      } catch (e) {
        // not signed with this secret, or tampered with
      }
    }
    const entry = { headers, body, verifiedBy, at: Date.now() };
    if (verifiedBy.length === 0) {
      log(url.pathname).rejected.push(entry);
      return reply(res, 400, { error: "signature not verified" });
    }
    entry.event = payload;
    log(url.pathname).accepted.push(entry);
    reply(res, 204);
  });
}).listen(0, "127.0.0.1", function () {
  console.log("listening " + this.address().port);
});
