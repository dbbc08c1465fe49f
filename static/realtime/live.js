/*! live.js: the client of Explorers Events' live streams. No dependencies. Protocol: docs/realtime.md
 *
 *   const live = Live.connect({
 *     url: "/ws/events/job-fair/dashboard/",              // a same-origin path, or a ws(s):// URL
 *     snapshotUrl: "/api/v1/events/job-fair/dashboard",   // the streams' HTTP snapshot
 *     onSnapshot: (snapshot) => render(snapshot),         // whole state: after (re)connecting or a gap
 *     onMessage: (message) => apply(message),             // each message once, in seq order per stream
 *     onState: (state, info) => badge(state),             // connecting | online | catching-up | offline | refused
 *   });
 *   live.close();
 *
 * The socket reconnects by itself with exponential backoff and full jitter, sends a heartbeat ping
 * and drops a connection that stops answering, and refetches the snapshot whenever it reconnects
 * or sees a gap in a stream's seq. The current state is also written to `data-live` on
 * <html> (or `options.element`) so CSS can show it.
 */
(function (root) {
  "use strict";

  // Close codes after which reconnecting cannot help (see docs/realtime.md).
  var FINAL = { 4401: "unauthenticated", 4403: "forbidden", 4404: "not_found" };
  var RATE_LIMITED = 4429;

  function wsUrl(url) {
    if (/^wss?:\/\//.test(url)) return url;
    var loc = root.location;
    return (loc.protocol === "https:" ? "wss://" : "ws://") + loc.host + url;
  }

  function Live(options) {
    this.o = Object.assign(
      {
        heartbeat: 25000, // ms between pings; the server's hello may change it
        backoffBase: 500, // ms; the first retry waits up to this long
        backoffMax: 30000, // ms; no retry waits longer
        resyncMin: 1000, // ms between two snapshot fetches, so a lossy link cannot hammer the server
        onSnapshot: function () {},
        onMessage: function () {},
        onState: function () {},
        WebSocket: root.WebSocket,
        fetch: root.fetch && root.fetch.bind(root),
        random: Math.random,
        element: root.document ? root.document.documentElement : null,
      },
      options
    );
    this.state = null;
    this.seqs = {}; // stream -> last seq applied (null: unknown, take the next one as it comes)
    this.streams = [];
    this.buffer = []; // messages that arrive while a snapshot is on its way
    this.syncing = false;
    this.attempt = 0; // consecutive failed attempts; drives the backoff
    this.generation = 0; // bumps on every new socket, so late answers for an old one are ignored
    this.lastSync = 0;
    this.pingId = 0;
    this.closed = false;
    this.timers = {};
    var self = this;
    this.onOnline = function () {
      if (!self.ws) self.reconnectNow();
    };
    this.onOffline = function () {
      self.setState("offline", { reason: "browser-offline" });
    };
    this.onVisible = function () {
      if (root.document.visibilityState !== "visible") return;
      if (self.ws) self.ping();
      else self.reconnectNow();
    };
    if (root.addEventListener) {
      root.addEventListener("online", this.onOnline);
      root.addEventListener("offline", this.onOffline);
    }
    if (root.document && root.document.addEventListener) {
      root.document.addEventListener("visibilitychange", this.onVisible);
    }
    this.setState("connecting", {});
    this.open();
  }

  Live.prototype.setState = function (state, info) {
    if (this.state === state && state !== "offline") return;
    this.state = state;
    if (this.o.element && this.o.element.setAttribute) this.o.element.setAttribute("data-live", state);
    try {
      this.o.onState(state, info || {});
    } catch (err) {
      console.error(err);
    }
  };

  Live.prototype.timer = function (name, fn, ms) {
    clearTimeout(this.timers[name]);
    this.timers[name] = setTimeout(fn, ms);
  };

  Live.prototype.open = function () {
    if (this.closed) return;
    var self = this;
    var gen = ++this.generation;
    var ws;
    try {
      ws = new this.o.WebSocket(wsUrl(this.o.url));
    } catch (err) {
      this.scheduleReconnect({ reason: "error" });
      return;
    }
    this.ws = ws;
    this.lastRx = Date.now();
    ws.onmessage = function (ev) {
      if (gen === self.generation) self.receive(ev.data);
    };
    ws.onclose = function (ev) {
      if (gen === self.generation) self.dropped(ev.code);
    };
    ws.onerror = function () {}; // a close event always follows
  };

  Live.prototype.receive = function (raw) {
    this.lastRx = Date.now();
    var msg;
    try {
      msg = JSON.parse(raw);
    } catch (err) {
      return;
    }
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "hello") {
      if (msg.heartbeat) this.o.heartbeat = msg.heartbeat * 1000;
      this.streams = msg.streams || [];
      this.startHeartbeat();
      this.resync("connected");
    } else if (msg.type === "pong") {
      // lastRx is all a pong is for.
    } else if (msg.stream) {
      if (this.syncing) this.hold(msg);
      else this.deliver(msg);
    }
  };

  Live.prototype.deliver = function (msg) {
    var last = this.seqs[msg.stream];
    // No seq: the server could not number it. A fresh snapshot shows its effect; the message itself is dropped.
    if (typeof msg.seq !== "number") return this.resync("no-seq");
    if (typeof last === "number") {
      if (msg.seq <= last) return; // already part of the snapshot, or a duplicate
      if (msg.seq !== last + 1) return this.resync("gap", msg);
    }
    this.seqs[msg.stream] = msg.seq;
    try {
      this.o.onMessage(msg);
    } catch (err) {
      console.error(err);
    }
  };

  Live.prototype.hold = function (msg) {
    // Bounded: what falls off is older than what the coming snapshot shows, or causes one more resync.
    if (this.buffer.push(msg) > 500) this.buffer.shift();
  };

  Live.prototype.resync = function (reason, msg) {
    if (msg) this.hold(msg);
    if (this.syncing) return;
    this.syncing = true;
    this.setState("catching-up", { reason: reason });
    var wait = Math.max(0, this.lastSync + this.o.resyncMin - Date.now());
    var self = this;
    this.timer("sync", function () {
      self.fetchSnapshot(self.generation, 0);
    }, wait);
  };

  Live.prototype.fetchSnapshot = function (gen, tries) {
    var self = this;
    if (gen !== this.generation || this.closed) return;
    this.lastSync = Date.now();
    if (!this.o.snapshotUrl) return this.applySnapshot(null);
    this.o
      .fetch(this.o.snapshotUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || response.status === 404) {
          var e = new Error("refused");
          e.final = response.status;
          throw e;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (snapshot) {
        if (gen === self.generation && !self.closed) self.applySnapshot(snapshot);
      })
      .catch(function (err) {
        if (gen !== self.generation || self.closed) return;
        if (err.final) return self.refuse(err.final);
        self.timer("sync", function () {
          self.fetchSnapshot(gen, tries + 1);
        }, self.backoff(tries));
      });
  };

  Live.prototype.applySnapshot = function (snapshot) {
    var i;
    this.seqs = {};
    if (snapshot && snapshot.seqs && typeof snapshot.seqs === "object") {
      for (var key in snapshot.seqs) this.seqs[key] = snapshot.seqs[key];
    } else {
      for (i = 0; i < this.streams.length; i++) this.seqs[this.streams[i]] = snapshot ? snapshot.seq : null;
    }
    this.syncing = false;
    this.attempt = 0; // a full round trip worked: the next trouble starts the backoff afresh
    if (snapshot) {
      try {
        this.o.onSnapshot(snapshot);
      } catch (err) {
        console.error(err);
      }
    }
    var pending = this.buffer.sort(function (a, b) {
      return (a.seq || 0) - (b.seq || 0);
    });
    this.buffer = [];
    for (i = 0; i < pending.length; i++) {
      if (this.syncing) this.hold(pending[i]);
      else this.deliver(pending[i]);
    }
    if (!this.syncing) this.setState("online", {});
  };

  Live.prototype.backoff = function (attempt) {
    var ceiling = Math.min(this.o.backoffMax, this.o.backoffBase * Math.pow(2, attempt));
    // Full jitter: clients dropped by one restart come back spread out, not all at once.
    return Math.round(ceiling / 2 + (this.o.random() * ceiling) / 2);
  };

  Live.prototype.startHeartbeat = function () {
    var self = this;
    clearInterval(this.timers.heartbeat);
    this.timers.heartbeat = setInterval(function () {
      // No frame at all for two beats: the connection is dead even if the browser has not noticed.
      if (Date.now() - self.lastRx > 2 * self.o.heartbeat + 1000) self.abandon();
      else self.ping();
    }, this.o.heartbeat);
  };

  Live.prototype.ping = function () {
    if (this.ws && this.ws.readyState === 1) {
      this.ws.send(JSON.stringify({ type: "ping", id: ++this.pingId }));
    }
  };

  Live.prototype.abandon = function () {
    var ws = this.ws;
    this.generation++; // its close event, whenever it comes, is ignored
    if (ws) {
      try {
        ws.close();
      } catch (err) {
        /* already closing */
      }
    }
    this.dropped(1006);
  };

  Live.prototype.dropped = function (code) {
    clearInterval(this.timers.heartbeat);
    clearTimeout(this.timers.sync);
    this.ws = null;
    this.syncing = false;
    this.buffer = [];
    if (this.closed) return;
    if (FINAL[code]) return this.refuse(code);
    var delay = this.backoff(this.attempt++);
    if (code === RATE_LIMITED) delay = Math.max(delay, 10000);
    this.scheduleReconnect({ code: code, retryIn: delay }, delay);
  };

  Live.prototype.scheduleReconnect = function (info, delay) {
    var self = this;
    if (delay === undefined) delay = this.backoff(this.attempt++);
    this.setState("offline", info);
    this.timer("reconnect", function () {
      self.open();
    }, delay);
  };

  Live.prototype.reconnectNow = function () {
    if (this.closed || this.ws) return;
    clearTimeout(this.timers.reconnect);
    this.open();
  };

  Live.prototype.refuse = function (code) {
    this.closed = true;
    this.teardown();
    this.setState("refused", { code: code, reason: FINAL[code] || "refused" });
  };

  Live.prototype.teardown = function () {
    clearTimeout(this.timers.sync);
    clearTimeout(this.timers.reconnect);
    clearInterval(this.timers.heartbeat);
    this.generation++;
    if (this.ws) {
      try {
        this.ws.close(1000);
      } catch (err) {
        /* already closed */
      }
    }
    this.ws = null;
    if (root.removeEventListener) {
      root.removeEventListener("online", this.onOnline);
      root.removeEventListener("offline", this.onOffline);
    }
    if (root.document && root.document.removeEventListener) {
      root.document.removeEventListener("visibilitychange", this.onVisible);
    }
  };

  /** Fetch the snapshot again now (e.g. every minute, for figures no message carries). */
  Live.prototype.refresh = function () {
    if (this.ws && !this.syncing && !this.closed) this.resync("refresh");
  };

  /** Stop for good: no more reconnects, no more callbacks. */
  Live.prototype.close = function () {
    this.closed = true;
    this.teardown();
  };

  var api = {
    connect: function (options) {
      return new Live(options);
    },
    FINAL_CLOSE_CODES: FINAL,
  };
  root.Live = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
