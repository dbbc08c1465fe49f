// Behaviour of static/realtime/live.js against a scripted fake server (run: node --test).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const Live = require(path.join(__dirname, "..", "..", "..", "static", "realtime", "live.js"));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate, what, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await sleep(2);
  }
}

// A fake server: records every socket the client opens and every snapshot it fetches.
function harness(snapshots, options = {}) {
  const sockets = [];
  const fetches = [];
  const states = [];
  const messages = [];
  const snaps = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 1;
      this.sent = [];
      sockets.push(this);
    }
    send(data) {
      this.sent.push(JSON.parse(data));
    }
    close() {
      this.readyState = 3;
    }
    push(obj) {
      this.onmessage({ data: JSON.stringify(obj) });
    }
    hello(streams = ["event:x:public"], heartbeat = 25) {
      this.push({ type: "hello", streams, heartbeat });
    }
    drop(code) {
      this.readyState = 3;
      this.onclose({ code });
    }
  }
  const fetch = async (url) => {
    fetches.push(url);
    const next = typeof snapshots === "function" ? snapshots(fetches.length) : snapshots[fetches.length - 1];
    if (next instanceof Error) throw next;
    if (typeof next === "number") return { status: next, ok: false, json: async () => ({}) };
    return { status: 200, ok: true, json: async () => next };
  };
  const live = Live.connect({
    url: "ws://server/ws/x/",
    snapshotUrl: "/api/x",
    WebSocket: FakeSocket,
    fetch,
    random: () => 1,
    backoffBase: 10,
    backoffMax: 80,
    resyncMin: 0,
    element: null,
    onState: (state, info) => states.push([state, info]),
    onMessage: (m) => messages.push(m),
    onSnapshot: (s) => snaps.push(s),
    ...options,
  });
  return { live, sockets, fetches, states, messages, snaps, last: () => sockets[sockets.length - 1] };
}

const msg = (seq, data = {}) => ({ type: "thing.changed", stream: "event:x:public", seq, ts: 0, data });

test("hello fetches the snapshot, then messages arrive in order and duplicates are dropped", async () => {
  const h = harness([{ seq: 10, value: "a" }]);
  assert.equal(h.live.state, "connecting");
  h.last().hello();
  await until(() => h.live.state === "online", "online");
  assert.deepEqual(h.snaps, [{ seq: 10, value: "a" }]);
  h.last().push(msg(10)); // already in the snapshot
  h.last().push(msg(11));
  h.last().push(msg(11)); // duplicate
  h.last().push(msg(12));
  assert.deepEqual(h.messages.map((m) => m.seq), [11, 12]);
  h.live.close();
});

test("messages arriving while the snapshot is in flight are applied after it, if newer", async () => {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const h = harness([{ seq: 5 }], {
    fetch: async () => {
      await gate;
      return { status: 200, ok: true, json: async () => ({ seq: 5 }) };
    },
  });
  h.last().hello();
  h.last().push(msg(5));
  h.last().push(msg(7));
  h.last().push(msg(6));
  assert.equal(h.live.state, "catching-up");
  release();
  await until(() => h.live.state === "online", "online");
  assert.deepEqual(h.messages.map((m) => m.seq), [6, 7]);
  h.live.close();
});

test("a gap in seq refetches the snapshot and resumes from it", async () => {
  const h = harness([{ seq: 1 }, { seq: 4 }]);
  h.last().hello();
  await until(() => h.live.state === "online", "online");
  h.last().push(msg(2));
  h.last().push(msg(4)); // 3 was lost
  await until(() => h.fetches.length === 2 && h.live.state === "online", "resync");
  h.last().push(msg(5));
  assert.deepEqual(h.messages.map((m) => m.seq), [2, 5]);
  assert.ok(h.states.some(([s, info]) => s === "catching-up" && info.reason === "gap"));
  h.live.close();
});

test("a message without a seq (the server lost its counter) triggers a resync", async () => {
  const h = harness([{ seq: 1 }, { seq: 9 }]);
  h.last().hello();
  await until(() => h.live.state === "online", "online");
  h.last().push(msg(null));
  await until(() => h.fetches.length === 2 && h.live.state === "online", "resync");
  h.live.close();
});

