/* The door scanner: camera (native BarcodeDetector or the vendored ZXing WebAssembly polyfill),
 * keyboard-wedge scanners, manual search, full-screen results with sound and vibration, live gate
 * counts over a WebSocket, and offline scanning through CheckinOffline. No request leaves our origin.
 */
"use strict";

(function () {
  const cfg = JSON.parse(document.getElementById("ck-config").textContent);
  const T = cfg.text;
  const $ = (id) => document.getElementById(id);
  const store = new CheckinOffline.Store(cfg.slug);
  const state = {
    device: null,
    setup: null,
    online: navigator.onLine,
    busy: false,
    lastPayload: null,
    lastSeen: 0,
    ws: null,
    sessions: [],
  };
  window.checkinScanner = state; // for the browser test and for debugging on a phone

  // ------------------------------------------------------------------ credentials and API

  const deviceKey = "ck:device:" + cfg.slug;
  if (location.hash.indexOf("#device=") === 0) {
    localStorage.setItem(deviceKey, decodeURIComponent(location.hash.slice(8)));
    history.replaceState(null, "", location.pathname + location.search);
  }
  state.device = localStorage.getItem(deviceKey);

  function cookie(name) {
    const m = document.cookie.match("(^|;)\\s*" + name + "=([^;]*)");
    return m ? decodeURIComponent(m[2]) : "";
  }

  function headers() {
    const h = { "Content-Type": "application/json", Accept: "application/json" };
    if (state.device) h.Authorization = "Bearer " + state.device;
    else h["X-CSRFToken"] = cookie("csrftoken");
    return h;
  }

  async function api(method, url, body) {
    const response = await fetch(url, {
      method: method,
      headers: headers(),
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    return { status: response.status, body: data };
  }

  // ------------------------------------------------------------------ feedback

  let audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const tones = { ok: [[880, 0.12]], already: [[520, 0.1], [520, 0.1]], error: [[200, 0.45]] }[kind];
      let t = audio.currentTime;
      tones.forEach(function (tone) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = tone[0];
        gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(t);
        osc.stop(t + tone[1]);
        t += tone[1] + 0.08;
      });
    } catch (e) {
      /* no audio: the colour says it all */
    }
    if (navigator.vibrate) navigator.vibrate({ ok: 80, already: [60, 60, 60], error: [300] }[kind]);
  }

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, (m, k) => (values[k] === undefined ? "" : values[k]));
  }

  function timeOf(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    // The event's clock, not the phone's: a 09:00 Baghdad session reads 09:00 on any phone.
    return isNaN(d)
      ? iso
      : d.toLocaleTimeString(document.documentElement.lang || [], {
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
          timeZone: cfg.timeZone || undefined,
        });
  }

  let hideTimer = null;
  function show(kind, title, name, detail) {
    const el = $("ck-result");
    el.dataset.kind = kind;
    $("ck-result-title").textContent = title;
    $("ck-result-name").textContent = name || "";
    $("ck-result-detail").textContent = detail || "";
    el.hidden = false;
    beep(kind);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideResult, kind === "ok" ? 1800 : 3500);
  }

  function hideResult() {
    $("ck-result").hidden = true;
  }
  $("ck-result").addEventListener("click", hideResult);

  function showAnswer(body, offline) {
    const attendee = (body && body.attendee) || {};
    const who = [attendee.name, attendee.organisation].filter(Boolean).join(" · ");
    const status = body && body.status;
    if (status === "ok") {
      const out = body.checkin && body.checkin.direction === "out";
      show("ok", out ? T.out : T.ok, who, offline ? T.offlineChecked : attendee.role_label || "");
    } else if (status === "already_checked_in") {
      const first = body.first || {};
      show("already", T.already, who, fmt(T.first, { time: timeOf(first.at), gate: first.gate || "?" }));
    } else {
      const reason = (body && body.reason) || "invalid";
      show("error", T.error, who, (body && body.message) || cfg.reasons[reason] || reason);
    }
  }

  // ------------------------------------------------------------------ status line

  function renderStatus() {
    const net = $("ck-net");
    net.dataset.state = state.online ? "online" : "offline";
    net.textContent = state.online ? T.online : T.offline;
    const q = $("ck-queue");
    q.hidden = store.queue.length === 0;
    q.textContent = fmt(T.queued, { n: store.queue.length });
    const c = $("ck-conflicts-btn");
    c.hidden = store.conflicts.length === 0;
    c.textContent = fmt(T.conflicts, { n: store.conflicts.length });
    const list = $("ck-conflict-list");
    list.textContent = "";
    store.conflicts.forEach(function (x) {
      const li = document.createElement("li");
      li.textContent =
        (x.name || "?") + " — " + x.local + " → " + x.server + (x.message ? " (" + x.message + ")" : "") +
        (x.first && x.first.gate ? " · " + fmt(T.first, { time: timeOf(x.first.at), gate: x.first.gate }) : "");
      list.appendChild(li);
    });
    $("ck-conflicts").hidden = store.conflicts.length === 0;
    if (state.setup) {
      const session = state.sessions.find((s) => String(s.id) === String(state.setup.session));
      $("ck-where").textContent =
        state.setup.gate + " · " + (state.setup.direction === "out" ? "←" : "→") + (session ? " · " + session.title : "");
    }
  }
  $("ck-conflicts-btn").addEventListener("click", () => $("ck-conflicts").scrollIntoView());
  $("ck-conflicts-clear").addEventListener("click", function () {
    store.clearConflicts();
    renderStatus();
  });

  // ------------------------------------------------------------------ handling one code

  async function handle(raw) {
    const payload = String(raw || "").trim();
    if (!payload || !state.setup || state.busy) return;
    state.busy = true;
    const body = {
      payload: payload,
      event: cfg.slug,
      gate: state.setup.gate,
      direction: state.setup.direction,
      client_scan_id: CheckinOffline.newScanId(),
      scanned_at: new Date().toISOString(),
    };
    if (state.setup.session) body.session = Number(state.setup.session);
    try {
      if (state.online) {
        try {
          const answer = await api("POST", cfg.urls.scan, body);
          if (answer.status >= 500 || answer.body === null) throw new Error("server " + answer.status);
          showAnswer(answer.body, false);
          // Without the live stream (a proxy that drops WebSockets) the counts still follow our own scans.
          if (!state.ws || state.ws.readyState !== 1) snapshot().catch(() => {});
          return;
        } catch (e) {
          setOnline(false);
        }
      }
      await handleOffline(payload, body);
    } finally {
      state.busy = false;
      renderStatus();
    }
  }

  async function handleOffline(payload, body) {
    const v = await store.verify(payload, body.direction);
    const entry = v.entry || {};
    const attendee = { name: entry.n, organisation: entry.o, role: entry.r };
    if (v.kind === "ok") {
      store.markLocal(v.hash, body.direction, body.gate, v.entry);
      store.enqueue({ body: body, local: "ok", name: entry.n });
      showAnswer({ status: "ok", attendee: attendee, checkin: { direction: body.direction } }, true);
    } else if (v.kind === "already") {
      store.enqueue({ body: body, local: "already", name: entry.n });
      showAnswer({ status: "already_checked_in", attendee: attendee, first: v.first }, true);
    } else if (v.kind === "unknown") {
      // Without a list we cannot judge; keep the scan so the server decides once it is reachable.
      store.enqueue({ body: body, local: "unknown", name: "" });
      show("already", T.cannotVerify, "", T.offlineChecked);
    } else {
      if (v.reason !== "invalid") store.enqueue({ body: body, local: "error", name: entry.n });
      showAnswer({ status: "error", reason: v.reason, attendee: attendee }, true);
    }
  }

  // ------------------------------------------------------------------ online / offline

  function setOnline(online) {
    if (state.online === online) return;
    state.online = online;
    renderStatus();
    if (online) syncNow();
  }

  let syncing = false;
  async function syncNow() {
    if (syncing) return;
    syncing = true;
    try {
      if (store.queue.length > 0) {
        await store.sync(async function (body) {
          const answer = await api("POST", cfg.urls.scan, body);
          if (answer.body === null) throw new Error("no answer");
          return answer;
        });
      }
      await refreshList();
      setOnline(true);
    } catch (e) {
      setOnline(false);
    } finally {
      syncing = false;
      renderStatus();
    }
  }

  async function refreshList() {
    const answer = await api("GET", cfg.urls.offline);
    if (answer.status === 200 && answer.body && answer.body.tickets) store.setList(answer.body);
  }

  window.addEventListener("online", () => syncNow());
  window.addEventListener("offline", () => setOnline(false));
  setInterval(function () {
    if (store.queue.length > 0 || !state.online) syncNow();
  }, 5000);
  setInterval(() => state.online && refreshList().catch(() => setOnline(false)), 120000);

  // ------------------------------------------------------------------ camera

  async function detector() {
    if (!("BarcodeDetector" in window)) {
      await new Promise(function (resolve, reject) {
        const s = document.createElement("script");
        s.src = cfg.urls.polyfill;
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
      // By default the polyfill fetches its WebAssembly from a CDN; venues may have no internet.
      BarcodeDetectionAPI.prepareZXingModule({
        overrides: {
          locateFile: (path, prefix) => (path.endsWith(".wasm") ? new URL(cfg.urls.wasm, location.href).href : prefix + path),
        },
      });
      state.decoder = "zxing-wasm";
    } else {
      state.decoder = "native";
    }
    return new BarcodeDetector({ formats: ["qr_code"] });
  }

  async function startCamera() {
    const video = $("ck-video");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
      video.srcObject = stream;
      await video.play().catch(() => {});
    } catch (e) {
      $("ck-camera-msg").textContent = T.noCamera;
      return;
    }
    let det;
    try {
      det = await detector();
    } catch (e) {
      $("ck-camera-msg").textContent = T.noCamera;
      return;
    }
    $("ck-camera-msg").textContent = T.scanning;
    state.cameraReady = true;
    const tick = async function () {
      if (video.readyState >= 2 && $("ck-result").hidden && !state.busy && state.setup) {
        try {
          const codes = await det.detect(video);
          const now = Date.now();
          if (codes.length > 0) {
            const value = codes[0].rawValue;
            // The same code held in front of the camera is one scan; it counts again once it has
            // left the picture for a moment (the next pass).
            const fresh = value !== state.lastPayload || now - state.lastSeen > 1500;
            state.lastPayload = value;
            state.lastSeen = now;
            if (fresh) await handle(value);
          }
        } catch (e) {
          /* a frame that cannot be read; try the next */
        }
      } else if (!$("ck-result").hidden) {
        state.lastSeen = Date.now();
      }
      setTimeout(tick, 120);
    };
    tick();
  }

  // ------------------------------------------------------------------ keyboard-wedge scanners

  let typed = "";
  let typedAt = 0;
  document.addEventListener("keydown", function (e) {
    if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "SELECT" || e.target.tagName === "TEXTAREA")) return;
    const now = Date.now();
    if (now - typedAt > 1000) typed = "";
    typedAt = now;
    if (e.key === "Enter") {
      if (typed.length >= 8) {
        if (!$("ck-result").hidden) hideResult();
        handle(typed);
      }
      typed = "";
    } else if (e.key.length === 1) {
      typed += e.key;
    }
  });

  // ------------------------------------------------------------------ manual search

  $("ck-search").addEventListener("submit", async function (e) {
    e.preventDefault();
    const q = $("ck-q").value.trim();
    if (/^EE1\./i.test(q)) {
      $("ck-q").value = "";
      return handle(q);
    }
    const list = $("ck-results");
    list.textContent = "";
    if (q.length < 2) return;
    let answer;
    try {
      answer = await api("GET", cfg.urls.search + "?q=" + encodeURIComponent(q));
    } catch (err) {
      setOnline(false);
      return;
    }
    const rows = answer.status === 200 && answer.body && Array.isArray(answer.body.items) ? answer.body.items : [];
    if (rows.length === 0) {
      const li = document.createElement("li");
      li.textContent = T.noResults;
      list.appendChild(li);
    }
    rows.forEach(function (r) {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = [r.name, r.organisation, r.email].filter(Boolean).join(" · ") + (r.inside ? " ✓" : "");
      li.appendChild(label);
      if (r.payload) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = T.checkIn;
        b.addEventListener("click", () => handle(r.payload));
        li.appendChild(b);
      }
      list.appendChild(li);
    });
  });

  // ------------------------------------------------------------------ live counts

  function setCounts(data) {
    if (!data) return;
    if (data.gate_arrivals !== undefined) $("ck-gate-count").textContent = data.gate_arrivals;
    if (data.present !== undefined) $("ck-present").textContent = data.present;
  }

  async function snapshot() {
    const answer = await api("GET", cfg.urls.counts + "?gate=" + encodeURIComponent(state.setup.gate));
    if (answer.status === 200) setCounts(answer.body);
  }

  async function connectLive() {
    if (!state.setup || !window.WebSocket) return;
    if (state.ws) state.ws.close();
    let ticket = "";
    try {
      const answer = await api("GET", cfg.urls.streamTicket);
      if (answer.status !== 200) return;
      ticket = answer.body.ticket;
      await snapshot();
    } catch (e) {
      setTimeout(connectLive, 10000);
      return;
    }
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const url = scheme + location.host + cfg.urls.ws + encodeURIComponent(state.setup.gate) + "/?ticket=" + encodeURIComponent(ticket);
    const ws = new WebSocket(url);
    state.ws = ws;
    let lastSeq = null;
    ws.onmessage = function (m) {
      let msg;
      try {
        msg = JSON.parse(m.data);
      } catch (e) {
        return;
      }
      if (msg.type !== "checkin.gate") return;
      // A gap in the sequence means a message was lost: fetch the snapshot instead of guessing.
      if (lastSeq !== null && msg.seq !== lastSeq + 1) snapshot().catch(() => {});
      lastSeq = msg.seq;
      setCounts(msg.data);
      state.lastCounts = msg.data;
    };
    ws.onclose = function (e) {
      // 4403/4404: this phone may not watch the gate; retrying would not change that.
      if (state.ws === ws && e.code !== 4403 && e.code !== 4404) setTimeout(connectLive, e.code === 4401 ? 10000 : 3000);
    };
    const ping = setInterval(function () {
      if (ws.readyState === 1) ws.send(JSON.stringify({ type: "ping" }));
      if (ws.readyState > 1) clearInterval(ping);
    }, 25000);
  }

  // ------------------------------------------------------------------ setup and start

  const setupKey = "ck:setup:" + cfg.slug;

  function askSetup() {
    const dialog = $("ck-setup");
    const select = $("ck-session");
    select.length = 1;
    state.sessions.forEach(function (s) {
      const o = document.createElement("option");
      o.value = s.id;
      o.textContent = s.title + " · " + timeOf(s.starts_at);
      select.appendChild(o);
    });
    if (state.setup) {
      $("ck-gate").value = state.setup.gate;
      select.value = state.setup.session || "";
      dialog.querySelector('input[value="' + state.setup.direction + '"]').checked = true;
    }
    dialog.showModal();
  }

  $("ck-setup-form").addEventListener("submit", function () {
    const form = new FormData($("ck-setup-form"));
    state.setup = {
      gate: String(form.get("gate")).trim().slice(0, 40),
      direction: form.get("direction") === "out" ? "out" : "in",
      session: form.get("session") || "",
    };
    localStorage.setItem(setupKey, JSON.stringify(state.setup));
    renderStatus();
    connectLive();
  });
  $("ck-settings").addEventListener("click", askSetup);

  async function start() {
    try {
      state.setup = JSON.parse(localStorage.getItem(setupKey) || "null");
    } catch (e) {
      state.setup = null;
    }
    try {
      const answer = await api("GET", cfg.urls.config);
      if (answer.status === 401 || answer.status === 403) {
        $("ck-auth").hidden = false;
        return;
      }
      if (answer.status === 200) {
        state.sessions = answer.body.sessions || [];
        localStorage.setItem("ck:config:" + cfg.slug, JSON.stringify(answer.body));
      }
      await refreshList();
    } catch (e) {
      // Opened without network: work from what the last visit stored.
      state.online = false;
      const saved = JSON.parse(localStorage.getItem("ck:config:" + cfg.slug) || "null");
      state.sessions = (saved && saved.sessions) || [];
    }
    renderStatus();
    if (!state.setup) askSetup();
    else connectLive();
    state.ready = true;
    startCamera();
  }

  if ("serviceWorker" in navigator && cfg.urls.serviceWorker) {
    // Lets the page itself load without network after a reload (see templates/checkin/sw.js).
    navigator.serviceWorker
      .register(cfg.urls.serviceWorker, { scope: "/checkin/" })
      .then(() => navigator.serviceWorker.ready)
      // This very page was loaded before the worker existed: keep a copy now (same cache name as sw.js).
      .then(() => window.caches && caches.open("checkin-scanner-v1").then((cache) => cache.add(location.pathname)))
      .catch(() => {});
  }
  start();
})();
