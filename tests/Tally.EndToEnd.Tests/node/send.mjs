// Sends events to a tally collector with the real Segment Node SDK, as a customer's backend would.
// Usage: node send.mjs HOST WRITE_KEY COUNT RUN_ID
//   (or TALLY_HOST, TALLY_WRITE_KEY, TALLY_COUNT, TALLY_RUN_ID in the environment).
// Prints one JSON line: what was sent, which messageIds the SDK gave each call, and every error.
// Exits 1 when any call failed or the SDK reported an error, so the caller cannot miss a lost event.
import { Analytics } from '@segment/analytics-node';

const [argHost, argKey, argCount, argRun] = process.argv.slice(2);
const host = argHost ?? process.env.TALLY_HOST;
const writeKey = argKey ?? process.env.TALLY_WRITE_KEY;
const count = Number.parseInt(argCount ?? process.env.TALLY_COUNT ?? '', 10);
const runId = argRun ?? process.env.TALLY_RUN_ID;

if (!host || !writeKey || !Number.isInteger(count) || count < 0 || !runId) {
  console.error('usage: node send.mjs HOST WRITE_KEY COUNT RUN_ID');
  process.exit(2);
}

const analytics = new Analytics({ writeKey, host, flushAt: 20, flushInterval: 200, maxRetries: 3 });

const errors = [];
const tracks = [];
let identify = null;
let requests = 0;
let lastStatus = null;

analytics.on('error', (e) => errors.push({ code: e.code, reason: String(e.reason?.message ?? e.reason) }));
analytics.on('http_request', () => { requests++; });
analytics.on('http_response', (r) => { lastStatus = r.status; });

// The callback runs once delivery finished (or finally failed); ctx.event holds the messageId the SDK made.
const delivered = (record) => (err, ctx) => {
  record.messageId = ctx?.event?.messageId ?? null;
  record.delivered = !err;
  if (err) errors.push({ code: 'callback', reason: String(err?.message ?? err) });
};

const anonymousId = `${runId}-anon`;
identify = { kind: 'identify', messageId: null, delivered: false };
analytics.identify({ anonymousId, userId: `${runId}-user`, traits: {} }, delivered(identify));

for (let i = 0; i < count; i++) {
  const properties = { sessionId: `${runId}-s${i % 5}`, requestId: `${runId}-r${i}`, source: i % 2 === 0 ? 'launcher' : 'deep_link' };
  const record = { index: i, properties, messageId: null, delivered: false };
  tracks.push(record);
  analytics.track({ anonymousId, event: 'aurora_widget_open', properties }, delivered(record));
}

try {
  await analytics.closeAndFlush({ timeout: 30000 });
} catch (e) {
  errors.push({ code: 'close', reason: String(e?.message ?? e) });
}

const undelivered = tracks.filter((t) => !t.delivered).length + (identify.delivered ? 0 : 1);
if (undelivered > 0 && errors.length === 0) errors.push({ code: 'undelivered', reason: `${undelivered} calls never confirmed delivery` });

console.log(JSON.stringify({ runId, count, requests, lastStatus, identify, tracks, errors }));
process.exit(errors.length === 0 ? 0 : 1);
