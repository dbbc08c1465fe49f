/* Offline scanning: the downloaded ticket list, local verification, the queue and its sync.
 *
 * The list holds a SHA-256 prefix of every ticket payload of the event (never the signing key), so
 * the phone recognises a genuine ticket without the network. Offline scans are queued in
 * localStorage with their client_scan_id; syncing them is idempotent on the server, and any answer
 * that differs from what the phone showed is kept as a conflict for the operator to see.
 */
"use strict";

window.CheckinOffline = (function () {
  function key(slug, what) {
    return "ck:" + what + ":" + slug;
  }

  function load(slug, what, fallback) {
    try {
      const raw = localStorage.getItem(key(slug, what));
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function save(slug, what, value) {
    try {
      localStorage.setItem(key(slug, what), JSON.stringify(value));
    } catch (e) {
      /* storage full: the scan still showed; it just cannot be kept */
    }
  }

  async function digest(payload) {
    if (!(window.crypto && crypto.subtle)) return null;
    const data = new TextEncoder().encode(payload.trim().toUpperCase());
    const hash = await crypto.subtle.digest("SHA-256", data);
    return Array.from(new Uint8Array(hash))
      .map((b) => b.toString(16).padStart(2, "0"))
      .join("")
      .slice(0, 20);
  }

  function newScanId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "s" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function Store(slug) {
    this.slug = slug;
    this.list = load(slug, "list", null);
    // Local door state of tickets scanned while offline: digest -> {at, gate, inside}.
    this.local = load(slug, "local", {});
    this.queue = load(slug, "queue", []);
    this.conflicts = load(slug, "conflicts", []);
  }

  Store.prototype.setList = function (list) {
    this.list = list;
    // A fresh list already contains what the server knows; local marks of synced scans are stale.
    if (this.queue.length === 0) this.local = {};
    save(this.slug, "list", list);
    save(this.slug, "local", this.local);
  };

  /* Decide like the server would, from what the phone knows. Returns {kind, reason, entry, first}. */
  Store.prototype.verify = async function (payload, direction) {
    const h = await digest(payload);
    if (h === null || !this.list) return { kind: "unknown", reason: "cannot_verify" };
    const entry = this.list.tickets[h];
    if (!entry) return { kind: "error", reason: "invalid", hash: h };
    if (entry.s === "cancelled") return { kind: "error", reason: "cancelled", entry: entry, hash: h };
    if (entry.s === "waitlisted") return { kind: "error", reason: "waitlisted", entry: entry, hash: h };
    const now = new Date();
    if (this.list.window && (now < new Date(this.list.window.opens) || now > new Date(this.list.window.closes))) {
      return { kind: "error", reason: "not_open", entry: entry, hash: h };
    }
    const mine = this.local[h];
    const inside = mine ? mine.inside : entry.s === "in";
    if (direction === "in" && inside) {
      const first = mine && mine.first ? mine.first : { at: entry.f, gate: entry.g };
      return { kind: "already", entry: entry, first: first, hash: h };
    }
    return { kind: "ok", entry: entry, hash: h };
  };

  Store.prototype.markLocal = function (hash, direction, gate, entry) {
    const mine = this.local[hash] || {};
    mine.inside = direction === "in";
    if (direction === "in" && !mine.first && !(entry && entry.f)) mine.first = { at: new Date().toISOString(), gate: gate };
    this.local[hash] = mine;
    save(this.slug, "local", this.local);
  };

  Store.prototype.enqueue = function (scan) {
    this.queue.push(scan);
    save(this.slug, "queue", this.queue);
  };

  Store.prototype.addConflict = function (conflict) {
    this.conflicts.push(conflict);
    save(this.slug, "conflicts", this.conflicts);
  };

  Store.prototype.clearConflicts = function () {
    this.conflicts = [];
    save(this.slug, "conflicts", this.conflicts);
  };

  /* Send queued scans oldest first. `post(body)` resolves to {status, body} or throws when offline.
   * A scan leaves the queue once the server answered (whatever the answer); a network failure stops
   * the run and keeps the rest for the next attempt. */
  Store.prototype.sync = async function (post) {
    let sent = 0;
    while (this.queue.length > 0) {
      const item = this.queue[0];
      let answer;
      try {
        answer = await post(item.body);
      } catch (e) {
        break;
      }
      if (answer.status >= 500) break;
      this.queue.shift();
      save(this.slug, "queue", this.queue);
      sent += 1;
      const server = answer.body && answer.body.status;
      const serverKind = server === "ok" ? "ok" : server === "already_checked_in" ? "already" : "error";
      if (serverKind !== item.local) {
        this.addConflict({
          name: (answer.body && answer.body.attendee && answer.body.attendee.name) || item.name || "",
          local: item.local,
          server: serverKind,
          reason: (answer.body && answer.body.reason) || "",
          message: (answer.body && answer.body.message) || "",
          first: answer.body && answer.body.first,
          at: item.body.scanned_at,
        });
      }
    }
    return sent;
  };

  return { Store: Store, digest: digest, newScanId: newScanId };
})();