test("a dropped connection reconnects with growing, capped backoff and resyncs", async () => {
  const h = harness(() => ({ seq: 1 }));
  h.last().hello();
  await until(() => h.live.state === "online", "online");
  const started = Date.now();
  for (let i = 1; i <= 5; i++) {
    h.last().drop(1006);
    assert.equal(h.live.state, "offline");
    await until(() => h.sockets.length === i + 1, "reconnect " + i);
  }
  // random() = 1 gives the ceiling: 10, 20, 40, 80, 80 ms (capped at backoffMax).
  const delays = h.states.filter(([s]) => s === "offline").map(([, info]) => info.retryIn);
  assert.deepEqual(delays, [10, 20, 40, 80, 80]);
  assert.ok(Date.now() - started >= 200);
  h.last().hello();
  await until(() => h.live.state === "online", "online again");
  assert.equal(h.fetches.length, 2);
  // After a full resync the backoff starts afresh.
  h.last().drop(4503);
  assert.equal(h.states[h.states.length - 1][1].retryIn, 10);
  h.live.close();
});

test("jitter spreads reconnects between half and all of the ceiling", async () => {
  const h = harness([], { random: () => 0 });
  h.last().drop(1006);
  assert.equal(h.states[h.states.length - 1][1].retryIn, 5);
  h.live.close();
});

for (const code of [4401, 4403, 4404]) {
  test(`close code ${code} stops for good`, async () => {
    const h = harness([]);
    h.last().drop(code);
    assert.equal(h.live.state, "refused");
    await sleep(50);
    assert.equal(h.sockets.length, 1);
  });
}

test("a refused snapshot (403) stops for good", async () => {
  const h = harness([403]);
  h.last().hello();
  await until(() => h.live.state === "refused", "refused");
  assert.equal(h.last().readyState, 3);
});

test("a failing snapshot is retried while the state says catching-up", async () => {
  const h = harness([new Error("network"), 502, { seq: 3 }]);
  h.last().hello();
  await until(() => h.live.state === "online", "online", 3000);
  assert.equal(h.fetches.length, 3);
  h.live.close();
});

test("heartbeat pings, and a silent connection is abandoned and replaced", async () => {
  const h = harness(() => ({ seq: 1 }));
  h.last().hello(["event:x:public"], 0.02); // 20 ms beats
  await until(() => h.last().sent.some((m) => m.type === "ping"), "a ping");
  assert.equal(typeof h.last().sent[0].id, "number");
  // The server stops answering altogether: after two silent beats the client gives up on it.
  await until(() => h.sockets.length === 2, "replacement socket", 3000);
  h.live.close();
});

test("rate-limited clients wait at least ten seconds", async () => {
  const h = harness([]);
  h.last().drop(4429);
  assert.ok(h.states[h.states.length - 1][1].retryIn >= 10000);
  h.live.close();
});

test("several streams on one socket keep their own seq", async () => {
  const h = harness([{ seqs: { "user:1": 3, "event:x:public": 40 } }]);
  h.last().hello(["user:1", "event:x:public"]);
  await until(() => h.live.state === "online", "online");
  h.last().push({ type: "a", stream: "user:1", seq: 4, data: {} });
  h.last().push({ type: "b", stream: "event:x:public", seq: 41, data: {} });
  h.last().push({ type: "c", stream: "user:1", seq: 5, data: {} });
  assert.deepEqual(h.messages.map((m) => m.type), ["a", "b", "c"]);
  assert.equal(h.fetches.length, 1);
  h.live.close();
});

test("refresh() refetches the snapshot on an open connection", async () => {
  const h = harness([{ seq: 1, n: 1 }, { seq: 1, n: 2 }]);
  h.last().hello();
  await until(() => h.live.state === "online", "online");
  h.live.refresh();
  await until(() => h.snaps.length === 2 && h.live.state === "online", "refreshed");
  assert.equal(h.snaps[1].n, 2);
  h.live.close();
});
